package io.inet4j.tcp;

import io.inet4j.loop.Timer;

/**
 * A half-open passive connection ({@code struct tcp_request_sock}): the SYN we answered, kept in the listener's
 * SYN queue until the final ACK arrives or {@code tcp_synack_retries} retransmissions of the SYN-ACK go
 * unanswered ({@code reqsk_timer_handler}).
 */
final class TcpRequestSock {
    final TcpSock listener;
    final int laddr;
    final int lport;
    final int raddr;
    final int rport;
    final int rcvIsn;
    final int sndIsn;
    final int peerMss;
    /** The options the SYN offered and we accepted ({@code inet_request_sock}'s bits, {@code ts_recent}). */
    final TcpRxOpt rxOpt = new TcpRxOpt();
    /** The SYN asked for ECN and we agreed ({@code inet_rsk(req)->ecn_ok}). */
    boolean ecnOk;
    /** The window our SYN-ACK offered ({@code rsk_rcv_wnd}): what tcp_check_req accepts segments into. */
    int rcvWnd;
    /** The largest window the connection will offer ({@code rsk_window_clamp}), the child's {@code window_clamp}. */
    int windowClamp;
    /** Times the SYN-ACK timer fired ({@code num_timeout}): its backoff and give-up. */
    int retransmits;
    /** A bare ACK completed the handshake while TCP_DEFER_ACCEPT waits for data ({@code inet_rsk(req)->acked}). */
    boolean acked;
    /** When the request last answered a retransmitted SYN or a segment out of its window ({@code last_oow_ack_time}). */
    final TcpOowLimit oow = new TcpOowLimit();
    /** SYN-ACKs sent again, by the timer or for a repeated SYN ({@code num_retrans}): Karn's rule. */
    int numRetrans;
    /** When the first SYN-ACK went ({@code snt_synack}), for the connection's first RTT sample. */
    long sntSynack;
    final Timer timer;

    /** Built from a cookie ({@code req->syncookie}): never queued, no SYN-ACK timing. */
    final boolean syncookie;

    /** The request {@code syn} opens, answered from {@code sndIsn}; a cookie ISN when {@code syncookie}. */
    TcpRequestSock(TcpSock listener, TcpSegment syn, int sndIsn, boolean syncookie) {
        this(listener, syn, syn.seq, sndIsn, syn.peerMss(), syncookie);
    }

    /**
     * cookie_tcp_reqsk_alloc: the request a valid cookie stands for, rebuilt from the final ACK ({@code seq - 1} and
     * {@code ack - 1} are the two ISNs) and the MSS the cookie carried.
     */
    static TcpRequestSock fromCookie(TcpSock listener, TcpSegment ack, int mss) {
        return new TcpRequestSock(listener, ack, ack.seq - 1, ack.ack - 1, mss, true);
    }

    private TcpRequestSock(TcpSock listener, TcpSegment seg, int rcvIsn, int sndIsn, int peerMss, boolean syncookie) {
        this.listener = listener;
        this.laddr = seg.daddr;
        this.lport = seg.dport;
        this.raddr = seg.saddr;
        this.rport = seg.sport;
        this.rcvIsn = rcvIsn;
        this.sndIsn = sndIsn;
        this.peerMss = peerMss;
        this.syncookie = syncookie;
        this.timer = new Timer(() -> TcpListen.synackTimer(this));
        this.key = new Key(laddr, raddr, rport);
    }

    /**
     * What tells requests to one listener apart: the 4-tuple less the listener's port. The local address counts,
     * since a wildcard listener takes SYNs for every address of the host (Linux hashes a request by the 4-tuple).
     */
    record Key(int laddr, int raddr, int rport) {}

    private final Key key;

    Key key() { return key; }

    /** Stops its timer; the caller removes it from the SYN queue. */
    void drop() { listener.net.loop().cancel(timer); }
}
