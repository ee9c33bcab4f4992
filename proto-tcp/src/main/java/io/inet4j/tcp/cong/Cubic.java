package io.inet4j.tcp.cong;

/**
 * CUBIC (RFC 9438), Linux's default congestion control ({@code net/ipv4/tcp_cubic.c}): after a loss the window
 * follows {@code W(t) = C (t - K)^3 + W_max}, concave up to the window the loss happened at and convex beyond it,
 * in time rather than in round trips, so flows with different RTTs share a path more fairly than Reno's.
 * Linux's integer arithmetic and numbers: beta 717/1024 (about 0.7), C = {@code bic_scale}/1024 * 10 with
 * {@code bic_scale} 41 (about 0.4), the window curve evaluated one minimum RTT ahead, at most one segment per two
 * acknowledged (1.5x per round trip), 5% per round trip before any loss, fast convergence (a flow losing below
 * its last maximum remembers less, to leave room for newcomers), the Reno-friendly region (a Reno estimate
 * {@code tcp_cwnd} the window never falls behind), the epoch shifted by idle time on
 * {@link TcpCongestionOps#CA_EVENT_TX_START}, everything forgotten on a timeout, undo to the window before the
 * reduction ({@code tcp_reno_undo_cwnd}).
 *
 * <p>Where it differs from Linux, and why:
 * <ul>
 *   <li>Slow start is HyStart++ (RFC 9406, {@code HystartPlusPlus}) instead of Linux's HyStart, whose ack-train
 *       heuristic misfires on paths that compress or pace ACKs and which exits slow start for good on a single
 *       delay rise; HyStart++ checks the rise over whole rounds and takes it back if the RTT falls again.</li>
 *   <li>{@code K = cbrt((W_max - cwnd) / C)} is an exact integer cube root; Linux's {@code cubic_root} is a table
 *       lookup and one Newton step, within about 0.2%, to avoid a division per epoch in the kernel.</li>
 *   <li>Time is the stack's clock in milliseconds (Linux's jiffies at HZ=1000), u32 as Linux keeps it and
 *       compared wrap-safe; the distance from K is capped where the cubic term is past any window, where Linux's
 *       64-bit product would overflow after some minutes in one epoch.</li>
 *   <li>The Reno-friendly estimate grows by Linux's fixed {@code beta_scale} (about 0.53 segments per window of
 *       ACKs, RFC 9438's {@code alpha_cubic}) throughout; RFC 9438 section 4.3 raises it to 1 once the estimate
 *       passes the last maximum. This follows Linux.</li>
 * </ul>
 *
 * <p>Linux's module parameters ({@code fast_convergence}, {@code beta}, {@code bic_scale},
 * {@code tcp_friendliness}, {@code hystart}) are not sysctls; here they are {@link Params} given to the
 * constructor. The registered {@code cubic} uses {@link Params#LINUX}; to offer other values, register a subclass
 * under another name that passes its own and returns that name.
 */
@TcpCongestion("cubic")
public class Cubic extends HystartPlusPlus implements TcpCongestionOps {
    /** {@code BICTCP_BETA_SCALE}: beta is in 1024ths. */
    static final int BICTCP_BETA_SCALE = 1024;
    /** {@code BICTCP_HZ}: time on the curve is in 1024ths of a second. */
    static final int BICTCP_HZ = 10;
    /** Jiffies per second: times are in milliseconds. */
    static final int HZ = 1000;
    /** The most segments CUBIC may ask to wait before the next increase once the target is reached. */
    private static final int FLAT = 100;

    /**
     * CUBIC's module parameters ({@code module_param} in tcp_cubic.c), with Linux's defaults in {@link #LINUX}.
     *
     * @param fastConvergence remember a lower maximum after a loss below the last one
     * @param beta the window kept after a loss, in 1024ths (717)
     * @param bicScale C in 1024ths of 1/10 (41: C = 0.4)
     * @param tcpFriendliness never grow slower than the Reno estimate
     * @param hystart run HyStart++ in the first slow start
     */
    public record Params(boolean fastConvergence, int beta, int bicScale, boolean tcpFriendliness, boolean hystart) {
        public static final Params LINUX = new Params(true, 717, 41, true, true);

        public Params {
            if (beta <= 0 || beta >= BICTCP_BETA_SCALE) throw new IllegalArgumentException("beta " + beta);
            if (bicScale <= 0) throw new IllegalArgumentException("bic_scale " + bicScale);
        }
    }

    /** What the parameters give, the same for every socket. */
    private final Scales scales;

    // struct bictcp
    /** Segments to acknowledge per window increase ({@code cnt}). */
    private int cnt;
    private int lastMaxCwnd;
    private int lastCwnd;
    /** When {@code cnt} was last computed, in u32 jiffies ({@code last_time}). */
    private int lastTime;
    private int bicOriginPoint;
    /** K in 1024ths of a second ({@code bic_K}, a u32 in Linux): at most the cube root of a long, 2^21. */
    private int bicK;
    /** Smallest RTT seen in microseconds, 0 for none ({@code delay_min}, a u32 in Linux). */
    private int delayMin;
    /**
     * When the current epoch began, in u32 jiffies ({@code epoch_start}), if {@link #inEpoch}: Linux's 0 for "no
     * epoch" would make a clock that reads 0 (a test's virtual clock) start none, so that is a flag of its own.
     */
    private int epochStart;
    private boolean inEpoch;
    private int ackCnt;
    private int tcpCwnd;

    /** CUBIC with Linux's parameters. */
    public Cubic() { this(Params.LINUX); }

    public Cubic(Params params) {
        this.scales = params == Params.LINUX ? Scales.LINUX : new Scales(params);
    }

    /**
     * The constants the parameters give ({@code beta_scale}, {@code cube_rtt_scale}, {@code cube_factor}, globals
     * in tcp_cubic.c), computed once per parameter set rather than kept in every socket.
     */
    private static final class Scales {
        static final Scales LINUX = new Scales(Params.LINUX);

        final Params params;
        /** {@code beta_scale}: 8 x Reno's ACKs per window increase for the friendly estimate. */
        final int betaScale;
        /** {@code cube_rtt_scale}: 1024 C. */
        final long cubeRttScale;
        /** {@code cube_factor}: 2^(3 BICTCP_HZ) / C, turning a window gap into K^3 in curve time. */
        final long cubeFactor;
        /** The largest distance from K whose cubic term fits in 64 bits: minutes, far past any window. */
        final long offsMax;

        Scales(Params params) {
            this.params = params;
            this.betaScale = 8 * (BICTCP_BETA_SCALE + params.beta()) / 3 / (BICTCP_BETA_SCALE - params.beta());
            this.cubeRttScale = params.bicScale() * 10L;
            this.cubeFactor = (1L << (10 + 3 * BICTCP_HZ)) / (params.bicScale() * 10L);
            this.offsMax = cubicRoot(Long.MAX_VALUE / cubeRttScale);
        }
    }

    @Override public String name() { return "cubic"; }

    /** Linux marks its default algorithm non-restricted ({@code tcp_set_default_congestion_control}). */
    @Override public int flags() { return TCP_CONG_NON_RESTRICTED; }

    /** cubictcp_init: no epoch, no maximum yet; HyStart++ starts its first round. */
    @Override
    public void init(TcpCongestionSock tp) {
        bictcpReset();
        if (scales.params.hystart()) reset(tp);
    }

    /** bictcp_reset. */
    private void bictcpReset() {
        cnt = 0;
        lastMaxCwnd = 0;
        lastCwnd = 0;
        lastTime = 0;
        bicOriginPoint = 0;
        bicK = 0;
        delayMin = 0;
        epochStart = 0;
        inEpoch = false;
        ackCnt = 0;
        tcpCwnd = 0;
    }

    /**
     * cubictcp_cwnd_event: sending resumes after the application let the flight drain. The epoch moves by the
     * idle time so the window resumes where it was on the curve instead of jumping ahead by the time nothing was
     * sent; never past now.
     */
    @Override
    public void cwndEvent(TcpCongestionSock tp, int event) {
        if (event != CA_EVENT_TX_START || !inEpoch) return;
        int now = jiffies(tp.nowNanos());
        int delta = now - jiffies(tp.lsndtimeNanos());
        if (delta > 0) {
            epochStart += delta;
            if (epochStart - now > 0) epochStart = now;
        }
    }

    /** cubictcp_cong_avoid: slow start (HyStart++ in the first), then the curve's pace of one more per cnt. */
    @Override
    public void congAvoid(TcpCongestionSock tp, int ack, int acked) {
        if (!tp.isCwndLimited()) return;
        if (tp.inSlowStart()) {
            acked = scales.params.hystart() && active(tp) ? slowStart(tp, acked) : tp.slowStart(acked);
            if (acked == 0) return;
        }
        update(tp.sndCwnd(), acked, jiffies(tp.nowNanos()));
        tp.congAvoidAi(cnt, acked);
    }

    /**
     * bictcp_update: {@code cnt}, how many acknowledged segments earn one more, from the distance between the
     * window and the curve's target one minimum RTT from now; at most once per millisecond.
     */
    private void update(int cwnd, int acked, int now) {
        ackCnt += acked;
        if (lastCwnd == cwnd && now - lastTime <= HZ / 32) return;
        if (!inEpoch || now != lastTime) {
            lastCwnd = cwnd;
            lastTime = now;
            if (!inEpoch) {
                inEpoch = true;
                epochStart = now;
                ackCnt = acked;
                tcpCwnd = cwnd;
                if (lastMaxCwnd <= cwnd) {
                    bicK = 0;
                    bicOriginPoint = cwnd;
                } else {
                    bicK = (int) cubicRoot(scales.cubeFactor * (lastMaxCwnd - cwnd));
                    bicOriginPoint = lastMaxCwnd;
                }
            }
            // t in 1024ths of a second, one minimum RTT ahead (usecs_to_jiffies rounds up).
            long t = (((long) (now - epochStart) + (delayMin + 999) / 1000) << BICTCP_HZ) / HZ;
            long offs = Math.min(Math.abs(t - bicK), scales.offsMax);
            long delta = (scales.cubeRttScale * offs * offs * offs) >> (10 + 3 * BICTCP_HZ);
            long target = t < bicK ? bicOriginPoint - delta : bicOriginPoint + delta;
            cnt = target > cwnd ? (int) (cwnd / (target - cwnd)) : FLAT * cwnd;
            // Before the first loss the bandwidth is unknown and the curve's start too timid: 5% per round trip.
            if (lastMaxCwnd == 0 && cnt > 20) cnt = 20;
        }
        if (scales.params.tcpFriendliness()) {
            int perIncrease = (int) (((long) cwnd * scales.betaScale) >> 3);
            if (ackCnt > perIncrease) { // Linux's loop: take perIncrease while more than perIncrease is left
                int n = (ackCnt - 1) / perIncrease;
                ackCnt -= n * perIncrease;
                tcpCwnd += n;
            }
            if (tcpCwnd > cwnd) cnt = Math.min(cnt, cwnd / (tcpCwnd - cwnd));
        }
        cnt = Math.max(cnt, 2);
    }

    /**
     * cubictcp_recalc_ssthresh: the epoch ends; the window is the new maximum, or with fast convergence a bit
     * less when it is below the last one; beta of it stays.
     */
    @Override
    public int ssthresh(TcpCongestionSock tp) {
        int cwnd = tp.sndCwnd();
        inEpoch = false;
        if (cwnd < lastMaxCwnd && scales.params.fastConvergence()) {
            lastMaxCwnd = (int) ((long) cwnd * (BICTCP_BETA_SCALE + scales.params.beta()) / (2 * BICTCP_BETA_SCALE));
        } else {
            lastMaxCwnd = cwnd;
        }
        return Math.max((int) ((long) cwnd * scales.params.beta() / BICTCP_BETA_SCALE), 2);
    }

    /** cubictcp_state: a timeout forgets the curve and the minimum RTT. */
    @Override
    public void setState(TcpCongestionSock tp, int newState) {
        if (newState == TCP_CA_LOSS) init(tp);
    }

    /** tcp_reno_undo_cwnd, which Linux's CUBIC uses: the window before the reduction. */
    @Override
    public int undoCwnd(TcpCongestionSock tp) {
        return Math.max(tp.sndCwnd(), tp.priorCwnd());
    }

    /**
     * cubictcp_acked: the minimum RTT, except in the first second of an epoch (just after recovery, when queues
     * are still draining); HyStart++ sees every ACK of the first slow start.
     */
    @Override
    public void pktsAcked(TcpCongestionSock tp, TcpAckSample sample) {
        long rttUs = sample.rttUs();
        if (scales.params.hystart() && active(tp)) onAck(tp, rttUs);
        if (rttUs < 0) return;
        if (inEpoch && jiffies(tp.nowNanos()) - epochStart < HZ) return;
        int delay = (int) Math.min(Math.max(rttUs, 1), Integer.MAX_VALUE);
        if (delayMin == 0 || delayMin > delay) delayMin = delay;
    }

    /** The largest x with x^3 <= a. */
    static long cubicRoot(long a) {
        long x = (long) Math.cbrt((double) a);
        while (x * x * x > a) x--;
        while ((x + 1) * (x + 1) * (x + 1) <= a) x++;
        return x;
    }

    /** {@code tcp_jiffies32}: the clock in milliseconds, modulo 2^32. */
    private static int jiffies(long nanos) { return (int) Math.floorDiv(nanos, 1_000_000L); }

    // For tests: the curve's state.
    int cnt() { return cnt; }

    int lastMaxCwnd() { return lastMaxCwnd; }

    long bicK() { return bicK; }

    int tcpCwnd() { return tcpCwnd; }

    long delayMin() { return delayMin; }
}
