package io.inet4j.samples.iperf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.stack.InetSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The iperf3 server between two threaded stacks, against a client written here from iperf's own
 * {@code iperf_client_api.c}: the messages in their order, stream ids and cookies, the byte counts in the results,
 * busy and refused clients, one test after another, {@code -1}.
 */
@Timeout(60)
class Iperf3ServerTest {
    private static final String COOKIE = "abcdefghijklmnopqrstuvwxyz2345672345";
    private final ThreadedStacks t = new ThreadedStacks();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Iperf3Server server;

    Iperf3ServerTest() throws IOException {
        server = Iperf3Server.open(t.b, Iperf3Server.DEFAULT_PORT, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.close();
        t.close();
    }

    private void serveInBackground() { serveInBackground(server); }

    private static void serveInBackground(Iperf3Server s) {
        Thread th = new Thread(() -> {
            try {
                s.serve();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "iperf3-server");
        th.setDaemon(true);
        th.start();
    }

    private Iperf3TestClient client() throws IOException {
        return Iperf3TestClient.connect(t.a, TwoStacks.B, Iperf3Server.DEFAULT_PORT, COOKIE);
    }

    private String out() { return out.toString(StandardCharsets.UTF_8); }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    private static List<Integer> ids(JsonNode results) {
        return StreamSupport.stream(results.get("streams").spliterator(), false).map(s -> s.get("id").asInt()).toList();
    }

    @Test
    void theClientSendsAndTheServerReportsEveryByteThatArrivedOnEachStream() throws Exception {
        serveInBackground();
        byte[] data = new byte[1 << 20];
        try (Iperf3TestClient c = client()) {
            c.start(Iperf3TestClient.params(3));
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k <= i; k++) c.streams.get(i).getOutputStream().write(data);
                Iperf3TestClient.awaitAcked(c.streams.get(i));
            }
            JsonNode r = c.finish(new long[] {1 << 20, 2 << 20, 3 << 20});
            assertThat(ids(r)).containsExactly(1, 3, 4);
            assertThat(r.get("streams").findValues("bytes")).extracting(JsonNode::asLong)
                    .containsExactly(1L << 20, 2L << 20, 3L << 20);
            assertThat(r.get("streams").findValues("retransmits")).extracting(JsonNode::asInt).containsOnly(-1);
            assertThat(r.get("sender_has_retransmits").asInt()).isEqualTo(-1);
            assertThat(r.get("congestion_used").asText()).isEqualTo("cubic");
            assertThat(r.has("cpu_util_total") && r.has("cpu_util_user") && r.has("cpu_util_system")).isTrue();
            assertThat(r.has("server_output_text")).isFalse();
        }
        awaitLine("the client sent");
        assertThat(out()).contains("3 streams, the client sends, 0 blocks", "received 6291456 bytes on 3 streams",
                "; the client sent 6291456");
        assertThat(err()).isEmpty();
    }

    @Test
    void withMinusRTheServerSendsExactlyTheByteCountAcrossItsStreams() throws Exception {
        serveInBackground();
        long num = 5_000_000; // not a multiple of the server's calls
        ObjectNode p = Iperf3TestClient.params(2);
        p.put("num", num);
        p.put("reverse", true);
        p.put("get_server_output", 1);
        try (Iperf3TestClient c = client()) {
            c.start(p);
            AtomicLong total = new AtomicLong();
            List<CompletableFuture<Long>> readers = new ArrayList<>();
            // A thread per stream: the streams must be read at once, and on two cores the JDK's default async pool
            // (the common pool from JDK 19 on, parallelism 1) would run one reader after the other for ever.
            java.util.concurrent.Executor threadPerStream = r -> {
                Thread th = new Thread(r, "iperf3-reader");
                th.setDaemon(true);
                th.start();
            };
            for (InetSocket s : c.streams) {
                readers.add(CompletableFuture.supplyAsync(() -> readUntil(s, total, num), threadPerStream));
            }
            long[] got = new long[2];
            for (int i = 0; i < 2; i++) got[i] = readers.get(i).get(20, TimeUnit.SECONDS);
            JsonNode r = c.finish(got);
            assertThat(ids(r)).containsExactly(1, 3);
            assertThat(r.get("streams").findValues("bytes")).extracting(JsonNode::asLong).containsExactly(got[0], got[1]);
            assertThat(got[0] + got[1]).isEqualTo(num);
            assertThat(r.get("sender_has_retransmits").asInt()).isEqualTo(1);
            assertThat(r.get("streams").findValues("retransmits")).extracting(JsonNode::asInt).allMatch(n -> n >= 0);
            assertThat(r.get("server_output_text").asText()).contains("sent 5000000 bytes on 2 streams");
        }
        awaitLine("the client received");
        assertThat(out()).contains("2 streams, the server sends (-R), 5000000 bytes", "; the client received 5000000");
    }

    /** Reads {@code s} until all streams together have {@code num} bytes; what this stream got. */
    private static long readUntil(InetSocket s, AtomicLong total, long num) {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        try {
            s.setSoTimeout(20); // to look at the total now and then: the other stream may bring the last bytes
            InputStream in = s.getInputStream();
            while (total.get() < num) {
                int r;
                try {
                    r = in.read(buf);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (r < 0) break;
                n += r;
                total.addAndGet(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    @Test
    void whileATestRunsOthersAreToldTheServerIsBusyAndAStreamWithAnotherCookieIsRefused() throws Exception {
        serveInBackground();
        try (Iperf3TestClient c = client()) {
            c.expect(Iperf3Protocol.PARAM_EXCHANGE);
            c.sendJson(Iperf3TestClient.params(1));
            c.expect(Iperf3Protocol.CREATE_STREAMS);
            try (InetSocket impostor = c.openStream(Iperf3TestClient.cookie("someoneelsesomeoneelsesomeoneelse123"))) {
                assertDenied(impostor);
            }
            c.streams.add(c.openStream(c.cookie));
            c.expect(Iperf3Protocol.TEST_START);
            c.expect(Iperf3Protocol.TEST_RUNNING);
            try (Iperf3TestClient second = client()) {
                assertDenied(second.control);
            }
            c.streams.get(0).getOutputStream().write(new byte[1000]);
            Iperf3TestClient.awaitAcked(c.streams.get(0));
            assertThat(c.finish(new long[] {1000}).get("streams").get(0).get("bytes").asLong()).isEqualTo(1000);
        }
    }

    @Test
    void theServerIsFreeForTheNextTestBeforeItReportsTheLastOne() throws Exception {
        // A cold JVM took ~20 ms over the report's first formatting, and `iperf3 -c` run twice in a row was told
        // "busy". Here the report waits until a second client has had its answer.
        CountDownLatch reporting = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        PrintStream slowOut = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                if (line.contains("; the client sent")) {
                    reporting.countDown();
                    try {
                        answered.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.println(line);
            }
        };
        int port = Iperf3Server.DEFAULT_PORT + 1;
        try (Iperf3Server slow = Iperf3Server.open(t.b, port, slowOut, new PrintStream(err, true, StandardCharsets.UTF_8))) {
            serveInBackground(slow);
            try (Iperf3TestClient c = Iperf3TestClient.connect(t.a, TwoStacks.B, port, COOKIE)) {
                c.start(Iperf3TestClient.params(1));
                c.streams.get(0).getOutputStream().write(new byte[1000]);
                Iperf3TestClient.awaitAcked(c.streams.get(0));
                c.finish(new long[] {1000});
            }
            assertThat(reporting.await(10, TimeUnit.SECONDS)).as("the first test reports").isTrue();
            try (Iperf3TestClient next = Iperf3TestClient.connect(t.a, TwoStacks.B, port, COOKIE)) {
                next.expect(Iperf3Protocol.PARAM_EXCHANGE);
            } finally {
                answered.countDown();
            }
        }
    }

    /** iperf's ACCESS_DENIED: one byte of -1, which the client reads as "the server is busy" and gives up. */
    private static void assertDenied(InetSocket s) throws IOException {
        assertThat(s.getInputStream().read()).isEqualTo(0xff);
    }

    @Test
    void testsTheServerCannotRunAreRefusedWithIperfsErrorAndTheServerGoesOn() throws Exception {
        serveInBackground();
        ObjectNode udp = Iperf3TestClient.params(1);
        udp.remove("tcp");
        udp.put("udp", true);
        assertRefused(udp, Iperf3Protocol.IEUNIMP);
        ObjectNode bidir = Iperf3TestClient.params(1);
        bidir.put("bidirectional", true);
        assertRefused(bidir, Iperf3Protocol.IEUNIMP);
        assertRefused(Iperf3TestClient.params(129), Iperf3Protocol.IENUMSTREAMS);
        try (Iperf3TestClient c = client()) { // not JSON at all
            c.expect(Iperf3Protocol.PARAM_EXCHANGE);
            c.out.write(new byte[] {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'});
            assertThat(c.in.read()).isEqualTo(-1);
        }
        try (Iperf3TestClient c = client()) {
            c.start(Iperf3TestClient.params(1));
            assertThat(ids(c.finish(new long[] {0}))).containsExactly(1);
        }
        assertThat(err().lines()).hasSize(4);
        assertThat(err()).contains("test 1 from 10.0.0.1 port ", ": refused: the client asked for UDP; this server speaks TCP only",
                "refused: the client asked for --bidir", "refused: the client asked for 129 streams (1-128)",
                "test 4: Unrecognized token 'hello'");
    }

    private void assertRefused(ObjectNode params, int iErrno) throws IOException {
        try (Iperf3TestClient c = client()) {
            c.expect(Iperf3Protocol.PARAM_EXCHANGE);
            c.sendJson(params);
            c.expect(Iperf3Protocol.SERVER_ERROR);
            DataInputStream d = new DataInputStream(c.in);
            assertThat(d.readInt()).as("i_errno").isEqualTo(iErrno);
            assertThat(d.readInt()).as("errno").isZero();
            assertThat(c.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aClientThatVanishesMidTestFreesTheServerForTheNextOne() throws Exception {
        serveInBackground();
        try (Iperf3TestClient c = client()) {
            c.start(Iperf3TestClient.params(2));
        }
        awaitErr("test 1: the peer closed the control connection"); // until then the server is busy, as iperf3's
        try (Iperf3TestClient c = client()) {
            c.start(Iperf3TestClient.params(1));
            assertThat(ids(c.finish(new long[] {0}))).containsExactly(1);
        }
    }

    @Test
    void oneOffServesOneTestAndSaysItCompleted() throws Exception {
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(this::serveOne);
        try (Iperf3TestClient c = client()) {
            c.start(Iperf3TestClient.params(1));
            c.finish(new long[] {0});
        }
        assertThat(done.get(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void oneOffSaysSoWhenItsTestFailed() throws Exception {
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(this::serveOne);
        try (Iperf3TestClient c = client()) {
            c.start(Iperf3TestClient.params(1));
            c.send(Iperf3Protocol.CLIENT_TERMINATE);
        }
        assertThat(done.get(20, TimeUnit.SECONDS)).isFalse();
        assertThat(err()).contains("test 1: the client terminated the test");
    }

    private boolean serveOne() {
        try {
            return server.serveOne();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The server prints a test's line after the client's IPERF_DONE, which the client does not wait on. */
    private void awaitLine(String text) throws InterruptedException { await(out, text); }

    private void awaitErr(String text) throws InterruptedException { await(err, text); }

    private static void await(ByteArrayOutputStream log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log.toString(StandardCharsets.UTF_8).contains(text) && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains(text);
    }
}
