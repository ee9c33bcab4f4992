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
    /** When the request last answered a retransmitted SYN or a segment out of its window ({@code last_oow_ack_time}). */
    final TcpOowLimit oow = new TcpOowLimit();
    /** SYN-ACKs sent again, by the timer or for a repeated SYN ({@code num_retrans}): Karn's rule. */
    int numRetrans;
    /** When the first SYN-ACK went ({@code snt_synack}), for the connection's first RTT sample. */
    long sntSynack;
    final Timer timer;

    TcpRequestSock(TcpSock listener, TcpSegment syn, int sndIsn) {
        this.listener = listener;
        this.laddr = syn.daddr;
        this.lport = syn.dport;
        this.raddr = syn.saddr;
        this.rport = syn.sport;
        this.rcvIsn = syn.seq;
        this.sndIsn = sndIsn;
        this.peerMss = syn.peerMss();
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
