package io.inet4j.tcp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferRbTree;
import io.inet4j.ipv4.af.InetConnectionSock;
import io.inet4j.hook.SockOp;
import io.inet4j.loop.Timer;
import io.inet4j.socket.Proto;
import io.inet4j.socket.SockQueue;
import io.inet4j.tcp.cong.TcpCongestionOps;
import io.inet4j.tcp.cong.TcpCongestionSock;

/**
 * A TCP socket ({@code struct tcp_sock}): the send and receive sequence spaces of RFC 9293 §3.3.1 with Linux's
 * names, the queues, the retransmission and congestion state, and the timers. Behaviour lives elsewhere, one file
 * per concern ({@link TcpInput}, {@link TcpOutput}, {@link TcpTimers}, {@link TcpListen}, ...). Owned by the
 * stack's loop.
 *
 * <p>Segments to send and to retransmit are {@link TcpSkb}s (buffer plus control block). Received segments are
 * {@link PacketBuffer}s whose data is the payload; {@code cb0} holds the sequence number and {@code cb1} the FIN
 * flag, all the receive side needs.
 *
 * <p>The congestion control algorithm ({@link #ca}) is handed the socket itself as its {@link TcpCongestionSock},
 * as Linux's {@code tcp_congestion_ops} take the {@code struct sock}: a separate view would cost every connection an
 * object.
 *
 * <p>Fields Linux keeps as {@code u8}/{@code u16} ({@code icsk_ca_state}, {@code icsk_retransmits},
 * {@code icsk_pending}, {@code icsk_ack.quick}, ...) are {@code byte}/{@code short} here (a {@code short} where a
 * count could pass 127): a million idle connections feel every int.
 */
public final class TcpSock extends InetConnectionSock implements TcpCongestionSock {
    static final int TCP_URG_VALID = 0x0100;
    static final int TCP_URG_NOTYET = 0x0200;
    static final int TCP_URG_READ = 0x0400;

    final Tcp tcp;
    /** Neighbours on the stack's list of TCP sockets ({@link Tcp#sockets}); null off it. */
    TcpSock prevSock;
    TcpSock nextSock;

    // Send sequence space.
    int iss;
    int sndUna;
    int sndNxt;
    int sndWnd;
    int sndWl1;
    int sndWl2;
    /** The sequence number after the last byte the application queued ({@code write_seq}). */
    int writeSeq;
    /** The largest window the peer offered ({@code max_window}). */
    int maxWindow;
    /** The end of the last segment sent shorter than the MSS ({@code snd_sml}), for Minshall's Nagle. */
    int sndSml;

    // Receive sequence space.
    int irs;
    int rcvNxt;
    /** The window last advertised and the rcv_nxt it was advertised at ({@code rcv_wnd}, {@code rcv_wup}). */
    int rcvWnd;
    int rcvWup;
    /** Next byte the application will read ({@code copied_seq}). */
    int copiedSeq;
    /**
     * Urgent data ({@code urg_data}): 0 for none, {@link #TCP_URG_NOTYET} while the byte is still to come,
     * {@link #TCP_URG_VALID} with the byte in the low bits, {@link #TCP_URG_READ} once MSG_OOB took it.
     */
    short urgData;
    /** Sequence number of the urgent byte ({@code urg_seq}). */
    int urgSeq;

    /**
     * Effective send MSS ({@code mss_cache}), what we advertise ({@code advmss}, a u16 in Linux, so {@code char}
     * here), the peer's MSS option.
     */
    int mssCache = Tcp.TCP_MSS_DEFAULT;
    char advmss;
    /** The path MTU {@code mssCache} was computed for ({@code icsk_pmtu_cookie}); ICMP can lower it. */
    int pmtuCookie;
    int peerMss = Tcp.TCP_MSS_DEFAULT;
    /** Options the handshake negotiated and the timestamps to echo ({@code rx_opt}). */
    final TcpRxOpt rxOpt = new TcpRxOpt();
    /**
     * The largest window we will ever offer ({@code window_clamp}): set with the window scale in
     * {@link TcpOutput#selectInitialWindow}, at most {@code 65535 << rcv_wscale}; the receive window never grows
     * past it. Autotuning moves it with the receive buffer.
     */
    int windowClamp;
    /**
     * Header bytes of a segment with the options every segment carries ({@code tcp_header_len}): 20, or 32 with
     * timestamps. The send MSS ({@link #mssCache}) is what is left of a segment after them.
     */
    byte tcpHeaderLen = io.inet4j.tcp.wire.TcpHeader.MIN_LENGTH;
    boolean nodelay;
    /** {@code TcpEcn.TCP_ECN_*} bits ({@code ecn_flags}). */
    byte ecnFlags;
    /** TCP_CORK ({@code TCP_NAGLE_CORK} in {@code nonagle}): partial segments wait, even with nothing in flight. */
    boolean cork;

    // Congestion control: the window in segments and the algorithm driving it (TcpCong, icsk_ca_ops).
    int sndCwnd;
    int sndSsthresh = Integer.MAX_VALUE;
    int sndCwndCnt;
    int sndCwndClamp = TcpCong.CWND_CLAMP;
    /** The cwnd before the last reduction, for undo ({@code prior_cwnd}). */
    int priorCwnd;
    /** {@code TcpCongestionOps.TCP_CA_*} ({@code icsk_ca_state}). */
    byte caState;
    int highSeq;
    /** Duplicate ACKs that mean loss ({@code reordering}, from {@code tcp_reordering}). */
    int reordering;
    /** When data last left, retransmissions included ({@code lsndtime}), in {@link #jiffies32}; 0 before any. */
    int lsndtime;
    /** This socket's algorithm instance ({@code icsk_ca_ops} plus {@code icsk_ca_priv}). */
    TcpCongestionOps ca;
    /**
     * Linux's one-bit fields about {@link #ca}, bits of one byte here as there ({@link #caFlag}): it has been
     * initialised for a connection ({@code icsk_ca_initialized}); TCP_CONGESTION chose it ({@code icsk_ca_setsockopt}),
     * so a listener's children keep the choice; the route chose it with {@code congctl lock}
     * ({@code icsk_ca_dst_locked}), so TCP_CONGESTION is EPERM.
     */
    static final int CA_INITIALIZED = 1, CA_SETSOCKOPT = 2, CA_DST_LOCKED = 4;
    byte caFlags;

    // Flight accounting in segments (tcp_skb_pcount), as Linux counts it.
    /** Segments sent and not yet acknowledged ({@code packets_out}). */
    int packetsOut;
    /** Of those, SACKed, presumed lost, and retransmitted still in flight ({@code sacked_out}, ...). */
    int sackedOut;
    int lostOut;
    int retransOut;
    /**
     * The SACK scoreboard's marks, undo, PRR, F-RTO, RACK's reordering window, TLP and the retransmission counters:
     * the shared {@link TcpLoss#NONE} until the first loss or reordering writes one ({@link #ownLoss()}). Read
     * through here.
     */
    TcpLoss loss = TcpLoss.NONE;
    /** Delivery rate estimation ({@link TcpRate}): the current sample's start, and the kept sample. */
    long firstTxMstamp;
    long deliveredMstamp;
    /** Nonzero while application-limited: the delivered count that ends the stretch ({@code app_limited}). */
    int appLimited;
    int rateDelivered;
    int rateIntervalUs;
    boolean rateAppLimited;
    /**
     * The chronographs ({@code chrono_type}, {@code chrono_start}, {@code chrono_stat[]}): null until the socket
     * first has something to send, which an idle connection may never have.
     */
    TcpChrono chrono;
    /** tcp_cwnd_validate's record: the most in flight lately, and whether cwnd was the limit. */
    int maxPacketsOut;
    int cwndUsageSeq;
    boolean isCwndLimited;

    // Retransmission.
    final RtoEstimator rto = new RtoEstimator();
    /** Consecutive timeouts of the head segment ({@code icsk_retransmits}). */
    short retransmits;
    /**
     * Time of the first retransmission of the head, 0 when none ({@code retrans_stamp}), in {@link #jiffies32}: the
     * TSval clock, so an echo compares with it.
     */
    int retransStamp;
    /** Zero-window or keepalive probes sent since the peer last answered ({@code icsk_probes_out}). */
    short probesOut;
    /**
     * Backoff of the zero-window probe timer ({@code icsk_backoff} as {@code tcp_send_probe0} counts it): unlike
     * {@code probesOut} an answer keeps it; only an open window ends it.
     */
    short probeBackoff;
    /**
     * When this socket last answered an invalid segment ({@code last_oow_ack_time}); made with the first invalid
     * segment ({@link #oow()}), which most connections never see.
     */
    TcpOowLimit oow;

    // Queues: each the shared empty SockQueue.none() until its first add (rtxQueue(), writeQueue(), receiveQueue()),
    // since an idle connection never queues anything; read through the fields.
    /** Sent and not yet acknowledged, in sequence order ({@code tcp_rtx_queue}). */
    SockQueue<TcpSkb> rtxQueue = SockQueue.none();
    /** Queued and not yet sent ({@code sk_write_queue}). */
    SockQueue<TcpSkb> writeQueue = SockQueue.none();
    int wmemQueued;
    /** A writer found the send buffer full and waits for space ({@code SOCK_NOSPACE}). */
    boolean nospace;
    /** In-order data the application has not read ({@code sk_receive_queue}). */
    SockQueue<PacketBuffer> receiveQueue = SockQueue.none();
    /** Bytes of data in {@link #receiveQueue} not yet read. */
    int rcvQueued;
    /**
     * What the receive and out-of-order queues pin: the sum of their buffers' real sizes ({@code sk_rmem_alloc},
     * counted by {@code skb->truesize}, see {@link #truesize}); held to {@code rcvbuf}.
     */
    int rmemAlloc;
    /**
     * Stands for the out-of-order queue of every socket that never had a segment out of order: most connections
     * never do. Never inserted into ({@link #ofoQueue()} makes a socket its own first): it stays empty.
     */
    private static final PacketBufferRbTree NO_OFO = new PacketBufferRbTree();
    /**
     * Out-of-order segments by sequence ({@code out_of_order_queue}), {@link #NO_OFO} until the first; and its last
     * one ({@code ooo_last_skb}).
     */
    PacketBufferRbTree ofoQueue = NO_OFO;
    PacketBuffer oooLastSkb;
    /**
     * The SACK and D-SACK blocks our ACKs report: the shared empty {@link TcpSackBlocks#NONE} until the first
     * out-of-order or duplicate segment ({@link #ownSacks()}). Read through here.
     */
    TcpSackBlocks sacks = TcpSackBlocks.NONE;
    /**
     * The window we let ourselves offer ({@code rcv_ssthresh}): the initial window, cut to two segments when the
     * queues overrun the buffer and grown back by segments whose payload justifies their buffer (tcp_grow_window).
     */
    int rcvSsthresh;
    /** The receiver's RTT estimate ({@code rcv_rtt_est}): 8 x microseconds, and where and when its measure began. */
    int rcvRttEstRttUs;
    int rcvRttEstSeq;
    long rcvRttEstTime;
    /** Auto-tuning's record ({@code rcvq_space}): bytes read per receiver RTT, and copied_seq and time at its start. */
    int rcvqSpace;
    int rcvqSpaceSeq;
    long rcvqSpaceTime;
    // The delayed-ACK engine (icsk_ack).
    /** An ACK is owed ({@code ICSK_ACK_SCHED}), and owed at once ({@code ICSK_ACK_NOW}). */
    boolean ackPending;
    boolean ackNow;
    /** ACKs still to send without delay ({@code icsk_ack.quick}): at the start, after a long gap, after disorder. */
    byte ackQuick;
    /**
     * The delayed-ACK timeout as estimated from arrivals, 0 before the first data ({@code icsk_ack.ato}): in
     * microseconds, as Linux keeps it in a u32 (of jiffies); at most the RTO. Read and set in nanoseconds through
     * {@link #ato()} and {@link #setAto}.
     */
    int ackAtoUs;
    long ato() { return ackAtoUs * 1000L; }

    void setAto(long nanos) { ackAtoUs = (int) (nanos / 1000); }

    /** When in-order data last arrived ({@code icsk_ack.lrcvtime}), in {@link #jiffies32}. */
    int ackLrcvtime;
    /**
     * Replies sent within {@link #ackAtoUs} of data received ({@code icsk_ack.pingpong}), a u8 as in Linux (read it
     * as {@code pingpong & 0xff}): ACKs then wait to ride on data.
     */
    byte pingpong;
    /**
     * The peer's MSS as we guess it from what arrives ({@code icsk_ack.rcv_mss}, {@code last_seg_size}): u16 in
     * Linux, so {@code char} (unsigned 16 bits) here.
     */
    char rcvMss = Tcp.TCP_MSS_DEFAULT;
    char lastSegSize;
    boolean finQueued;
    /** Set once the handshake completed; a CLOSE socket that never got here reports ENOTCONN ({@code SOCK_DONE}). */
    boolean done;

    // Timers.
    // Made the first time they are armed (idle sockets and listeners never arm most), then kept for re-arming.
    Timer retransmitTimer;
    Timer delackTimer;
    Timer keepaliveTimer;
    /** Which job the retransmit timer does now ({@code icsk_pending}): RTO or zero-window probe. */
    byte timerPending;

    // RACK-TLP (TcpRack, TcpTlp).
    /** The latest send time and end of a delivered segment, and its RTT in microseconds ({@code tp->rack}). */
    long rackMstamp;
    int rackTxOrder;
    int rackRttUs;
    /** Something newer was delivered since the last loss scan ({@code rack.advanced}). */
    boolean rackAdvanced;
    /** RACK armed its timer while this ACK was processed, which then leaves the timers alone (FLAG_SET_XMIT_TIMER). */
    boolean rackTimerArmed;
    /** Transmissions so far, the order RACK compares ({@link TcpSkb#txOrder}). */
    int txOrder;

    // Listening.
    /**
     * Half-open connections and the SYN-flood state ({@code icsk_accept_queue}'s request half): the shared empty
     * {@link TcpSynQueue#NONE} until the first request, cookie or flood warning ({@link #ownSynq()}), since only
     * listeners ever hold one. Read through here.
     */
    TcpSynQueue synq = TcpSynQueue.NONE;

    /** The socket has no owner any more: closed by the application, finishing on its own ({@code SOCK_DEAD}). */
    boolean orphan;
    /**
     * TCP_KEEP*, TCP_SYNCNT, TCP_USER_TIMEOUT, TCP_DEFER_ACCEPT, TCP_NOTSENT_LOWAT, TCP_LINGER2 and TCP_MAXSEG: the
     * shared {@link TcpUserOpts#DEFAULTS} until the first of them is set ({@link #ownOpts()}). Read only through here.
     */
    TcpUserOpts opts = TcpUserOpts.DEFAULTS;
    /** When the current run of zero-window probes began, 0 when none ({@code icsk_probes_tstamp}), in {@link #jiffies32}. */
    int probesTstamp;
    // What a SOCK_OPS hook reads (tcp_info's counters) and the callbacks it asked for.
    /** Sequence space of ours the peer acknowledged, SYN and FIN included ({@code bytes_acked}). */
    long bytesAcked;
    /** In-order data received ({@code bytes_received}). */
    long bytesReceived;
    /** Segments received by this socket and sent by it ({@code segs_in}, {@code segs_out}). */
    int segsIn;
    int segsOut;
    // The rest of tcp_info's counters (tcp_get_info).
    /** When an acceptable ACK last arrived ({@code rcv_tstamp}), in {@link #jiffies32}. */
    int rcvTstamp;

    /**
     * When the peer last showed it is alive, the later of its last acceptable ACK ({@code rcv_tstamp}) and its
     * last in-order data ({@code icsk_ack.lrcvtime}), as keepalive_time_elapsed measures idleness. Segments the
     * connection rejects set neither.
     */
    int lastReceived() {
        return rcvTstamp - ackLrcvtime > 0 ? rcvTstamp : ackLrcvtime;
    }

    /**
     * {@code tcp_jiffies32}: the stack clock in milliseconds modulo 2^32, the unit of the stamps Linux keeps as u32
     * ({@code lsndtime}, {@code retrans_stamp}, {@code rcv_tstamp}, {@code icsk_ack.lrcvtime},
     * {@code icsk_probes_tstamp}, {@code rtt_min}'s samples): four bytes each, not a long of nanoseconds. Also the
     * TSval clock ({@link TcpOutput#tcpTimeStamp}), so {@link #retransStamp} compares with an echo. Rounded down, so
     * a clock below zero still counts a millisecond at a time. Stamps wrap after 49 days, as Linux's do; compare
     * them only through {@link #sinceJiffies}.
     */
    static int jiffies32(long nanos) { return (int) Math.floorDiv(nanos, 1_000_000L); }

    /** Nanoseconds from {@code stamp}, in {@link #jiffies32}, to {@code now}: the u32 difference, as Linux takes it. */
    static long sinceJiffies(long now, int stamp) { return Integer.toUnsignedLong(jiffies32(now) - stamp) * 1_000_000L; }
    /** Segments with data received and sent, retransmissions included ({@code data_segs_in}, {@code data_segs_out}). */
    int dataSegsIn;
    int dataSegsOut;
    /** Payload bytes sent, retransmissions included ({@code bytes_sent}). */
    long bytesSent;
    /** Segments the peer got, cumulatively ACKed or counted by duplicate ACKs ({@code delivered}). */
    int delivered;
    /**
     * The windowed minimum RTT in microseconds ({@code rtt_min}, {@code tcp_min_rtt}), all ones before a sample: the
     * three (time, value) samples of {@link WinMinmax}, kept inline as Linux keeps its {@code struct minmax}.
     */
    int rttMinT0, rttMinT1, rttMinT2;
    int rttMinV0, rttMinV1, rttMinV2;
    /** {@code bpf_sock_ops_cb_flags} (a u8 in Linux too): which optional SOCK_OPS callbacks a hook asked for. */
    byte sockOpsCbFlags;

    TcpSock(Proto prot, Tcp tcp, int type) {
        super(tcp.ctx, prot, type, io.inet4j.socket.IpProto.IPPROTO_TCP);
        this.tcp = tcp;
        WinMinmax.reset(this, tcp.now(), -1); // tcp_init_sock: no RTT seen yet reads ~0U
    }

    void addRequest(TcpRequestSock req) {
        ownSynq().table.put(req.key(), req);
    }

    /** Whether {@code flag}, one of {@link #CA_INITIALIZED}, {@link #CA_SETSOCKOPT}, {@link #CA_DST_LOCKED}, is set. */
    boolean caFlag(int flag) { return (caFlags & flag) != 0; }

    void setCaFlag(int flag, boolean on) { caFlags = (byte) (on ? caFlags | flag : caFlags & ~flag); }

    /** This listener's own {@link #synq}, to change: made the first time. */
    TcpSynQueue ownSynq() {
        if (synq == TcpSynQueue.NONE) synq = TcpSynQueue.create();
        return synq;
    }

    /** This socket's own {@link #opts}, to set one in: made on the first set unless inherited from a listener. */
    TcpUserOpts ownOpts() {
        if (opts == TcpUserOpts.DEFAULTS) opts = new TcpUserOpts();
        return opts;
    }

    /** This socket's own {@link #loss}, to write to: made the first time. */
    TcpLoss ownLoss() {
        if (loss == TcpLoss.NONE) loss = new TcpLoss();
        return loss;
    }

    /** This socket's own {@link #sacks}, to change: made the first time. */
    TcpSackBlocks ownSacks() {
        if (sacks == TcpSackBlocks.NONE) sacks = new TcpSackBlocks();
        return sacks;
    }

    /** The rate limit of answers to invalid segments ({@code tcp_oow_rate_limited}'s state), made on first use. */
    TcpOowLimit oow() {
        if (oow == null) oow = new TcpOowLimit();
        return oow;
    }

    /** {@link #rtxQueue} to add to, made the first time. */
    SockQueue<TcpSkb> rtxQueue() {
        if (rtxQueue == SockQueue.<TcpSkb>none()) rtxQueue = new SockQueue<>();
        return rtxQueue;
    }

    /** {@link #writeQueue} to add to, made the first time. */
    SockQueue<TcpSkb> writeQueue() {
        if (writeQueue == SockQueue.<TcpSkb>none()) writeQueue = new SockQueue<>();
        return writeQueue;
    }

    /** {@link #receiveQueue} to add to, made the first time. */
    SockQueue<PacketBuffer> receiveQueue() {
        if (receiveQueue == SockQueue.<PacketBuffer>none()) receiveQueue = new SockQueue<>();
        return receiveQueue;
    }

    /** The out-of-order queue to insert into, made the first time a segment arrives out of order. */
    PacketBufferRbTree ofoQueue() {
        if (ofoQueue == NO_OFO) ofoQueue = new PacketBufferRbTree();
        return ofoQueue;
    }

    /** The retransmit timer ({@code icsk_retransmit_timer}): RTO, zero-window probe, loss probe, RACK. */
    Timer retransmitTimer() {
        if (retransmitTimer == null) retransmitTimer = new Timer(() -> TcpTimers.writeTimer(this));
        return retransmitTimer;
    }

    /** The delayed-ACK timer ({@code icsk_delack_timer}). */
    Timer delackTimer() {
        if (delackTimer == null) delackTimer = new Timer(() -> TcpTimers.delackTimer(this));
        return delackTimer;
    }

    /** The keepalive timer ({@code sk_timer}): keepalive, and FIN_WAIT2 for an orphan. */
    Timer keepaliveTimer() {
        if (keepaliveTimer == null) keepaliveTimer = new Timer(() -> TcpTimers.keepaliveTimer(this));
        return keepaliveTimer;
    }

    /** Whether {@code t}, one of this socket's timers, is armed; one never made is not. */
    static boolean pending(Timer t) { return t != null && t.isPending(); }

    /** Stops {@code t}, one of this socket's timers, if it was ever made. */
    void cancel(Timer t) {
        if (t != null) net.loop().cancel(t);
    }

    /**
     * inet_csk_clone_lock for TCP: what a child of listener {@code l} takes over, the options set on the listener
     * (buffer sizes and their locks, Nagle, keepalive and its TCP_KEEP* values, linger, TCP_SYNCNT, TCP_LINGER2,
     * TOS/TTL, TCP_MAXSEG) and its congestion control.
     */
    void inheritFrom(TcpSock l) {
        scope = l.scope; // sk_clone_lock copies sk_cgrp_data, and the tcp_sock with its bpf_sock_ops_cb_flags
        sockOpsCbFlags = l.sockOpsCbFlags;
        nodelay = l.nodelay;
        cork = l.cork;
        urginline = l.urginline;
        keepOpen = l.keepOpen;
        lingerSeconds = l.lingerSeconds;
        llUsec = l.llUsec;
        tos = l.tos;
        ttl = l.ttl;
        userlocks = (byte) (l.userlocks & (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK));
        rcvbuf = l.rcvbuf;
        sndbuf = l.sndbuf;
        opts = l.opts.forChild();
        reordering = l.reordering;
        TcpCong.inherit(this, l);
    }

    /**
     * tcp_set_state: moves to {@code newState}, keeping {@code CurrEstab} and {@code EstabResets} as Linux does
     * and leaving the lookup tables when the socket closes; a hook that asked for it hears of it first
     * ({@code BPF_SOCK_OPS_STATE_CB}).
     */
    static void setState(TcpSock tp, int newState) {
        int old = tp.state;
        if (TcpSockOps.wanted(tp, SockOp.STATE_CB_FLAG)) TcpSockOps.call(tp, SockOp.STATE_CB, old, newState);
        if (newState == TcpState.ESTABLISHED && old != TcpState.ESTABLISHED) {
            tp.tcp.mib.inc(io.inet4j.mib.TcpMib.CurrEstab);
        }
        if (newState != TcpState.ESTABLISHED && old == TcpState.ESTABLISHED) {
            tp.tcp.mib.dec(io.inet4j.mib.TcpMib.CurrEstab);
        }
        if (newState == TcpState.CLOSE) {
            if (old == TcpState.CLOSE_WAIT || old == TcpState.ESTABLISHED) {
                tp.tcp.mib.inc(io.inet4j.mib.TcpMib.EstabResets);
            }
            tp.tcp.hashes.unhash(tp);
        }
        tp.state = newState;
    }

    /**
     * tcp_done: the connection is over. Timers stop, queued output is dropped, both directions are shut, and an
     * orphan is freed; an owned socket stays for the application to read what remains and close.
     */
    static void done(TcpSock tp) {
        if (tp.state == TcpState.SYN_SENT || tp.state == TcpState.SYN_RECV) {
            tp.tcp.mib.inc(io.inet4j.mib.TcpMib.AttemptFails);
        }
        setState(tp, TcpState.CLOSE);
        tp.shutdown = SHUTDOWN_MASK;
        stopTimers(tp);
        purgeWrite(tp);
        if (tp.orphan) {
            destroy(tp);
        } else {
            tp.stateChange();
        }
    }

    static void stopTimers(TcpSock tp) {
        tp.cancel(tp.retransmitTimer);
        tp.cancel(tp.delackTimer);
        tp.cancel(tp.keepaliveTimer);
    }

    /** inet_csk_destroy_sock: frees everything the socket still holds. */
    static void destroy(TcpSock tp) {
        stopTimers(tp);
        purgeWrite(tp);
        TcpCong.release(tp);
        purgeReceive(tp);
        purgeOfo(tp);
        for (TcpRequestSock req : tp.synq.table.values()) req.drop();
        tp.synq.table.clear();
        tp.tcp.hashes.release(tp);
        if (tp.tcp.untrack(tp) && tp.orphan) tp.tcp.orphanCount--;
    }

    /** skb_rbtree_purge of {@code out_of_order_queue}. */
    static void purgeOfo(TcpSock tp) {
        for (PacketBuffer b = tp.ofoQueue.first(), next; b != null; b = next) {
            next = PacketBufferRbTree.next(b);
            rfree(tp, b);
        }
        if (tp.ofoQueue != NO_OFO) tp.ofoQueue.clear();
        tp.oooLastSkb = null;
    }

    /** __skb_queue_purge of {@code sk_receive_queue}: the unread data goes. */
    static void purgeReceive(TcpSock tp) {
        for (PacketBuffer b; (b = tp.receiveQueue.poll()) != null; ) rfree(tp, b);
        tp.rcvQueued = 0;
    }

    /** sock_rfree: a buffer of the receive side is freed and stops counting against the receive buffer. */
    static void rfree(TcpSock tp, PacketBuffer b) {
        TcpMem.runcharge(tp, truesize(b));
        b.release();
    }

    /**
     * {@code skb->truesize}: what a received buffer really pins, its whole capacity whatever the payload, which
     * is what the receive buffer limit is about.
     */
    static int truesize(PacketBuffer b) { return b.capacity(); }

    /** tcp_write_queue_purge: drops what was queued or in flight, and the flight counts with it. */
    private static void purgeWrite(TcpSock tp) {
        for (TcpSkb s; (s = tp.writeQueue.poll()) != null; ) tp.tcp.freeSkb(s);
        for (TcpSkb s; (s = tp.rtxQueue.poll()) != null; ) tp.tcp.freeSkb(s);
        TcpChrono.stop(tp, TcpChrono.BUSY);
        tp.wmemQueued = 0;
        tp.packetsOut = tp.sackedOut = tp.lostOut = tp.retransOut = 0;
    }

    // TcpCongestionSock: what the congestion control algorithm reads and sets.
    @Override public int sndCwnd() { return sndCwnd; }

    @Override public void setSndCwnd(int cwnd) { sndCwnd = Math.max(1, Math.min(cwnd, sndCwndClamp)); }

    @Override public int sndSsthresh() { return sndSsthresh; }

    @Override public void setSndSsthresh(int ssthresh) { sndSsthresh = ssthresh; }

    @Override public int sndCwndCnt() { return sndCwndCnt; }

    @Override public void setSndCwndCnt(int cnt) { sndCwndCnt = cnt; }

    @Override public int sndCwndClamp() { return sndCwndClamp; }

    @Override public int priorCwnd() { return priorCwnd; }

    @Override public boolean isCwndLimited() { return TcpCong.isCwndLimited(this); }

    @Override public long srttUs() { return rto.srtt() / 1000; }

    @Override public int mss() { return mssCache; }

    @Override public long nowNanos() { return tcp.now(); }

    @Override public int caState() { return caState; }

    @Override public int sndUna() { return sndUna; }

    @Override public int sndNxt() { return sndNxt; }

    /** {@link #lsndtime} on the {@link #nowNanos} clock, to the millisecond it is kept in. */
    @Override public long lsndtimeNanos() {
        long now = Math.floorDiv(tcp.now(), 1_000_000L);
        return (now - Integer.toUnsignedLong((int) now - lsndtime)) * 1_000_000L;
    }

    @Override public void netAddStats(io.inet4j.mib.TcpExtMib counter, long n) { tcp.ext.add(counter, n); }

    /** Bytes in flight ({@code snd_nxt - snd_una}). */
    int inFlight() { return sndNxt - sndUna; }

    /**
     * tcp_packets_in_flight: segments in the network, as cwnd counts them ({@code packets_out - left_out +
     * retrans_out}, left_out being SACKed plus lost).
     */
    @Override
    public int packetsInFlight() { return packetsOut - (sackedOut + lostOut) + retransOut; }

    /** Sequence number of a received segment waiting in the receive or out-of-order queue. */
    static int seq(PacketBuffer b) { return (int) b.cb0; }

    /** Whether a received segment carries the FIN. */
    static boolean fin(PacketBuffer b) { return (b.cb1 & io.inet4j.tcp.wire.TcpHeader.FIN) != 0; }

    /** End sequence of an out-of-order segment: its data plus one for a FIN ({@code end_seq}). */
    static int endSeq(PacketBuffer b) { return seq(b) + b.length() + (fin(b) ? 1 : 0); }

    @Override
    public String toString() {
        return "tcp " + TcpState.name(state) + " " + io.inet4j.socket.SockAddrIn.formatAddress(rcvSaddr != 0 ? rcvSaddr : saddr)
                + ":" + num + " -> " + io.inet4j.socket.SockAddrIn.formatAddress(daddr) + ":" + dport;
    }
}
