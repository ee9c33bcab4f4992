package io.inet4j.samples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.stack.InetSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris against the file server: 500 connections trickle a request header at a byte a second. The one
 * selector thread holds them all without a thread each, serves a normal client meanwhile, and once the header
 * deadline passes answers each trickler 408 and closes it (here a 3 s deadline instead of the 10 s default, to
 * keep the test short).
 */
@Timeout(60)
class HttpServerSlowlorisTest {
    private static final int SLOW = 500;

    @TempDir
    Path root;

    private final ThreadedStacks t = new ThreadedStacks();
    private final List<InetSocket> slow = new ArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() throws IOException {
        for (InetSocket s : slow) s.close();
        if (server != null) server.close();
        t.close();
    }

    @Test
    void fiveHundredTricklingConnectionsPinNoThreadAndTheRestAreServedThenTheyGet408() throws Exception {
        Files.writeString(root.resolve("index.html"), "<h1>inet4j</h1>\n");
        server = HttpServer.open(t.b, 80, 1024, root, null, Duration.ofSeconds(3)).start();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        byte[] header = "GET / HTTP/1.1\r\nHost: b\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < SLOW; i++) {
            InetSocket s = t.a.socket();
            s.connect(TwoStacks.B, 80, 5000);
            slow.add(s);
        }
        Thread trickler = new Thread(() -> {
            try {
                for (int i = 0; i < header.length; i++) {
                    for (InetSocket s : slow) {
                        try {
                            s.getOutputStream().write(header[i]);
                        } catch (IOException closedByTheServer) {
                            // the 408 came: this one is done
                        }
                    }
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "trickler");
        trickler.start();
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            HttpGet.Response r = HttpGet.get(t.a, "http://" + TwoStacks.B + "/index.html", body, 5000);
            assertThat(r.status()).isEqualTo(200);
            assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("<h1>inet4j</h1>\n");
            assertThat(server.connections()).as("the tricklers are all still waiting while the normal client is served")
                    .isGreaterThanOrEqualTo(SLOW);
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore)
                    .as("threads added for %d open connections (the trickler is one)", SLOW).isLessThan(5);
            for (InetSocket s : slow) {
                s.setSoTimeout(20_000);
                assertThat(replyOf(s)).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("Connection: close\r\n");
            }
            assertThat(server.connections()).isZero();
        } finally {
            trickler.interrupt();
            trickler.join();
        }
    }

    /**
     * What the server sent before it closed. A trickler's byte that lands after the close draws a RST, and then,
     * as on Linux, reads give the bytes already received and then the error (EPIPE in CLOSE_WAIT).
     */
    private static String replyOf(InetSocket s) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[512];
        try {
            for (int n; (n = s.getInputStream().read(buf)) > 0; ) got.write(buf, 0, n);
        } catch (IOException resetAfterTheReply) {
            // keep what came before it
        }
        return got.toString(StandardCharsets.US_ASCII);
    }
}
