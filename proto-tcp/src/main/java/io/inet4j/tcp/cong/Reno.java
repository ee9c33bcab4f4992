package io.inet4j.tcp.cong;

/**
 * TCP Reno, Linux's built-in fallback ({@code tcp_reno} in {@code net/ipv4/tcp_cong.c}, RFC 5681): slow start
 * below ssthresh, one segment per window of ACKs above it, half the window after a loss. NewReno's recovery
 * (RFC 6582) is TCP's own and works with any algorithm. Keeps no per-socket state.
 */
@TcpCongestion("reno")
public final class Reno implements TcpCongestionOps {
    @Override public String name() { return "reno"; }

    @Override public int flags() { return TCP_CONG_NON_RESTRICTED; }

    /** tcp_reno_ssthresh: half the window, at least 2. */
    @Override
    public int ssthresh(TcpCongestionSock tp) {
        return Math.max(tp.sndCwnd() >> 1, 2);
    }

    /** tcp_reno_cong_avoid: no growth unless the window is what limits sending. */
    @Override
    public void congAvoid(TcpCongestionSock tp, int ack, int acked) {
        if (!tp.isCwndLimited()) return;
        if (tp.inSlowStart()) {
            acked = tp.slowStart(acked);
            if (acked == 0) return;
        }
        tp.congAvoidAi(tp.sndCwnd(), acked);
    }

    /** tcp_reno_undo_cwnd. */
    @Override
    public int undoCwnd(TcpCongestionSock tp) {
        return Math.max(tp.sndCwnd(), tp.priorCwnd());
    }
}
