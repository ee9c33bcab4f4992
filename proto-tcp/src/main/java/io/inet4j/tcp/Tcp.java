package io.inet4j.tcp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.mib.MibCounters;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.mib.TcpMib;
import io.inet4j.net.Net;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * TCP's per-stack state: what Linux keeps in {@code tcp_hashinfo}, {@code net->ipv4.sysctl_tcp_*} and the TCP
 * MIBs. Shared by {@link TcpProt} (the socket side) and {@link TcpV4Rcv} (the receive side), which the generated
 * tables create separately; both get it with {@link #of}, and {@code TcpModule} binds it for Dagger.
 */
public final class Tcp {
    /** RFC 9293 default MSS when the peer sends no option ({@code TCP_MSS_DEFAULT}). */
    static final int TCP_MSS_DEFAULT = 536;
    /** Time a connection stays in TIME_WAIT: 2 * MSL ({@code TCP_TIMEWAIT_LEN}). */
    static final long TCP_TIMEWAIT_LEN = 60_000_000_000L;
    /** Delayed-ACK timer ({@code TCP_DELACK_MIN}). */
    static final long TCP_DELACK_MIN = 40_000_000L;
    /** Initial congestion window in segments ({@code TCP_INIT_CWND}, RFC 6928). */
    static final int TCP_INIT_CWND = 10;
    /** IPv4 + TCP header bytes, subtracted from the MTU to get the MSS. */
    static final int HEADERS = 40;
    /** Control blocks kept for reuse; beyond this a burst's leftovers go to the garbage collector. */
    private static final int SKB_POOL_MAX = 4096;

    final InetContext ctx;
    final Net net;
    final Ipv4 ipv4;
    final TcpSysctls sysctls;
    final TcpCongList congs;
    final TcpCong.Sample ackSample = new TcpCong.Sample();
    /** The rate sample of the ACK being processed ({@code struct rate_sample} on tcp_ack's stack). */
    final TcpRate.Sample rateSample = new TcpRate.Sample();
    final TcpIsn isn;
    final TcpSyncookies syncookies = new TcpSyncookies(this);
    final MibCounters<TcpMib> mib;
    final MibCounters<TcpExtMib> ext;
    final TcpSegment seg = new TcpSegment();
    final TcpSegmentOut out = new TcpSegmentOut();
    /**
     * The valid blocks of the ACK being processed, sorted by sequence ({@code sp[]}, on tcp_sacktag_write_queue's
     * stack in Linux): scratch of one ACK, so the stack's, not each socket's.
     */
    final int[] sackTagStart = new int[io.inet4j.tcp.wire.TcpOptions.TCP_NUM_SACKS];
    final int[] sackTagEnd = new int[io.inet4j.tcp.wire.TcpOptions.TCP_NUM_SACKS];
    /** The super-segment being gathered by a {@code tcp_write_xmit} on this stack. */
    final TcpTso tso = new TcpTso();
    /** tcp_collapse's list of the buffers it built, inserted into the out-of-order tree once the walk is done. */
    final ArrayDeque<PacketBuffer> collapsed = new ArrayDeque<>();
    final TcpHashes hashes;
    /**
     * Every TCP socket the stack holds, orphans included, linked through the sockets ({@link TcpSock#prevSock},
     * {@link TcpSock#nextSock}): an identity set's table cost each connection end 17-21 B more than the two links.
     */
    private TcpSock socks;
    private int socketCount;
    /** Orphans not yet destroyed, FIN_WAIT2 included ({@code tcp_orphan_count}). */
    int orphanCount;
    /** Bytes of socket buffers charged to TCP ({@code tcp_memory_allocated}, kept in bytes; see {@link TcpMem}). */
    long memoryAllocated;
    /** {@code tcp_memory_pressure}: set past {@code tcp_mem[1]}, cleared below {@code tcp_mem[0]}. */
    boolean memoryPressure;
    /** Control blocks of freed segments, reused by {@link #allocSkb}. */
    private final ArrayDeque<TcpSkb> skbPool = new ArrayDeque<>();
    /** The second the challenge-ACK budget was drawn in, and what is left of it ({@code tcp_challenge_timestamp/count}). */
    private long challengeSecond = Long.MIN_VALUE;
    private long challengeCount;

    private Tcp(InetContext ctx) {
        this.ctx = ctx;
        this.net = ctx.net();
        this.ipv4 = ctx.ip();
        this.congs = new TcpCongList(ctx.classLoader());
        this.sysctls = new TcpSysctls(net.sysctls(), congs.names());
        this.isn = new TcpIsn(net.loop().clock(), net.random());
        this.mib = net.mibs().tcp;
        this.ext = net.mibs().tcpExt;
        this.hashes = new TcpHashes(this);
    }

    /** The stack's TCP, created by whichever of its sides asks first. */
    public static Tcp of(InetContext ctx) { return ctx.generic(Tcp.class, Tcp::new); }

    public TcpSysctls sysctls() { return sysctls; }

    void track(TcpSock sk) {
        sk.nextSock = socks;
        if (socks != null) socks.prevSock = sk;
        socks = sk;
        socketCount++;
    }

    /** Forgets {@code sk}; false if it was forgotten already. */
    boolean untrack(TcpSock sk) {
        if (sk.prevSock == null && socks != sk) return false;
        if (sk.prevSock != null) sk.prevSock.nextSock = sk.nextSock;
        else socks = sk.nextSock;
        if (sk.nextSock != null) sk.nextSock.prevSock = sk.prevSock;
        sk.prevSock = sk.nextSock = null;
        socketCount--;
        return true;
    }

    /** Every TCP socket the stack still holds, orphans included ({@code ss -tan} minus TIME_WAIT). */
    public List<TcpSock> sockets() {
        List<TcpSock> all = new ArrayList<>(socketCount);
        for (TcpSock sk = socks; sk != null; sk = sk.nextSock) all.add(sk);
        return Collections.unmodifiableList(all);
    }

    /** {@code tcp_sockets_allocated}: the TCP sockets that may hold buffers. */
    int socketCount() { return socketCount; }

    /** Pages of buffer memory TCP holds across the stack ({@code tcp_memory_allocated}, sockstat's {@code mem}). */
    public long memoryPages() { return TcpMem.pages(memoryAllocated); }

    /** Whether TCP is under memory pressure ({@code tcp_memory_pressure}). */
    public boolean underMemoryPressure() { return memoryPressure; }

    /** TIME_WAIT entries still held. */
    public int timewaitCount() { return hashes.timewaitCount(); }

    long now() { return net.loop().clock().nanoTime(); }

    /** {@code ktime_get_seconds}: whole seconds of the stack clock, what ts_recent's age is measured in. */
    long seconds() { return Math.floorDiv(now(), 1_000_000_000L); }

    /**
     * The stack-wide half of tcp_send_challenge_ack (RFC 5961 section 7): unless {@code tcp_challenge_ack_limit} is
     * {@code INT_MAX}, each second draws a random budget around the limit (random, so that an off-path attacker
     * cannot count our challenge ACKs to learn the sequence space) and a challenge ACK spends one.
     */
    boolean challengeAckAllowed() {
        int limit = sysctls.challengeAckLimit.get();
        if (limit == Integer.MAX_VALUE) return true;
        long ackLimit = Integer.toUnsignedLong(limit);
        long second = Math.floorDiv(now(), 1_000_000_000L);
        if (second != challengeSecond) {
            long half = (ackLimit + 1) >> 1;
            challengeSecond = second;
            challengeCount = ackLimit == 0 ? 0 : half + net.random().nextLong(ackLimit);
        }
        if (challengeCount <= 0) return false;
        challengeCount--;
        return true;
    }

    /**
     * The datagram went to a broadcast or multicast address rather than to one of ours alone: what Linux reads from
     * the input route ({@code RTCF_BROADCAST | RTCF_MULTICAST}, or {@code rt_type != RTN_LOCAL}).
     */
    boolean toBroadcastOrMulticast(int daddr) { return Ipv4.isMulticast(daddr) || ctx.devinet().isBroadcast(0, daddr); }

    /** A queued segment: a pooled buffer for {@code capacity} payload bytes with a fresh control block. */
    TcpSkb allocSkb(int capacity, int seq, int flags) {
        TcpSkb s = skbPool.poll();
        if (s == null) s = new TcpSkb();
        s.init(net.pool().allocate(capacity), seq, flags);
        s.truesize = s.skb.capacity();
        TcpMem.charge(this, s.truesize);
        return s;
    }

    /**
     * A send skb of {@code capacity} bytes for {@code tcp_sendmsg}, charging TCP memory for its first segment only
     * ({@code segTruesize}): the rest is charged as it fills ({@link #chargeSkb}), as Linux charges the pages it
     * copies into, so that a large buffer half filled does not weigh as a full one.
     */
    TcpSkb allocSendSkb(int capacity, int seq, int segTruesize) {
        TcpSkb s = skbPool.poll();
        if (s == null) s = new TcpSkb();
        s.init(net.pool().allocate(capacity), seq, 0);
        chargeSkb(s, segTruesize);
        return s;
    }

    /** Charges {@code bytes} more of TCP memory to the send skb {@code s} ({@code sk_wmem_queued_add}). */
    void chargeSkb(TcpSkb s, int bytes) {
        s.truesize += bytes;
        TcpMem.charge(this, bytes);
    }

    /**
     * The second part of {@code s} cut after {@code len} bytes ({@code tcp_fragment}'s {@code buff}): a block over
     * the same buffer, which it holds a reference to, from {@code s}'s sequence {@code seq + len}, taking over a
     * share of its truesize. The caller fixes flags, lengths and counts.
     */
    TcpSkb cloneSkb(TcpSkb s, int len) {
        TcpSkb c = skbPool.poll();
        if (c == null) c = new TcpSkb();
        c.init(s.skb.retain(), s.seq + len, s.tcpFlags);
        c.off = s.off + len;
        c.len = s.len - len;
        c.truesize = (int) ((long) s.truesize * c.len / Math.max(s.len, 1));
        s.truesize -= c.truesize;
        return c;
    }

    /** Releases the segment's buffer and keeps its control block for the next {@link #allocSkb}. */
    void freeSkb(TcpSkb s) {
        TcpMem.uncharge(this, s.truesize);
        s.skb.release();
        s.skb = null;
        if (skbPool.size() < SKB_POOL_MAX) skbPool.push(s);
    }
}
