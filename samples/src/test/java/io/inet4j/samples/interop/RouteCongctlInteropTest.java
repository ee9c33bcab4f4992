package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.SockOpt;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.StackConfig.RouteSpec;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tcp.Tcp;
import io.inet4j.tcp.TcpSock;
import io.inet4j.tcp.TcpState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ip route add LINUX congctl reno} on the stack, whose default is cubic, against the Linux kernel over a
 * TAP device: a connection the stack opens to Linux, and one Linux opens to the stack, both run reno (read with
 * getsockopt TCP_CONGESTION on the stack's sockets) and carry a quarter megabyte to the other side intact.
 */
@RequiresTap
class RouteCongctlInteropTest {
    private static final String STACK = "10.113.1.2";
    private static final String LINUX = "10.113.1.1";
    private static final int BYTES = 256 * 1024;
    /** Reads to EOF and prints the count: as server with one argument (the port), as client with two. */
    private static final String PY = """
            import socket, sys
            if len(sys.argv) == 2:
                l = socket.create_server(("0.0.0.0", int(sys.argv[1])))
                print("listening", flush=True)
                s, _ = l.accept()
            else:
                s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
            n = 0
            while True:
                b = s.recv(65536)
                if not b:
                    break
                n += len(b)
            print(n, flush=True)
            """;

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("rtc", STACK, LINUX);

    @BeforeAll
    static void route() { lab.stack().addRoute(RouteSpec.parse(LINUX + " congctl reno")); }

    @Test
    void theStacksConnectionToLinuxRunsTheRoutesAlgorithm() throws Exception {
        Process py = lab.peer().start("python3", "-c", PY, "5301");
        assertThat(py.inputReader().readLine()).isEqualTo("listening");
        try (InetSocket s = lab.stack().socket()) {
            s.connect(LINUX, 5301, 2000);
            assertThat(established()).containsExactly("reno");
            s.getOutputStream().write(new byte[BYTES]);
        }
        assertThat(py.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(py.inputReader().readLine()).isEqualTo(Integer.toString(BYTES));
    }

    @Test
    void aConnectionLinuxOpensToTheStackRunsTheRoutesAlgorithm() throws Exception {
        try (InetServerSocket server = lab.stack().serverSocket(5302)) {
            Process py = lab.peer().start("python3", "-c", PY, STACK, "5302");
            try (InetSocket s = server.accept()) {
                assertThat(established()).containsExactly("reno");
                assertThat(ca(TcpState.LISTEN)).as("the listener keeps the default").containsExactly("cubic");
                s.getOutputStream().write(new byte[BYTES]);
            }
            assertThat(py.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(py.inputReader().readLine()).isEqualTo(Integer.toString(BYTES));
        }
    }

    private static List<String> established() { return ca(TcpState.ESTABLISHED); }

    /** getsockopt(TCP_CONGESTION) of every stack socket in {@code state}, asked on the stack's loop. */
    private static List<String> ca(int state) {
        InetStack stack = lab.stack();
        return stack.call(() -> Tcp.of(stack.inet()).sockets().stream().filter(sk -> sk.state == state)
                .map(RouteCongctlInteropTest::congestion).toList());
    }

    private static String congestion(TcpSock sk) {
        byte[] buf = new byte[16];
        sk.prot.getsockopt(sk, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, buf);
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, StandardCharsets.US_ASCII);
    }
}
