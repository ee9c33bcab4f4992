package io.inet4j.tcp;

import io.inet4j.hook.AttachType;
import io.inet4j.hook.SockOp;
import io.inet4j.hook.SockOpsContext;

/**
 * TCP's SOCK_OPS callbacks ({@code tcp_call_bpf} of {@code include/net/tcp.h}) and the {@code bpf_sock_ops} view of
 * a {@link TcpSock} its hooks see. A callback costs one read of the socket's scope when nothing is attached; the
 * optional ones are called only for sockets whose hook set their flag ({@code BPF_SOCK_OPS_TEST_FLAG}).
 */
final class TcpSockOps extends SockOpsContext {
    private final TcpSock tp;

    private TcpSockOps(TcpSock tp, SockOp op, int... args) {
        super(tp, op, args);
        this.tp = tp;
    }

    /** tcp_call_bpf: runs the SOCK_OPS hooks of {@code tp}'s scope for {@code op}; what they answer is ignored. */
    static void call(TcpSock tp, SockOp op, int... args) {
        if (!tp.scope.enabled(AttachType.SOCK_OPS)) return;
        tp.scope.run(AttachType.SOCK_OPS, new TcpSockOps(tp, op, args));
    }

    /** Whether {@code tp}'s hook asked for the optional callbacks of {@code flag}. */
    static boolean wanted(TcpSock tp, int flag) { return (tp.sockOpsCbFlags & flag) != 0; }

    @Override public int localIp4() { return tp.rcvSaddr != 0 ? tp.rcvSaddr : tp.saddr; }

    @Override public int localPort() { return tp.num; }

    @Override public int remoteIp4() { return tp.daddr; }

    @Override public int remotePort() { return tp.dport; }

    @Override public int srttUs() { return (int) Math.min(Integer.MAX_VALUE, tp.rto.srtt() * 8 / 1000); }

    @Override public int sndCwnd() { return tp.sndCwnd; }

    @Override public int sndSsthresh() { return tp.sndSsthresh; }

    @Override public int mssCache() { return tp.mssCache; }

    @Override public long bytesAcked() { return tp.bytesAcked; }

    @Override public long bytesReceived() { return tp.bytesReceived; }

    @Override public int totalRetrans() { return tp.loss.totalRetrans; }

    @Override public int segsIn() { return tp.segsIn; }

    @Override public int segsOut() { return tp.segsOut; }

    @Override public int cbFlags() { return tp.sockOpsCbFlags; }

    @Override protected void storeCbFlags(int flags) { tp.sockOpsCbFlags = (byte) flags; }
}
