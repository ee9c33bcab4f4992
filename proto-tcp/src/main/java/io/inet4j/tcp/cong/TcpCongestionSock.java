package io.inet4j.tcp.cong;

import io.inet4j.mib.TcpExtMib;

/**
 * The part of a TCP socket a congestion control may read and set: the fields of {@code struct tcp_sock} that
 * {@code net/ipv4/tcp_cong.c} and the algorithms under {@code net/ipv4/tcp_*.c} touch, plus Linux's shared
 * helpers {@code tcp_slow_start} and {@code tcp_cong_avoid_ai}. Windows count segments ({@code tcp_skb_pcount}),
 * not bytes. An algorithm written against this view needs nothing else from the stack.
 */
public interface TcpCongestionSock {
    /** Congestion window in segments ({@code snd_cwnd}). */
    int sndCwnd();

    /** Sets the window; TCP keeps it within 1 and {@link #sndCwndClamp()}. */
    void setSndCwnd(int cwnd);

    /** Slow-start threshold in segments ({@code snd_ssthresh}); {@code Integer.MAX_VALUE} until the first loss. */
    int sndSsthresh();

    void setSndSsthresh(int ssthresh);

    /** ACKed segments counted towards the next cwnd increase in congestion avoidance ({@code snd_cwnd_cnt}). */
    int sndCwndCnt();

    void setSndCwndCnt(int cnt);

    /** The most the window may grow to ({@code snd_cwnd_clamp}). */
    int sndCwndClamp();

    /** The window before the last reduction, what {@link TcpCongestionOps#undoCwnd} restores ({@code prior_cwnd}). */
    int priorCwnd();

    /** Segments in the network now: sent, minus those left or lost, plus retransmissions ({@code tcp_packets_in_flight}). */
    int packetsInFlight();

    /** Whether the window, not the application, limits sending ({@code tcp_is_cwnd_limited}). */
    boolean isCwndLimited();

    /** Smoothed RTT in microseconds, 0 before the first sample ({@code srtt_us >> 3}). */
    long srttUs();

    /** The send MSS in bytes ({@code mss_cache}). */
    int mss();

    /** The stack's clock in nanoseconds ({@code tcp_clock_ns}). */
    long nowNanos();

    /** The recovery state, one of {@code TcpCongestionOps.TCP_CA_*} ({@code icsk_ca_state}). */
    int caState();

    /** The oldest unacknowledged sequence number ({@code snd_una}); a round trip ends when it passes a mark. */
    int sndUna();

    /** The next sequence number to send ({@code snd_nxt}): the mark that ends the round trip starting now. */
    int sndNxt();

    /**
     * When data last left, on the {@link #nowNanos} clock, 0 before any ({@code lsndtime}): to the millisecond, the
     * jiffy Linux keeps it in.
     */
    long lsndtimeNanos();

    /** Adds {@code n} to a {@code TcpExt} counter of the socket's stack ({@code NET_ADD_STATS(sock_net(sk), ...)}). */
    void netAddStats(TcpExtMib counter, long n);

    /** Below the threshold the window grows per ACK ({@code tcp_in_slow_start}). */
    default boolean inSlowStart() { return sndCwnd() < sndSsthresh(); }

    /**
     * tcp_slow_start: one segment per segment acknowledged, up to ssthresh; returns the acknowledgments left over
     * for congestion avoidance.
     */
    default int slowStart(int acked) {
        int cwnd = Math.min(sndCwnd() + acked, sndSsthresh());
        int left = acked - (cwnd - sndCwnd());
        setSndCwnd(Math.min(cwnd, sndCwndClamp()));
        return left;
    }

    /** tcp_cong_avoid_ai: one segment more per {@code w} segments acknowledged. */
    default void congAvoidAi(int w, int acked) {
        int cnt = sndCwndCnt();
        int cwnd = sndCwnd();
        if (cnt >= w) {
            cnt = 0;
            cwnd++;
        }
        cnt += acked;
        if (cnt >= w) {
            int delta = cnt / w;
            cnt -= delta * w;
            cwnd += delta;
        }
        setSndCwnd(Math.min(cwnd, sndCwndClamp()));
        setSndCwndCnt(cnt);
    }
}
