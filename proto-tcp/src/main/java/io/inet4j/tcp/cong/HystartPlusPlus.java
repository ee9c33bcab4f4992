package io.inet4j.tcp.cong;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.tcp.TcpSeq;

/**
 * HyStart++ (RFC 9406), the slow start {@link Cubic} runs in place of Linux's HyStart: slow start that watches the
 * smallest RTT of each round trip and, when it rises by a threshold over the last round's, leaves for Conservative
 * Slow Start (CSS), a quarter of the growth for at most {@code CSS_ROUNDS} rounds before congestion avoidance; an
 * RTT that falls back below what started CSS shows the rise was jitter, and slow start resumes.
 *
 * <p>Rounds are counted by sequence, as the RFC and Linux's {@code hystart_update} count them: a round ends when
 * {@code snd_una} passes the {@code snd_nxt} recorded when it began ({@code windowEnd}, Linux's {@code end_seq}).
 * It runs only in the connection's first slow start, while ssthresh is still infinite (RFC 9406 section 4.2:
 * later slow starts have the ssthresh a loss found); Linux's HyStart runs again after every timeout.
 * Windows are in segments, so {@code min(N, L * SMSS)} is {@code min(acked, L)}; nothing here paces, so L is 8.
 *
 * <p>{@link Cubic} extends it so that its round state lives in the one per-socket object, as Linux keeps HyStart's
 * fields in {@code struct bictcp} inside {@code icsk_ca_priv}: a second object would cost every connection a header
 * and a reference.
 */
class HystartPlusPlus {
    /** {@code TCP_INFINITE_SSTHRESH}: the ssthresh of a connection that has not seen a loss. */
    static final int TCP_INFINITE_SSTHRESH = Integer.MAX_VALUE;
    static final long MIN_RTT_THRESH_US = 4_000;
    static final long MAX_RTT_THRESH_US = 16_000;
    static final int MIN_RTT_DIVISOR = 8;
    static final int N_RTT_SAMPLE = 8;
    static final int CSS_GROWTH_DIVISOR = 4;
    static final int CSS_ROUNDS = 5;
    /** The most one ACK grows the window by in slow start when segments are not paced. */
    static final int L = 8;
    /** No RTT yet; also what a sample of 35 minutes or more counts as. */
    private static final int INFINITY = Integer.MAX_VALUE;

    // RTTs in microseconds as ints, as Linux keeps them (u32): longs would cost every connection 12 bytes.
    private int lastRoundMinRtt;
    private int currentRoundMinRtt;
    /** RTT samples this round, counted up to {@link #N_RTT_SAMPLE} only: a byte, as the count never needs more. */
    private byte rttSampleCount;
    private int windowEnd;
    /** The round's minimum RTT that started CSS, {@link #INFINITY} outside CSS. */
    private int cssBaselineMinRtt;
    /** Rounds that ended in CSS; the partial round CSS began in is the first. */
    private byte cssRounds;
    /** Acknowledged segments not yet turned into CSS growth (fractions of {@link #CSS_GROWTH_DIVISOR}). */
    private int cssAcked;

    /** The state at the start of a connection; the first round ends with the ACK of {@code snd_nxt}. */
    void reset(TcpCongestionSock tp) {
        lastRoundMinRtt = INFINITY;
        currentRoundMinRtt = INFINITY;
        rttSampleCount = 0;
        windowEnd = tp.sndNxt();
        cssBaselineMinRtt = INFINITY;
        cssRounds = 0;
        cssAcked = 0;
    }

    /** Whether this is still the first slow start, where HyStart++ decides when it ends. */
    static boolean active(TcpCongestionSock tp) {
        return tp.sndSsthresh() == TCP_INFINITE_SSTHRESH;
    }

    /** Whether the window now grows at CSS's reduced rate. */
    boolean inCss() { return cssBaselineMinRtt != INFINITY; }

    /**
     * Per ACK, from {@code pkts_acked}: a round that ended starts the next (and may end CSS, setting ssthresh to
     * the window), then the RTT sample, or -1 for none, goes into this round's minimum and the delay test runs.
     */
    void onAck(TcpCongestionSock tp, long rttUs) {
        if (TcpSeq.after(tp.sndUna(), windowEnd)) {
            windowEnd = tp.sndNxt();
            lastRoundMinRtt = currentRoundMinRtt;
            currentRoundMinRtt = INFINITY;
            rttSampleCount = 0;
            if (inCss() && ++cssRounds >= CSS_ROUNDS) {
                tp.setSndSsthresh(tp.sndCwnd()); // CSS is over: congestion avoidance from here
                return;
            }
        }
        if (rttUs < 0) return;
        currentRoundMinRtt = (int) Math.min(currentRoundMinRtt, rttUs);
        if (rttSampleCount < N_RTT_SAMPLE && ++rttSampleCount < N_RTT_SAMPLE) return;
        if (!inCss()) {
            if (lastRoundMinRtt == INFINITY) return;
            long rttThresh = Math.max(MIN_RTT_THRESH_US,
                    Math.min(lastRoundMinRtt / MIN_RTT_DIVISOR, MAX_RTT_THRESH_US));
            if (currentRoundMinRtt >= lastRoundMinRtt + rttThresh) {
                cssBaselineMinRtt = currentRoundMinRtt;
                cssRounds = 0;
                cssAcked = 0;
                // Linux counts its own delay heuristic's exit here, with the window it left at.
                tp.netAddStats(TcpExtMib.TCPHystartDelayDetect, 1);
                tp.netAddStats(TcpExtMib.TCPHystartDelayCwnd, tp.sndCwnd());
            }
        } else if (currentRoundMinRtt < cssBaselineMinRtt) {
            cssBaselineMinRtt = INFINITY; // the delay rise was spurious: back to slow start
        }
    }

    /**
     * The window growth for {@code acked} newly acknowledged segments: {@code min(acked, L)} in slow start, a
     * {@link #CSS_GROWTH_DIVISOR}th of it in CSS. Returns the acknowledgments left for congestion avoidance: none,
     * since ssthresh is infinite while this runs.
     */
    int slowStart(TcpCongestionSock tp, int acked) {
        int grow = Math.min(acked, L);
        if (inCss()) {
            cssAcked += grow;
            grow = cssAcked / CSS_GROWTH_DIVISOR;
            cssAcked -= grow * CSS_GROWTH_DIVISOR;
        }
        tp.setSndCwnd(Math.min(tp.sndCwnd() + grow, tp.sndCwndClamp()));
        return 0;
    }
}
