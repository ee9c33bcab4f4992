package io.inet4j.tcp;

/**
 * One connection's round-trip estimate and retransmission timeout: Linux's {@code tcp_rtt_estimator()},
 * {@code tcp_set_rto()} and {@code tcp_bound_rto()} (net/ipv4/tcp_input.c, include/net/tcp.h), plus the
 * exponential backoff of {@code tcp_retransmit_timer()}. RFC 6298 with Linux's constants and its one big
 * departure, explained below. Times given and returned are nanoseconds; nothing allocates.
 *
 * <h2>What Linux computes</h2>
 * The state is kept scaled, as in {@code struct tcp_sock}: {@code srtt} is 8 x SRTT and {@code mdev} is
 * 4 x the mean deviation, so the RFC's gains (1/8, 1/4) become shifts. On the first sample R:
 * {@code SRTT = R}, {@code mdev = R/2}. Later samples move SRTT by 1/8 of the error and mdev by 1/4 of the
 * change in deviation, except that a sample below SRTT can raise mdev only with a gain of 1/32 (Linux's
 * Eifel-like damping: a sudden fast ACK must not inflate the timeout).
 *
 * <p>The RFC's {@code RTO = SRTT + max(G, 4 x RTTVAR)} becomes {@code RTO = SRTT + rttvar}, where rttvar is
 * 4 x RTTVAR with {@code tcp_rto_min} (200 ms) as its floor: on the first sample {@code rttvar = max(2R, rto_min)}
 * (RTO = 3R, or R + 200 ms on a fast path); afterwards rttvar follows the largest mdev seen during each round
 * trip ({@code mdev_max}), rising at once and decaying by 1/4 per round trip, never below {@code rto_min}
 * because each round's maximum starts there. So Linux's minimum timeout is
 * {@code SRTT + 200 ms}, not the RFC's flat 1 s floor nor a plain 200 ms: a 10 ms path gets a 210 ms RTO.
 * The result is capped at {@code TCP_RTO_MAX} (120 s). Before any sample the RTO is {@code TCP_TIMEOUT_INIT}
 * (1 s, RFC 6298 §2.1).
 *
 * <p>A round trip ends when the cumulative ACK passes the {@code snd_nxt} recorded when the round began, which is
 * why {@link #onAck} takes {@code sndUna} and {@code sndNxt}. The state is in microseconds, u32 as in Linux
 * ({@code int} here, samples capped at {@link #TCP_RTO_MAX} so none overflows), 16 bytes a connection less than
 * nanosecond longs; the API speaks nanoseconds. Linux rounds the RTO up to jiffies; this does not round.
 *
 * <h2>Karn's rule is the caller's</h2>
 * Feed {@link #onAck} only samples that cannot be ambiguous: from a segment that was never retransmitted, or from
 * a timestamp echo (RFC 7323 makes those safe). A valid sample also ends any backoff ({@code icsk_backoff = 0}
 * in {@code tcp_ack_update_rtt()}); an ACK without a sample leaves the backed-off RTO in place.
 */
public final class RtoEstimator {
    /** {@code TCP_RTO_MIN}: HZ/5. */
    public static final long TCP_RTO_MIN = 200_000_000L;
    /** {@code TCP_RTO_MAX}: 120 s. */
    public static final long TCP_RTO_MAX = 120_000_000_000L;
    /** {@code TCP_TIMEOUT_INIT}: the RTO before any sample (RFC 6298 §2.1). */
    public static final long TCP_TIMEOUT_INIT = 1_000_000_000L;

    /** Linux's default bounds, shared by every estimator that keeps them. */
    private static final Bounds DEFAULT_BOUNDS = new Bounds(TCP_RTO_MIN, TCP_RTO_MAX);

    /** The floor of the variance term and the cap of the RTO: one object per setting, not two longs per socket. */
    private record Bounds(long rtoMin, long rtoMax) {
        Bounds {
            if (rtoMin <= 0 || rtoMax < rtoMin) {
                throw new IllegalArgumentException("RTO bounds " + rtoMin + ", " + rtoMax);
            }
        }

        /** The floor in microseconds, the estimator's unit; at most {@link #TCP_RTO_MAX}'s. */
        int rtoMinUs() { return (int) (Math.min(rtoMin, TCP_RTO_MAX) / 1000); }
    }

    private final Bounds bounds;

    /** 8 x SRTT in microseconds ({@code srtt_us}); 0 until the first sample. */
    private int srtt8;
    /** 4 x mean deviation in microseconds ({@code mdev_us}). */
    private int mdev4;
    /** Largest mdev4 in the current round trip ({@code mdev_max_us}). */
    private int mdevMax;
    /** The variance term of the RTO, 4 x RTTVAR in microseconds, at least rtoMin ({@code rttvar_us}). */
    private int rttvar;
    /** snd_nxt when the current round trip began ({@code rtt_seq}). */
    private int rttSeq;
    /**
     * Timeouts since the last sample ({@code icsk_backoff}). The RTO itself is not kept: it follows from the
     * estimate and this ({@link #rto()}), and a field would cost every connection 8 bytes.
     */
    private int backoff;

    /** An estimator with Linux's default bounds: 200 ms and 120 s. */
    public RtoEstimator() {
        this(TCP_RTO_MIN, TCP_RTO_MAX);
    }

    /**
     * An estimator with other bounds, as {@code net.ipv4.tcp_rto_min_us}, {@code net.ipv4.tcp_rto_max_ms} or the
     * route's {@code rto_min} set them.
     */
    public RtoEstimator(long rtoMinNanos, long rtoMaxNanos) {
        this(rtoMinNanos == TCP_RTO_MIN && rtoMaxNanos == TCP_RTO_MAX
                ? DEFAULT_BOUNDS : new Bounds(rtoMinNanos, rtoMaxNanos));
    }

    private RtoEstimator(Bounds bounds) {
        this.bounds = bounds;
        reset();
    }

    /** Forgets every sample: back to the initial 1 s RTO, as {@code tcp_disconnect()} does. */
    public void reset() {
        srtt8 = 0;
        mdev4 = 0;
        mdevMax = 0;
        rttvar = 0;
        rttSeq = 0;
        backoff = 0;
    }

    /**
     * Takes one RTT sample ({@code tcp_ack_update_rtt()}): updates SRTT and the variance, recomputes the RTO and
     * clears the backoff. {@code sndUna} is the cumulative ACK just taken and {@code sndNxt} the next sequence to
     * send; they mark round trips. A negative sample is ignored and returns false (as Linux does).
     */
    public boolean onAck(long rttNanos, int sndUna, int sndNxt) {
        if (rttNanos < 0) return false;
        int m = (int) (Math.min(rttNanos, TCP_RTO_MAX) / 1000);
        int srtt = srtt8;
        if (srtt != 0) {
            m -= srtt >> 3;
            srtt += m;
            if (m < 0) {
                m = -m;
                m -= mdev4 >> 2;
                // A sample below srtt: use a gain of 1/32 instead of 1/4 on mdev.
                if (m > 0) m >>= 3;
            } else {
                m -= mdev4 >> 2;
            }
            mdev4 += m;
            if (mdev4 > mdevMax) {
                mdevMax = mdev4;
                if (mdevMax > rttvar) rttvar = mdevMax;
            }
            if (TcpSeq.after(sndUna, rttSeq)) {
                if (mdevMax < rttvar) rttvar -= (rttvar - mdevMax) >> 2;
                rttSeq = sndNxt;
                mdevMax = bounds.rtoMinUs();
            }
        } else {
            srtt = m << 3;
            mdev4 = m << 1;
            rttvar = Math.max(mdev4, bounds.rtoMinUs());
            mdevMax = rttvar;
            rttSeq = sndNxt;
        }
        srtt8 = Math.max(1, srtt);
        backoff = 0;
        return true;
    }

    /**
     * The retransmission timer fired: double the RTO up to the cap and count the backoff
     * ({@code icsk_backoff++; icsk_rto = min(icsk_rto << 1, TCP_RTO_MAX)}, RFC 6298 §5.5).
     */
    public void backoff() {
        backoff++;
    }

    /**
     * The current retransmission timeout, backoff included ({@code icsk_rto}): {@code SRTT + rttvar}, or
     * {@link #TCP_TIMEOUT_INIT} before a sample, doubled per backoff, never past the cap. Doubling at each timeout
     * and capping each time, as Linux does, comes to the same.
     */
    public long rto() {
        long base = srtt8 == 0 ? TCP_TIMEOUT_INIT : ((srtt8 >> 3) + (long) rttvar) * 1000;
        long max = bounds.rtoMax();
        if (base >= max) return max;
        return backoff >= Long.numberOfLeadingZeros(base) - 1 ? max : Math.min(base << backoff, max);
    }

    /** How many times the timer has backed off since the last sample ({@code icsk_backoff}). */
    public int backoffCount() { return backoff; }

    /** True once a sample has been taken. */
    public boolean hasSample() { return srtt8 != 0; }

    /** The smoothed RTT; 0 before the first sample. */
    public long srtt() { return (srtt8 >> 3) * 1000L; }

    /** The mean deviation, what {@code tcpi_rttvar} and {@code ss -i} report ({@code mdev_us >> 2}). */
    public long rttvar() { return (mdev4 >> 2) * 1000L; }
}
