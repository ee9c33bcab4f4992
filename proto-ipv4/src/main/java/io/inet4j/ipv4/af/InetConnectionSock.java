package io.inet4j.ipv4.af;

import io.inet4j.ipv4.InetContext;
import io.inet4j.socket.Errno;
import io.inet4j.socket.Proto;
import io.inet4j.socket.SockQueue;

/**
 * A connection-oriented inet socket ({@code struct inet_connection_sock}, {@code net/ipv4/inet_connection_sock.c}):
 * what a listener needs for {@code accept()} — the queue of established children ({@code icsk_accept_queue})
 * and its limit — plus the count of half-open requests the protocol keeps.
 */
public abstract class InetConnectionSock extends InetSock {
    /**
     * Established connections waiting for accept(), oldest first; the shared {@link SockQueue#none()} until
     * {@link #acceptQueueAdd} queues the first: only listeners ever queue one, and the rest (a million connections
     * on a server) would each carry an empty queue.
     */
    public SockQueue<InetConnectionSock> acceptQueue = SockQueue.none();
    /** {@code sk_max_ack_backlog}: min(backlog, somaxconn). */
    public int maxAckBacklog;
    /** The listener this child came from, until it is accepted. */
    public InetConnectionSock parent;

    protected InetConnectionSock(InetContext inet, Proto prot, int type, int protocol) {
        super(inet, prot, type, protocol);
    }

    /** sk_acceptq_is_full: Linux lets the queue hold one more than the backlog (the comparison is strict). */
    public boolean acceptQueueFull() { return acceptQueue.size() > maxAckBacklog; }

    /** inet_csk_reqsk_queue_add: an established child joins the accept queue and wakes the listener. */
    public void acceptQueueAdd(InetConnectionSock child) {
        child.parent = this;
        if (acceptQueue == SockQueue.<InetConnectionSock>none()) acceptQueue = new SockQueue<>();
        acceptQueue.add(child);
        dataReady();
    }

    /**
     * inet_csk_accept: the oldest established child, or null with {@code err[0]} = {@code -EINVAL} when not
     * listening, {@code -EAGAIN} when none is waiting.
     */
    public InetConnectionSock inetCskAccept(int[] err) {
        if (state != SockStates.TCP_LISTEN) {
            err[0] = Errno.EINVAL.neg();
            return null;
        }
        InetConnectionSock child = acceptQueue.poll();
        if (child == null) {
            err[0] = Errno.EAGAIN.neg();
            return null;
        }
        child.parent = null;
        return child;
    }
}
