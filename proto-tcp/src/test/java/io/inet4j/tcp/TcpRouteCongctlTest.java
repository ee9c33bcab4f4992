package io.inet4j.tcp;

import static io.inet4j.tcp.StreamSockets.accept;
import static io.inet4j.tcp.StreamSockets.connect;
import static io.inet4j.tcp.StreamSockets.listener;
import static io.inet4j.tcp.StreamSockets.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.hook.AttachType;
import io.inet4j.hook.SockOp;
import io.inet4j.hook.Verdict;
import io.inet4j.ipv4.route.RouteMetrics;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.Errno;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.StackConfig.RouteSpec;
import io.inet4j.tcp.cong.Reno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-route congestion control ({@code ip route add ... congctl [lock] NAME}, RTAX_CC_ALGO) between two stacks
 * whose default is cubic: the route's algorithm for active opens ({@code tcp_ca_dst_init}, which overrides
 * TCP_CONGESTION set before connect) and for accepted children ({@code tcp_ca_openreq_child}, which overrides the
 * listener's choice), the lock that makes TCP_CONGESTION EPERM (from a SOCK_OPS hook too), and EINVAL for a name no
 * algorithm has.
 */
class TcpRouteCongctlTest {
    private static final int PORT = 5001;

    private static String congestion(Socket s) {
        byte[] buf = new byte[16];
        assertThat(s.ops.getsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, buf)).isEqualTo(16);
        int n = 0;
        while (buf[n] != 0) n++;
        return new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    private static int setCongestion(Socket s, String name) {
        return s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, name.getBytes(StandardCharsets.US_ASCII));
    }

    private static void route(InetStack stack, String spec) { stack.addRoute(RouteSpec.parse(spec)); }

    /** Connects {@code c} from a to b's listener {@code l}; the accepted socket. */
    private static Socket establish(TwoStacks t, Socket l, Socket c) {
        assertThat(connect(c, TwoStacks.B, PORT)).isIn(0, Errno.EINPROGRESS.neg());
        Socket[] s = new Socket[1];
        assertThat(t.runUntil(5, () -> (s[0] = accept(l)) != null)).isTrue();
        return s[0];
    }

    @Test
    void activeOpenRunsTheRoutesAlgorithmOverTheDefault() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            route(t.a, TwoStacks.B + " congctl reno");
            Socket l = listener(t.b, PORT, 8);
            Socket c = socket(t.a);
            assertThat(congestion(c)).isEqualTo("cubic");
            Socket s = establish(t, l, c);
            assertThat(congestion(c)).isEqualTo("reno");
            assertThat(((TcpSock) c.sk).ca).isInstanceOf(Reno.class);
            assertThat(((TcpSock) c.sk).caFlag(TcpSock.CA_INITIALIZED)).isTrue();
            assertThat(congestion(s)).as("b has no such route").isEqualTo("cubic");
        }
    }

    @Test
    void theRouteWinsOverTcpCongestionSetBeforeConnectButNotAfter() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            route(t.a, TwoStacks.B + " congctl reno");
            Socket l = listener(t.b, PORT, 8);
            Socket c = socket(t.a);
            assertThat(setCongestion(c, "cubic")).isZero();
            establish(t, l, c);
            assertThat(congestion(c)).as("tcp_ca_dst_init ignores icsk_ca_setsockopt").isEqualTo("reno");
            assertThat(setCongestion(c, "cubic")).as("an unlocked route lets the socket switch").isZero();
            assertThat(congestion(c)).isEqualTo("cubic");
        }
    }

    @Test
    void aLockedRouteRefusesTcpCongestion() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            route(t.a, TwoStacks.B + " congctl lock reno");
            Socket l = listener(t.b, PORT, 8);
            Socket c = socket(t.a);
            establish(t, l, c);
            assertThat(setCongestion(c, "cubic")).isEqualTo(Errno.EPERM.neg());
            assertThat(setCongestion(c, "vegas")).as("the lock is checked first").isEqualTo(Errno.EPERM.neg());
            assertThat(congestion(c)).isEqualTo("reno");
        }
    }

    @Test
    void aSockOpsHookPicksBeforeConnectLosesToTheRouteAndALockRefusesItLater() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            route(t.a, TwoStacks.B + " congctl lock reno");
            List<Integer> results = new ArrayList<>();
            t.a.hooks().root().attach(AttachType.SOCK_OPS, ctx -> {
                if (ctx.op() == SockOp.TCP_CONNECT_CB || ctx.op() == SockOp.ACTIVE_ESTABLISHED_CB) {
                    results.add(ctx.setCongestion("cubic"));
                }
                return Verdict.ALLOW;
            });
            Socket c = socket(t.a);
            establish(t, listener(t.b, PORT, 8), c);
            assertThat(results).as("bpf_setsockopt before connect, then against icsk_ca_dst_locked")
                    .containsExactly(0, Errno.EPERM.neg());
            assertThat(congestion(c)).as("tcp_connect_init runs tcp_ca_dst_init after TCP_CONNECT_CB").isEqualTo("reno");
        }
    }

    @Test
    void anAcceptedChildRunsTheAlgorithmOfItsRouteBackToThePeer() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            route(t.b, TwoStacks.A + " congctl reno");
            Socket l = listener(t.b, PORT, 8);
            assertThat(setCongestion(l, "cubic")).isZero();
            Socket c = socket(t.a);
            Socket s = establish(t, l, c);
            assertThat(congestion(s)).as("the route wins over the listener's TCP_CONGESTION").isEqualTo("reno");
            assertThat(((TcpSock) s.sk).ca).isInstanceOf(Reno.class);
            assertThat(congestion(c)).isEqualTo("cubic");
        }
    }

    @Test
    void withoutARouteAChildKeepsTheListenersChoiceElseTakesTheDefaultOfNow() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket chosen = listener(t.b, PORT, 8);
            assertThat(setCongestion(chosen, "reno")).isZero();
            Socket plain = listener(t.b, PORT + 1, 8);
            assertThat(congestion(plain)).isEqualTo("cubic");

            t.b.net().sysctls().set("net.ipv4.tcp_congestion_control", "reno");
            Socket c = socket(t.a);
            assertThat(connect(c, TwoStacks.B, PORT + 1)).isIn(0, Errno.EINPROGRESS.neg());
            Socket[] s = new Socket[1];
            assertThat(t.runUntil(5, () -> (s[0] = accept(plain)) != null)).isTrue();
            assertThat(congestion(s[0])).as("tcp_assign_congestion_control at the child's birth").isEqualTo("reno");

            t.b.net().sysctls().set("net.ipv4.tcp_congestion_control", "cubic");
            assertThat(congestion(establish(t, chosen, socket(t.a)))).as("icsk_ca_setsockopt on the listener")
                    .isEqualTo("reno");
        }
    }

    @Test
    void aBuilderRouteIsCheckedAndHonouredLikeAnAddedOne() {
        SimulatedEventLoop loop = new SimulatedEventLoop();
        InMemoryLink[] wire = InMemoryLink.pair("r0", "r1", 1500);
        InetStack.Builder b = InetStack.builder().loop(loop).link(wire[0], "10.0.0.1/24");
        try (InetStack s = b.route(RouteSpec.parse("10.9.0.0/16 via 10.0.0.254 congctl lock reno")).build()) {
            assertThat(s.call(() -> s.ipv4().routeMetrics(SockAddrIn.parseAddress("10.9.1.1"))))
                    .isEqualTo(RouteMetrics.congctlLocked("reno"));
        }
        InetStack.Builder bad = InetStack.builder().loop(loop).link(wire[1], "10.0.0.2/24")
                .route(RouteSpec.parse("10.9.0.0/16 via 10.0.0.254 congctl vegas"));
        assertThatThrownBy(bad::build).hasMessageContaining("EINVAL: Unknown tcp congestion algorithm 'vegas'");
    }

    @Test
    void aRouteNamingNoAlgorithmIsEinval() {
        try (TwoStacks t = new TwoStacks()) {
            assertThatThrownBy(() -> route(t.a, TwoStacks.B + " congctl vegas"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("EINVAL: Unknown tcp congestion algorithm");
            assertThat(t.a.fib().routes()).noneMatch(r -> r.metrics().congctl() != null);
            route(t.a, TwoStacks.B + " congctl reno");
            assertThat(t.a.fib().routes()).anyMatch(r -> r.toString().endsWith("congctl reno"));
        }
    }
}
