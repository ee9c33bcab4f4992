package io.inet4j.ipv4.icmp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.af.InetSock;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.InetContext;
import io.inet4j.socket.Errno;
import io.inet4j.socket.Proto;
import java.util.ArrayDeque;

/**
 * A ping socket ({@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}, {@code net/ipv4/ping.c}): unprivileged echo
 * requests and replies. Its local "port" is the echo identifier. Received replies wait in a queue bounded by
 * the receive buffer, counted in {@link #rmemAlloc}; ICMP errors about its requests wait in a small error
 * queue read with {@code MSG_ERRQUEUE}, as Linux does with {@code IP_RECVERR}.
 */
public final class PingSock extends InetSock {
    /** An ICMP error about one of this socket's echo requests ({@code sock_extended_err}, simplified). */
    public record IcmpError(int offender, int type, int code, int errno, long when) {}

    private static final int ERR_QUEUE_MAX = 16;
    /** Bookkeeping charged per queued datagram on top of its bytes, like skb truesize overhead. */
    static final int SKB_OVERHEAD = 256;

    final ArrayDeque<PacketBuffer> receiveQueue = new ArrayDeque<>();
    final ArrayDeque<IcmpError> errorQueue = new ArrayDeque<>();
    int rmemAlloc;
    /** Datagrams dropped because the receive buffer was full ({@code sk_drops}). */
    long drops;

    PingSock(InetContext inet, Proto prot, int type, int protocol) { super(inet, prot, type, protocol); }

    void queueRcv(PacketBuffer b) {
        int charge = b.length() + SKB_OVERHEAD;
        if (rmemAlloc + charge > rcvbuf) {
            drops++;
            b.release();
            return;
        }
        rmemAlloc += charge;
        receiveQueue.add(b);
        dataReady();
    }

    PacketBuffer dequeue() {
        PacketBuffer b = receiveQueue.poll();
        if (b != null) rmemAlloc -= b.length() + SKB_OVERHEAD;
        return b;
    }

    void icmpError(int offender, int type, int code, long now) {
        int errno = type == IcmpHeader.DEST_UNREACH ? Icmp.unreachErrno(code) : Errno.EHOSTUNREACH.number();
        if (errorQueue.size() == ERR_QUEUE_MAX) errorQueue.poll();
        errorQueue.add(new IcmpError(offender, type, code, errno, now));
        // Like ping_err: a connected socket also sees a hard error on its next call.
        if (state == SockStates.TCP_ESTABLISHED && type == IcmpHeader.DEST_UNREACH) err = errno;
        errorReport();
    }

    /** The ICMP errors not yet read, oldest first. */
    public IcmpError pollError() { return errorQueue.poll(); }

    public long drops() { return drops; }

    void purge() {
        PacketBuffer b;
        while ((b = dequeue()) != null) b.release();
        errorQueue.clear();
    }
}
