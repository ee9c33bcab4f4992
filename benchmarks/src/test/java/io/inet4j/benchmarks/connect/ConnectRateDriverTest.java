package io.inet4j.benchmarks.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpMib;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetStack;
import io.inet4j.tcp.Tcp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code connect-rate.sh} reads the driver's summary lines: the driver's loop, run between two stacks on the in-memory
 * link with a 100-port range, must print a figure for each occupancy, fill the range with TIME_WAIT and then report
 * the exhausted range as errors.
 */
class ConnectRateDriverTest {
    @Test
    void fillsASmallRangeAndPrintsTheFiguresTheScriptReads() throws Exception {
        InMemoryLink[] wire = InMemoryLink.pair("c0", "s0", 1500);
        try (InetStack client = InetStack.builder().name("client").seed(1).link(wire[0], "10.0.0.1/24")
                        .sysctl("net.ipv4.ip_local_port_range", "40000 40099").build();
                InetStack server = InetStack.builder().name("server").seed(2).link(wire[1], "10.0.0.2/24").build();
                InetServerSocket measured = server.serverSocket(7, 128);
                InetServerSocket warmup = server.serverSocket(8, 128)) {
            for (InetServerSocket l : new InetServerSocket[] {measured, warmup}) echoServer(l);
            Tcp tcp = Tcp.of(client.inet());
            ConnectRateDriver.Counters counters = new ConnectRateDriver.Counters(() -> client.call(tcp::timewaitCount),
                    () -> client.net().mibs().tcp.get(TcpMib.RetransSegs));
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            ConnectRateDriver.run("t", client.socketFactory(), counters, new InetSocketAddress("10.0.0.2", 7),
                    new InetSocketAddress("10.0.0.2", 8), 100, 3, 0, new PrintStream(text, true, StandardCharsets.UTF_8));

            String out = text.toString(StandardCharsets.UTF_8);
            for (int p : new int[] {0, 60, 95}) {
                assertThat(out).containsPattern("(?m)^t: at " + p + "% of the range in TIME_WAIT: [0-9]+ connects/s$");
            }
            assertThat(out).as("the range used up, then every connect fails")
                    .containsPattern("(?m)^t +[1-3] +[0-9]+ +100 +100\\.0% +[0-9.]+ +[1-9][0-9]*$");
            assertThat(client.call(tcp::timewaitCount)).isEqualTo(100);
        }
    }

    /** Echoes each connection's bytes until the client closes, one connection after another, on a daemon thread. */
    private static void echoServer(InetServerSocket listener) {
        Thread t = new Thread(() -> {
            try {
                for (;;) {
                    try (InetSocket s = listener.accept()) {
                        InputStream in = s.getInputStream();
                        for (int b; (b = in.read()) >= 0; ) s.getOutputStream().write(b);
                    }
                }
            } catch (IOException closed) {
                // The stack is closing: the test is over.
            }
        }, "echo " + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }
}
