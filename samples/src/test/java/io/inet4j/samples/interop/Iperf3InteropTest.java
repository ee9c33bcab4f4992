package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inet4j.samples.cli.Main;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code inet4j iperf3-server} as a user runs it, in a JVM of its own on a TAP with offloads whose kernel side sits in
 * a namespace the command makes, measured by the stock {@code iperf3} client inside that namespace: the client sending,
 * the server sending ({@code -R}), four streams ({@code -P 4}), one test after another on one server; the client's
 * {@code --json} whole, and the bytes the server says it counted the bytes the client reports for the server's side.
 * Then {@code -1}: one test, exit 0, on one queue and on two ({@code --queues 2}).
 */
@RequiresTap
class Iperf3InteropTest {
    private static final String STACK = "10.125.1.2";
    private static final String LINUX = "10.125.1.1";
    private static final Pattern SUMMARY = Pattern.compile(
            ": (received|sent) (\\d+) bytes on (\\d+) streams? in [0-9.]+ s, [0-9.]+ Gbit/s; the client (?:sent|received) (\\d+)");

    @TempDir
    static Path dir;

    private static String ns;
    private static Process server;
    private static Path log;

    @BeforeAll
    static void up() throws Exception {
        ns = TapNames.namespace("ipf");
        log = dir.resolve("server.log");
        server = startServer(log, STACK, LINUX, ns);
    }

    @AfterAll
    static void down() throws Exception {
        if (server == null) return;
        server.destroy(); // SIGTERM: the shutdown hook closes the stack and deletes the namespace
        assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(namespaces()).doesNotContain(ns);
    }

    /** {@code inet4j iperf3-server} in a JVM of its own, once it says it listens. */
    private static Process startServer(Path out, String stack, String linux, String namespace, String... more) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "iperf3-server", "--tap", TapNames.unique("ipf"), "--addr", stack + "/24", "--peer-netns", namespace,
                "--peer-addr", linux + "/24"));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(out).contains("listening on " + stack + " port 5201") && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(out)).contains("listening on " + stack + " port 5201");
        return p;
    }

    @ParameterizedTest(name = "iperf3 -c STACK -t 2 --json {0}")
    @ValueSource(strings = {"", "-R", "-P 4"})
    void theStockClientMeasuresTheStackAndTheServerCountedWhatItReports(String args) throws Exception {
        int before = summaries().size();
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", STACK, "-t", "2", "--json"));
        if (!args.isEmpty()) cmd.addAll(List.of(args.split(" ")));
        JsonNode json = client(ns, cmd);
        JsonNode end = json.get("end");
        long sent = end.get("sum_sent").get("bytes").asLong();
        long received = end.get("sum_received").get("bytes").asLong();
        assertThat(sent).isPositive();
        assertThat(received).isPositive();
        assertThat(end.get("streams")).hasSize(args.equals("-P 4") ? 4 : 1);

        Matcher m = awaitSummary(before);
        boolean reverse = args.equals("-R");
        assertThat(m.group(1)).isEqualTo(reverse ? "sent" : "received");
        assertThat(Long.parseLong(m.group(2))).as("the server's count, the client's figure for its side")
                .isEqualTo(reverse ? sent : received);
        assertThat(Long.parseLong(m.group(4))).as("the client's own count, as its results told the server")
                .isEqualTo(reverse ? received : sent);
        assertThat(Integer.parseInt(m.group(3))).isEqualTo(end.get("streams").size());
        System.out.println("[throughput] iperf3 " + args + ": " + Files.readString(log).lines().reduce((a, b) -> b).orElse(""));
    }

    /** With {@code --queues 2} the four streams and the control connection spread over two stack shards. */
    @ParameterizedTest(name = "iperf3-server -1 --queues {0}")
    @ValueSource(ints = {1, 2})
    void oneOffServesOneTestAndExitsZero(int queues) throws Exception {
        String own = TapNames.namespace(queues == 1 ? "ipf" : "mq");
        String net = queues == 1 ? "10.125.2." : "10.122.3.";
        Path out = dir.resolve("one-off-" + queues + ".log");
        Process p = startServer(out, net + "2", net + "1", own, "-1", "--queues", Integer.toString(queues));
        try {
            JsonNode json = client(own, List.of("iperf3", "-c", net + "2", "-n", "20M", "-R", "-P", "4", "--json"));
            assertThat(json.get("end").get("sum_received").get("bytes").asLong()).isGreaterThanOrEqualTo(20L << 20);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(out)).isZero();
            assertThat(Files.readString(out)).contains("sent 20971520 bytes on 4 streams");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(namespaces()).doesNotContain(own);
    }

    /** Runs the iperf3 client in {@code namespace}: it must exit 0 with JSON that reports no error. */
    private static JsonNode client(String namespace, List<String> cmd) throws Exception {
        Process c = Interop.inNamespace(namespace, cmd.toArray(String[]::new)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] stdout = c.getInputStream().readAllBytes();
        assertThat(c.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(stdout, StandardCharsets.UTF_8);
        assertThat(c.exitValue()).as(text).isZero();
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.has("error")).as(text).isFalse(); // with --json iperf3 exits 0 even on errors
        return json;
    }

    private static List<String> summaries() throws IOException {
        return Files.readString(log).lines().filter(l -> SUMMARY.matcher(l).find()).toList();
    }

    /** The server prints a test's line once the client's IPERF_DONE is in, which the client does not wait for. */
    private static Matcher awaitSummary(int before) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (summaries().size() <= before && System.nanoTime() < deadline) Thread.sleep(20);
        List<String> all = summaries();
        assertThat(all).as(Files.readString(log)).hasSize(before + 1);
        Matcher m = SUMMARY.matcher(all.get(before));
        assertThat(m.find()).isTrue();
        return m;
    }

    private static String namespaces() throws IOException {
        return new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
