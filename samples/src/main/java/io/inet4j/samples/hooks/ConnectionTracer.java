package io.inet4j.samples.hooks;

import io.inet4j.hook.Hook;
import io.inet4j.hook.SockOp;
import io.inet4j.hook.SockOpsContext;
import io.inet4j.hook.Verdict;
import io.inet4j.loop.Clock;
import io.inet4j.socket.SockAddrIn;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A {@code tcplife}-style connection tracer built only on SOCK_OPS callbacks, as a {@code sockops} BPF program
 * would be: it asks for STATE_CB on every connection it sees start (TCP_CONNECT_CB for ours,
 * PASSIVE_ESTABLISHED_CB for accepted ones) and, when a connection reaches CLOSE, reports one line with its
 * addresses, direction, lifetime and the bytes and retransmissions of its life:
 * <pre>
 * tcp 10.0.0.1:40312 > 10.0.0.2:80 active tx=78 rx=5120 retrans=0 ms=3.214
 * </pre>
 * ({@code >} for connections we opened, {@code <} for ones we accepted). Connections that never got past the
 * handshake are reported too. The bytes are the kernel's {@code bytes_acked} / {@code bytes_received}, in which the
 * SYN and the FIN take one each, as {@code tcplife} reports them. Attach at SOCK_OPS; runs on the stack's loop.
 */
public final class ConnectionTracer implements Hook<SockOpsContext> {
    private static final int TCP_CLOSE = 7;

    private record Tuple(int localIp4, int localPort, int remoteIp4, int remotePort) {}

    private record Start(long nanos, boolean active) {}

    private final Clock clock;
    private final Consumer<String> out;
    /** Live connections by 4-tuple, the sample's analog of a BPF hash map keyed the same way; loop thread only. */
    private final Map<Tuple, Start> live = new HashMap<>();

    /** Reports each finished connection to {@code out}, timing them on {@code clock} (the stack's loop clock). */
    public ConnectionTracer(Clock clock, Consumer<String> out) {
        this.clock = clock;
        this.out = out;
    }

    @Override
    public Verdict run(SockOpsContext ctx) {
        switch (ctx.op()) {
            case TCP_CONNECT_CB -> begin(ctx, true);
            case PASSIVE_ESTABLISHED_CB -> begin(ctx, false);
            case STATE_CB -> {
                if (ctx.arg(1) == TCP_CLOSE) end(ctx);
            }
            default -> {}
        }
        return Verdict.ALLOW;
    }

    private void begin(SockOpsContext ctx, boolean active) {
        ctx.setCbFlags(ctx.cbFlags() | SockOp.STATE_CB_FLAG);
        live.put(tuple(ctx), new Start(clock.nanoTime(), active));
    }

    private void end(SockOpsContext ctx) {
        Start s = live.remove(tuple(ctx));
        if (s == null) return; // began before the tracer was attached
        double ms = (clock.nanoTime() - s.nanos()) / 1e6;
        out.accept(String.format("tcp %s:%d %s %s:%d %s tx=%d rx=%d retrans=%d ms=%.3f",
                SockAddrIn.formatAddress(ctx.localIp4()), ctx.localPort(), s.active() ? ">" : "<",
                SockAddrIn.formatAddress(ctx.remoteIp4()), ctx.remotePort(), s.active() ? "active" : "passive",
                ctx.bytesAcked(), ctx.bytesReceived(), ctx.totalRetrans(), ms));
    }

    private static Tuple tuple(SockOpsContext ctx) {
        return new Tuple(ctx.localIp4(), ctx.localPort(), ctx.remoteIp4(), ctx.remotePort());
    }
}
