package io.inet4j.samples.hooks;

import io.inet4j.tcp.cong.TcpCongestion;
import io.inet4j.tcp.cong.TcpCongestionOps;
import io.inet4j.tcp.cong.TcpCongestionSock;

/**
 * Scalable TCP (Tom Kelly, 2003), Linux's {@code tcp_scalable.c}, as a congestion control plug-in from outside the
 * core: above slow start the window grows by one segment per {@code min(cwnd, 100)} ACKed segments, and a loss
 * takes an eighth off it instead of half. Registered as {@code scalable}; {@link CongestionByDestination} picks
 * it for some destinations.
 */
@TcpCongestion("scalable")
public final class Scalable implements TcpCongestionOps {
    private static final int AI_CNT = 100;
    private static final int MD_SCALE = 3;

    @Override public String name() { return "scalable"; }

    /** tcp_scalable_cong_avoid. */
    @Override
    public void congAvoid(TcpCongestionSock tp, int ack, int acked) {
        if (!tp.isCwndLimited()) return;
        if (tp.inSlowStart()) {
            acked = tp.slowStart(acked);
            if (acked == 0) return;
        }
        tp.congAvoidAi(Math.min(tp.sndCwnd(), AI_CNT), acked);
    }

    /** tcp_scalable_ssthresh: an eighth off, at least 2. */
    @Override
    public int ssthresh(TcpCongestionSock tp) { return Math.max(tp.sndCwnd() - (tp.sndCwnd() >> MD_SCALE), 2); }

    /** tcp_reno_undo_cwnd. */
    @Override
    public int undoCwnd(TcpCongestionSock tp) { return Math.max(tp.sndCwnd(), tp.priorCwnd()); }
}
