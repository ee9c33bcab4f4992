package io.inet4j.tcp;

import io.inet4j.tcp.cong.TcpCongestion;
import io.inet4j.tcp.cong.TcpCongestionOps;
import io.inet4j.tcp.cong.TcpCongestionSock;

/** A second congestion control for {@link TcpHooksTest} to switch to from a SOCK_OPS callback: a fixed window. */
@TcpCongestion("hk_fixed")
public final class HookTestCong implements TcpCongestionOps {
    @Override public String name() { return "hk_fixed"; }

    @Override public int flags() { return TCP_CONG_NON_RESTRICTED; }

    @Override public int ssthresh(TcpCongestionSock tp) { return tp.sndCwnd(); }

    @Override public void congAvoid(TcpCongestionSock tp, int ack, int acked) {}

    @Override public int undoCwnd(TcpCongestionSock tp) { return tp.sndCwnd(); }
}
