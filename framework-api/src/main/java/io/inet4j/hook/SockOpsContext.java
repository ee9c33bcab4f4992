package io.inet4j.hook;

import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockOptions;
import java.nio.charset.StandardCharsets;

/**
 * What a SOCK_OPS hook sees: the analog of {@code struct bpf_sock_ops}, for one {@link SockOp} of one TCP
 * socket. It reads the connection's addresses, state and the counters a {@code tcplife} / {@code tcpconnect} tool
 * reports, and acts through {@link #setsockopt} (the options {@code bpf_setsockopt} allows, applied to the socket
 * at once as the kernel does from the callback) and {@link #setCbFlags} ({@code bpf_sock_ops_cb_flags_set}).
 * The transport fills it ({@code proto-tcp}); it is valid only during the call.
 */
public abstract class SockOpsContext {
    /** TCP_WINDOW_CLAMP, TCP_THIN_LINEAR_TIMEOUTS, TCP_USER_TIMEOUT, TCP_NOTSENT_LOWAT, TCP_SAVE_SYN: allowed. */
    private static final int TCP_WINDOW_CLAMP = 10;
    private static final int TCP_THIN_LINEAR_TIMEOUTS = 16;
    private static final int TCP_USER_TIMEOUT = 18;
    private static final int TCP_NOTSENT_LOWAT = 25;
    private static final int TCP_SAVE_SYN = 27;

    protected final Sock sk;
    private final SockOp op;
    private final int[] args;

    protected SockOpsContext(Sock sk, SockOp op, int... args) {
        this.sk = sk;
        this.op = op;
        this.args = args;
    }

    public SockOp op() { return op; }

    /** {@code args[i]} of the op (see {@link SockOp}); 0 past those it has. */
    public int arg(int i) { return i < args.length ? args[i] : 0; }

    public int family() { return sk.family; }

    /** TCP state number ({@code BPF_TCP_*}). */
    public int state() { return sk.state; }

    /** The scope the socket belongs to. */
    public Scope scope() { return sk.scope; }

    /** The stack's clock now, in nanoseconds ({@code bpf_ktime_get_ns}): what a tracer times connections with. */
    public long nowNanos() { return sk.net.loop().clock().nanoTime(); }

    public abstract int localIp4();

    public abstract int localPort();

    public abstract int remoteIp4();

    public abstract int remotePort();

    /** Smoothed RTT in µs shifted left by 3, as {@code tp->srtt_us} (0 before the first sample). */
    public abstract int srttUs();

    public abstract int sndCwnd();

    public abstract int sndSsthresh();

    public abstract int mssCache();

    /** Bytes of ours the peer acknowledged ({@code tcpi_bytes_acked}, RFC 4898 HCThruOctetsAcked). */
    public abstract long bytesAcked();

    /** Bytes of the peer's we received in order ({@code tcpi_bytes_received}, HCThruOctetsReceived). */
    public abstract long bytesReceived();

    /** Segments retransmitted over the connection's life ({@code total_retrans}). */
    public abstract int totalRetrans();

    /** Segments received and sent ({@code segs_in}, {@code segs_out}). */
    public abstract int segsIn();

    public abstract int segsOut();

    /** The socket's callback flags ({@code bpf_sock_ops_cb_flags}). */
    public abstract int cbFlags();

    /** Stores the socket's callback flags, already limited to {@link SockOp#ALL_CB_FLAGS}. */
    protected abstract void storeCbFlags(int flags);

    /**
     * bpf_sock_ops_cb_flags_set: asks for the optional callbacks ({@link SockOp#RTO_CB_FLAG}, ...) on this socket
     * from now on (0 stops them); returns the requested bits this stack does not support, 0 when all were set.
     */
    public final int setCbFlags(int flags) {
        storeCbFlags(flags & SockOp.ALL_CB_FLAGS);
        return flags & ~SockOp.ALL_CB_FLAGS;
    }

    /**
     * bpf_setsockopt with an int value: at SOL_SOCKET SO_REUSEADDR, SO_SNDBUF, SO_RCVBUF, SO_KEEPALIVE,
     * SO_REUSEPORT; at SOL_TCP TCP_NODELAY, TCP_MAXSEG, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT,
     * TCP_WINDOW_CLAMP, TCP_THIN_LINEAR_TIMEOUTS, TCP_USER_TIMEOUT, TCP_NOTSENT_LOWAT, TCP_SAVE_SYN (those the
     * protocol implements; ENOPROTOOPT for the others). Anything else is EINVAL, as {@code sol_socket_sockopt} and
     * {@code sol_tcp_sockopt} answer. Returns 0 or {@code -errno}.
     */
    public final int setsockopt(int level, int optname, int value) {
        if (level == SockOpt.SOL_SOCKET) {
            return switch (optname) {
                case SockOpt.SO_REUSEADDR, SockOpt.SO_SNDBUF, SockOpt.SO_RCVBUF, SockOpt.SO_KEEPALIVE,
                        SockOpt.SO_REUSEPORT -> SockOptions.setsockopt(sk, optname, value);
                default -> Errno.EINVAL.neg();
            };
        }
        if (level == SockOpt.SOL_TCP) {
            if (sk.protocol != IpProto.IPPROTO_TCP) return Errno.EINVAL.neg();
            return switch (optname) {
                case SockOpt.TCP_NODELAY, SockOpt.TCP_MAXSEG, SockOpt.TCP_KEEPIDLE, SockOpt.TCP_KEEPINTVL,
                        SockOpt.TCP_KEEPCNT, SockOpt.TCP_SYNCNT, TCP_WINDOW_CLAMP, TCP_THIN_LINEAR_TIMEOUTS,
                        TCP_USER_TIMEOUT, TCP_NOTSENT_LOWAT, TCP_SAVE_SYN -> sk.prot.setsockopt(sk, level, optname, value);
                default -> Errno.EINVAL.neg();
            };
        }
        return Errno.EINVAL.neg();
    }

    /**
     * bpf_setsockopt(SOL_TCP, TCP_CONGESTION, name): switches the congestion control, as the kernel does from a
     * callback (the algorithm must be available; no module is loaded). 0 or {@code -errno}.
     */
    public final int setCongestion(String name) {
        if (sk.protocol != IpProto.IPPROTO_TCP) return Errno.EINVAL.neg();
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length < 1) return Errno.EINVAL.neg();
        return sk.prot.setsockopt(sk, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, b);
    }

    /** bpf_getsockopt(SOL_TCP, TCP_CONGESTION): the congestion control's name, or null. */
    public final String congestion() {
        byte[] b = new byte[16];
        int n = sk.prot.getsockopt(sk, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, b);
        if (n < 0) return null;
        int len = 0;
        while (len < n && b[len] != 0) len++;
        return new String(b, 0, len, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() { return op + " on " + sk; }
}
