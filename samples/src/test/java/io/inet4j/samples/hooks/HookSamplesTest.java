package io.inet4j.samples.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.hook.AttachFlag;
import io.inet4j.hook.AttachType;
import io.inet4j.hook.HookSpec;
import io.inet4j.hook.SockOp;
import io.inet4j.hook.Verdict;
import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.Errno;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.SocketErrors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hook samples on two threaded stacks: the connect policy, the connection tracer, congestion per destination. */
@Timeout(30)
class HookSamplesTest {
    private final ThreadedStacks t = new ThreadedStacks();

    @AfterEach
    void close() { t.close(); }

    @Test
    void deniedConnectFailsWithEpermAndSendsNothing() throws Exception {
        t.a.hooks().root().attach(AttachType.INET4_CONNECT, new ConnectPolicy(ConnectPolicy.parseDeny("10.0.0.0/30"), Map.of()));
        long sent = t.a.device("veth-a").stats().txPackets();
        InetSocket s = t.a.socket();
        assertThatThrownBy(() -> s.connect(new InetSocketAddress(TwoStacks.B, 80), 2000))
                .isInstanceOf(SocketException.class).hasMessage("Operation not permitted")
                .satisfies(e -> assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EPERM));
        assertThat(t.a.device("veth-a").stats().txPackets()).isEqualTo(sent);
    }

    @Test
    void redirectedConnectReachesTheNewPortAndDetachRestoresTheOld() throws Exception {
        var link = t.a.hooks().root().attach(AttachType.INET4_CONNECT,
                new ConnectPolicy(List.of(), Map.ofEntries(ConnectPolicy.parseRedirect(TwoStacks.B + ":80=" + TwoStacks.B + ":8080"))));
        try (InetServerSocket web = t.b.serverSocket(8080); InetServerSocket old = t.b.serverSocket(80)) {
            web.setSoTimeout(5000);
            old.setSoTimeout(5000);
            try (InetSocket s = t.a.socket()) {
                s.connect(new InetSocketAddress(TwoStacks.B, 80), 2000);
                s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                try (InetSocket in = web.accept()) {
                    assertThat(in.getInputStream().readNBytes(2)).asString(StandardCharsets.US_ASCII).isEqualTo("hi");
                }
            }
            link.close();
            try (InetSocket s = t.a.socket(); InetSocket in = connectAndAccept(s, old)) {
                assertThat(in.getLocalPort()).isEqualTo(80);
            }
        }
    }

    @Test
    void policyLoadsByNameFromAHookSpecAndDeniesWhatItsRedirectTargets() throws Exception {
        HookSpec.parse("/ connect4 connect-policy multi deny=10.0.0.3 redirect=" + TwoStacks.B + ":80=10.0.0.3:80")
                .attach(t.a.hooks(), getClass().getClassLoader());
        InetSocket s = t.a.socket();
        assertThatThrownBy(() -> s.connect(new InetSocketAddress(TwoStacks.B, 80), 2000))
                .satisfies(e -> assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EPERM));
    }

    /** The bytes are the kernel's counters, in which the SYN and the FIN take a sequence number each. */
    @Test
    void tracerReportsEachConnectionOnceWithBytesBothWays() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        t.a.hooks().root().attach(AttachType.SOCK_OPS, new ConnectionTracer(t.a.loop().clock(), lines::add), AttachFlag.ALLOW_MULTI);
        t.b.hooks().root().attach(AttachType.SOCK_OPS, new ConnectionTracer(t.b.loop().clock(), lines::add), AttachFlag.ALLOW_MULTI);
        try (InetServerSocket l = t.b.serverSocket(7)) {
            l.setSoTimeout(5000);
            for (int i = 0; i < 3; i++) {
                try (InetSocket c = t.a.socket(); InetSocket in = connectAndAccept(c, l)) {
                    c.getOutputStream().write(new byte[1000]);
                    assertThat(in.getInputStream().readNBytes(1000)).hasSize(1000);
                    in.getOutputStream().write(new byte[20]);
                    assertThat(c.getInputStream().readNBytes(20)).hasSize(20);
                    c.shutdownOutput();
                    assertThat(in.getInputStream().read()).isEqualTo(-1);
                }
            }
        }
        awaitSize(lines, 6);
        assertThat(lines).filteredOn(l -> l.contains(" > ")).hasSize(3)
                .allMatch(l -> l.matches("tcp 10\\.0\\.0\\.1:\\d+ > 10\\.0\\.0\\.2:7 active tx=1002 rx=21 retrans=0 ms=\\d+\\.\\d{3}"), "active lines");
        assertThat(lines).filteredOn(l -> l.contains(" < ")).hasSize(3)
                .allMatch(l -> l.matches("tcp 10\\.0\\.0\\.2:7 < 10\\.0\\.0\\.1:\\d+ passive tx=21 rx=1001 retrans=0 ms=\\d+\\.\\d{3}"), "passive lines");
    }

    @Test
    void congestionControlFollowsTheDestination() throws Exception {
        t.a.hooks().root().attach(AttachType.SOCK_OPS, new CongestionByDestination(List.of(
                new CongestionByDestination.Rule(Cidr.parse(TwoStacks.B), "scalable"))), AttachFlag.ALLOW_MULTI);
        List<String> seen = new CopyOnWriteArrayList<>();
        t.a.hooks().root().attach(AttachType.SOCK_OPS, ctx -> {
            if (ctx.op() == SockOp.ACTIVE_ESTABLISHED_CB) seen.add(ctx.remoteIp4() + " " + ctx.congestion());
            return Verdict.ALLOW;
        }, AttachFlag.ALLOW_MULTI);
        try (InetServerSocket l = t.b.serverSocket(9); InetServerSocket own = t.a.serverSocket(9)) {
            l.setSoTimeout(5000);
            own.setSoTimeout(5000);
            try (InetSocket c = t.a.socket(); InetSocket in = connectAndAccept(c, l)) {
                assertThat(in).isNotNull();
            }
            try (InetSocket c = t.a.socket()) { // to ourselves: no rule, the default stays
                c.connect(new InetSocketAddress(TwoStacks.A, 9), 2000);
                own.accept().close();
            }
        }
        awaitSize(seen, 2);
        assertThat(seen).containsExactly(io.inet4j.socket.SockAddrIn.parseAddress(TwoStacks.B) + " scalable",
                io.inet4j.socket.SockAddrIn.parseAddress(TwoStacks.A) + " cubic");
    }

    private static InetSocket connectAndAccept(InetSocket c, InetServerSocket l) throws IOException {
        c.connect(new InetSocketAddress(TwoStacks.B, l.getLocalPort()), 2000);
        return l.accept();
    }

    private static void awaitSize(List<String> list, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < n && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(list).hasSize(n);
    }
}
