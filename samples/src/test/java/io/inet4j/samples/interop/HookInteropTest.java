package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.samples.cli.Main;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook options of the command line against the Linux kernel over TAP: {@code --deny-connect} fails the
 * stack's {@code nc} with EPERM and no SYN reaches the namespace (tcpdump there sees the SYN of an allowed
 * connect, so it is not blind); {@code --redirect-connect} lands the data on the Linux listener the redirect
 * names; {@code --trace-connections} on {@code http-server} prints one line for each of 100 curl requests.
 */
@RequiresTap
class HookInteropTest {
    private static final String LINUX = "10.86.1.1";

    @TempDir
    static Path dir;

    private static String ns;

    @BeforeAll
    static void up() throws Exception {
        ns = TapNames.namespace("hk");
        Interop.run("ip", "netns", "add", ns);
        Interop.run("ip", "-n", ns, "link", "set", "lo", "up");
    }

    @AfterAll
    static void down() throws Exception {
        if (ns != null) Interop.run("ip", "netns", "del", ns);
    }

    @Test
    void deniedConnectFailsWithEpermAndNoSynLeaves() throws Exception {
        Path pcap = dir.resolve("deny.pcap");
        Process tcpdump = inNamespace("tcpdump", "-i", "any", "--immediate-mode", "-nn", "-U", "-w", pcap.toString(), "tcp").redirectErrorStream(true)
                .redirectOutput(dir.resolve("tcpdump.log").toFile()).start();
        Process nc = inNamespace("nc", "-l", "5001").redirectOutput(dir.resolve("allowed.out").toFile()).start();
        try {
            awaitFile(dir.resolve("tcpdump.log"), "listening on");
            Interop.awaitListening(ns, 5001);
            Interop.CliRun denied = withStdin("never sent\n", () -> inet4j("nc", "--deny-connect", "10.86.0.0/24," + LINUX, LINUX, "5000"));
            assertThat(denied.exit()).isEqualTo(1);
            assertThat(denied.err()).contains("inet4j nc: Operation not permitted");
            Interop.CliRun allowed = withStdin("allowed\n", () -> inet4j("nc", "--deny-connect", "10.86.0.0/24", LINUX, "5001"));
            assertThat(allowed.exit()).as(allowed.err()).isZero();
            assertThat(nc.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("allowed.out"))).isEqualTo("allowed\n");
            Thread.sleep(500); // tcpdump drops what it has not read from its ring when it is stopped
        } finally {
            nc.destroy();
            tcpdump.destroy();
            tcpdump.waitFor(10, TimeUnit.SECONDS);
        }
        String syns = Interop.run("tcpdump", "-nn", "-r", pcap.toString(), "tcp[tcpflags] & tcp-syn != 0");
        assertThat(syns).as("the allowed connect's SYN shows tcpdump saw the link").contains(LINUX + ".5001: Flags [S]");
        assertThat(syns).doesNotContain(".5000");
    }

    @Test
    void redirectedConnectLandsOnTheListenerTheRedirectNames() throws Exception {
        Path got = dir.resolve("redirected.out");
        Process nc = inNamespace("nc", "-l", "6001").redirectOutput(got.toFile()).start();
        try {
            Interop.awaitListening(ns, 6001);
            Interop.CliRun o = withStdin("redirected\n",
                    () -> inet4j("nc", "--redirect-connect", LINUX + ":6000=" + LINUX + ":6001", LINUX, "6000"));
            assertThat(o.exit()).as(o.err()).isZero();
            assertThat(nc.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            nc.destroy();
        }
        assertThat(Files.readString(got)).isEqualTo("redirected\n");
    }

    @Test
    void httpServerTracesOneLineForEachOfAHundredCurls() throws Exception {
        String own = TapNames.namespace("hks");
        Path log = dir.resolve("trace.log");
        Files.writeString(dir.resolve("index.html"), "traced\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "http-server", "--port", "8080", "--root", dir.toString(), "--trace-connections", "--tap", TapNames.unique("hks"),
                "--addr", "10.86.2.2/24", "--peer-netns", own, "--peer-addr", "10.86.2.1/24")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitFile(log, "on http://10.86.2.2:8080/");
            Process curls = new ProcessBuilder("ip", "netns", "exec", own, "sh", "-c",
                    "for i in $(seq 100); do curl -sS -o /dev/null -w '%{http_code}\\n' http://10.86.2.2:8080/index.html; done")
                    .redirectErrorStream(true).start();
            String codes = new String(curls.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(curls.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(codes.lines().filter("200"::equals).count()).as(codes).isEqualTo(100);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (traced(log).size() < 100 && System.nanoTime() < deadline) Thread.sleep(50);
        } finally {
            server.destroy();
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        List<String> lines = traced(log);
        assertThat(lines).hasSize(100).allMatch(
                l -> l.matches("tcp 10\\.86\\.2\\.2:8080 < 10\\.86\\.2\\.1:\\d+ passive tx=\\d+ rx=\\d+ retrans=\\d+ ms=\\d+\\.\\d{3}"));
        assertThat(lines.stream().map(l -> l.split(" ")[3]).distinct().count()).as("one line per connection").isEqualTo(100);
    }

    private static List<String> traced(Path log) throws IOException {
        return Files.readString(log).lines().filter(l -> l.startsWith("tcp ")).toList();
    }

    private interface Command {
        Interop.CliRun run() throws Exception;
    }

    private static Interop.CliRun withStdin(String input, Command c) throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)));
            return c.run();
        } finally {
            System.setIn(saved);
        }
    }

    /** Runs an {@code inet4j} command in this JVM, its TAP attached to this class's namespace. */
    private static Interop.CliRun inet4j(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(1, List.of("--tap", TapNames.unique("hk"), "--addr", "10.86.1.2/24", "--peer-netns", ns,
                "--peer-addr", LINUX + "/24"));
        return Interop.cli(argv.toArray(String[]::new));
    }

    private static void awaitFile(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(Files.exists(file) && Files.readString(file).contains(text)) && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(Files.exists(file) ? Files.readString(file) : "").contains(text);
    }

    private static ProcessBuilder inNamespace(String... argv) { return Interop.inNamespace(ns, argv); }

}
