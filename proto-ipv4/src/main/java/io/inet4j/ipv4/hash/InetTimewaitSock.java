package io.inet4j.ipv4.hash;

import io.inet4j.ipv4.af.InetSock;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.loop.Timer;
import io.inet4j.socket.SockAddrIn;

/**
 * The minisocket that stands in for a closed connection during TIME_WAIT ({@code struct inet_timewait_sock},
 * {@code net/ipv4/inet_timewait_sock.c}): the 4-tuple and the bind options of the socket it replaces, its place
 * among the port's owners, and the timer that ends it. TCP subclasses it with its sequence and timestamp state
 * ({@code tcp_timewait_sock}).
 *
 * <p>Made by {@link #InetTimewaitSock(InetSock, int)} ({@code inet_twsk_alloc}), entered with
 * {@link InetHashinfo#inetTwskHashdance}, ended by its timer or {@link InetHashinfo#inetTwskKill}.
 */
public class InetTimewaitSock implements TupleKey {
    /** Local address and port, remote address and port: {@code tw_rcv_saddr}, {@code tw_num}, {@code tw_daddr}, {@code tw_dport}. */
    public final int rcvSaddr;
    public final int num;
    public final int daddr;
    public final int dport;
    /** {@code tw_bound_dev_if}, {@code tw_reuse}, {@code tw_reuseport}: what bind conflicts and lookups still need. */
    public final int boundDevIf;
    public final boolean reuse;
    public final boolean reuseport;
    /** {@code tw_substate}: {@link SockStates#TCP_TIME_WAIT}, or {@link SockStates#TCP_FIN_WAIT2} for an orphan. */
    public int substate;

    /** {@code tw_dr->hashinfo}: set by the hash dance. */
    InetHashinfo hashinfo;
    /** {@code tw_tb}: the bucket of {@link #num} while this entry owns the port. */
    InetBindBucket tb;
    InetTimewaitSock bindNext;
    InetTimewaitSock bindPrev;
    /** {@code tw_timer}: fires {@code inet_twsk_kill}. */
    final Timer timer = new Timer(this::expire);

    /** inet_twsk_alloc: a TIME_WAIT entry for {@code sk}, not yet hashed. */
    public InetTimewaitSock(InetSock sk, int substate) {
        this.rcvSaddr = sk.rcvSaddr;
        this.num = sk.num;
        this.daddr = sk.daddr;
        this.dport = sk.dport;
        this.boundDevIf = sk.boundDevIf;
        this.reuse = sk.reuse;
        this.reuseport = sk.reuseport;
        this.substate = substate;
    }

    /** The 4-tuple it stands in the established hash under, as the socket it replaced did. */
    @Override
    public final long hashAddrs() { return TupleKey.addrPair(rcvSaddr, daddr); }

    @Override
    public final int hashPorts() { return TupleKey.portPair(num, dport); }

    /** The bucket of the port this entry holds, or null once it is gone. */
    public InetBindBucket bindBucket() { return tb; }

    /** Whether the timer is armed, i.e. the entry is hashed and waiting out its time. */
    public boolean isScheduled() { return timer.isPending(); }

    private void expire() { hashinfo.inetTwskKill(this); }

    @Override
    public String toString() {
        return "timewait " + SockAddrIn.formatAddress(rcvSaddr) + ":" + num + " -> " + SockAddrIn.formatAddress(daddr) + ":" + dport;
    }
}
