package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetStack;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tcp.Tcp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both close orders against Linux, with the stack as client and as server (python3 sockets in the namespace, the
 * Java API on our side): whoever closes first holds the connection in TIME_WAIT, the other side keeps nothing.
 * After the 60 s of TIME_WAIT, neither side holds anything at all. One wait covers all four connections.
 */
@RequiresTap
class TcpCloseInteropTest {
    private static final String STACK = "10.81.1.2";
    private static final String LINUX = "10.81.1.1";
    /** TCP_TIMEWAIT_LEN on both sides. */
    private static final long TIME_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Accepts one connection, answers "ping" with "pong", then closes at once ("first") or after the peer ("second"). */
    private static final String PY_SERVER = String.join("\n",
            "import socket, sys",
            "port, mode = int(sys.argv[1]), sys.argv[2]",
            "l = socket.socket()",
            "l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "l.bind(('0.0.0.0', port))",
            "l.listen(1)",
            "c, _ = l.accept()",
            "l.close()",
            "c.recv(100)",
            "c.sendall(b'pong\\n')",
            "if mode == 'second':",
            "    while c.recv(100): pass",
            "c.close()");
    /** Connects, sends "ping", reads the answer, then closes at once ("first") or after the peer ("second"). */
    private static final String PY_CLIENT = String.join("\n",
            "import socket, sys",
            "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)",
            "s.sendall(b'ping\\n')",
            "s.recv(100)",
            "if sys.argv[3] == 'second':",
            "    while s.recv(100): pass",
            "s.close()");

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("close", STACK, LINUX);

    @Test
    void eitherCloseOrderLeavesOnlyTimeWaitAndThenNothing() throws Exception {
        asClient(7001, true);
        asClient(7002, false);
        asServer(7003, true);
        asServer(7004, false);
        long lastClose = System.nanoTime();
        Thread.sleep(300); // the last ACKs

        assertThat(ourTcp(Tcp::sockets)).isEmpty();
        assertThat(ourTcp(Tcp::timewaitCount)).isEqualTo(2); // 7001 and 7003: we closed first
        List<String> linux = linuxSockets();
        assertThat(linux).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("TIME-WAIT"));
        assertThat(String.join("\n", linux)).contains(LINUX + ":7002 ", STACK + ":7004 "); // Linux closed those first

        // Linux's TIME_WAIT timer sits in a coarse slot of the timer wheel and may fire a few seconds late.
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(lastClose + TIME_WAIT_NANOS - System.nanoTime()) + 1000));
        long deadline = lastClose + TIME_WAIT_NANOS + TimeUnit.SECONDS.toNanos(15);
        while (!(linuxSockets().isEmpty() && ourTcp(Tcp::timewaitCount) == 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(linuxSockets()).isEmpty();
        assertThat(ourTcp(Tcp::timewaitCount)).isZero();
        assertThat(ourTcp(Tcp::sockets)).isEmpty();
        System.out.printf("[close] both sides empty %.1f s after the last close%n", (System.nanoTime() - lastClose) / 1e9);
    }

    /** The stack connects to a python server; {@code weCloseFirst} decides who sends the first FIN. */
    private static void asClient(int port, boolean weCloseFirst) throws Exception {
        Process py = lab.peer().start("python3", "-c", PY_SERVER, Integer.toString(port), weCloseFirst ? "second" : "first");
        Interop.awaitListening(lab.peer().name(), port);
        InetSocket s = lab.stack().socket();
        s.connect(LINUX, port, 2000);
        pingPong(s, weCloseFirst, true);
        awaitExit(py);
    }

    /** A python client connects to the stack. */
    private static void asServer(int port, boolean weCloseFirst) throws Exception {
        try (InetServerSocket l = lab.stack().serverSocket(port)) {
            Process py = lab.peer().start("python3", "-c", PY_CLIENT, STACK, Integer.toString(port), weCloseFirst ? "second" : "first");
            l.setSoTimeout(5000);
            InetSocket s = l.accept();
            pingPong(s, weCloseFirst, false);
            awaitExit(py);
        }
    }

    private static void pingPong(InetSocket s, boolean weCloseFirst, boolean client) throws IOException {
        s.setSoTimeout(5000);
        if (client) {
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("pong\n");
        } else {
            assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("ping\n");
            s.getOutputStream().write("pong\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (!weCloseFirst) assertThat(s.getInputStream().read()).isEqualTo(-1); // the peer's FIN
        s.close();
    }

    private static void awaitExit(Process py) throws Exception {
        assertThat(py.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(py.exitValue()).as(new String(py.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    /** Asks the stack's TCP on its loop, where its tables live. */
    private static <T> T ourTcp(Function<Tcp, T> question) {
        InetStack stack = lab.stack();
        return stack.call(() -> question.apply(Tcp.of(stack.inet())));
    }

    /** {@code ss -tanH} in the namespace: every TCP socket Linux holds there, one line each. */
    private static List<String> linuxSockets() throws IOException {
        return lab.peer().exec("ss", "-tanH").stdout().lines().filter(l -> !l.isBlank()).toList();
    }
}
