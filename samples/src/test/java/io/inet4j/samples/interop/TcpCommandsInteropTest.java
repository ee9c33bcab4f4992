package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.samples.cli.Main;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
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
 * The TCP commands as a user runs them, each opening its own TAP into a namespace: {@code http-get} against
 * Python's {@code http.server} and {@code nc} against Linux's {@code nc -l}, both in a namespace this class
 * makes; {@code http-server} in a JVM of its own, in a namespace it makes and deletes when killed.
 */
@RequiresTap
class TcpCommandsInteropTest {
    private static final String LINUX = "10.82.1.1";

    @TempDir
    static Path dir;

    private static String ns;
    private static Process httpServer;

    @BeforeAll
    static void up() throws Exception {
        ns = TapNames.namespace("cmd");
        Interop.run("ip", "netns", "add", ns);
        Interop.run("ip", "-n", ns, "link", "set", "lo", "up");
        Interop.randomFile(dir, "file.bin", 3_000_000, 7);
        // Python's server speaks HTTP/1.0 and ends each body by closing: the client's third framing.
        httpServer = inNamespace("python3", "-m", "http.server", "8000", "--bind", "0.0.0.0", "--directory", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("python.log").toFile()).start();
    }

    @AfterAll
    static void down() throws Exception {
        if (httpServer != null) httpServer.destroy();
        if (ns != null) Interop.run("ip", "netns", "del", ns);
    }

    @Test
    void httpGetWritesTheBodyAndExitsByTheStatus() throws Exception {
        Path got = dir.resolve("got.bin");
        Interop.awaitListening(ns, 8000);
        Interop.CliRun ok = inet4j("http-get", "-o", got.toString(), "http://" + LINUX + ":8000/file.bin");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.err()).contains("HTTP/1.0 200 OK", "3000000 bytes in");
        assertThat(Interop.sha256(got)).isEqualTo(Interop.sha256(dir.resolve("file.bin")));
        Interop.CliRun missing = inet4j("http-get", "http://" + LINUX + ":8000/nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("HTTP/1.0 404");
        Interop.CliRun refused = inet4j("http-get", "http://" + LINUX + ":8001/");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("Connection refused");
    }

    @Test
    void ncSendsStdinToLinuxNetcatAndPrintsWhatComesBack() throws Exception {
        Path got = dir.resolve("nc.bin");
        Process nc = inNamespace("sh", "-c", "echo from-linux | exec nc -l 5002 > " + got).start();
        Interop.awaitListening(ns, 5002);
        InputStream saved = System.in;
        Interop.CliRun o;
        try {
            System.setIn(Files.newInputStream(dir.resolve("file.bin")));
            o = inet4j("nc", LINUX, "5002");
        } finally {
            System.setIn(saved);
        }
        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).isEqualTo("from-linux\n");
        assertThat(nc.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Interop.sha256(got)).isEqualTo(Interop.sha256(dir.resolve("file.bin")));
    }

    @Test
    void httpServerServesCurlUntilKilledThenDeletesItsNamespace() throws Exception {
        String own = TapNames.namespace("srv");
        Path log = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "http-server", "--port", "8080", "--root", dir.toString(), "--tap", TapNames.unique("srv"),
                "--addr", "10.83.1.2/24", "--peer-netns", own, "--peer-addr", "10.83.1.1/24")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(log).contains("on http://10.83.1.2:8080/") && server.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(log)).contains("on http://10.83.1.2:8080/");
            Process curl = new ProcessBuilder("ip", "netns", "exec", own, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://10.83.1.2:8080/file.bin", "-o", "/dev/null", "http://10.83.1.2:8080/missing").start();
            assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("200404");
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook closes the stack and deletes the namespace
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log)).contains("\"GET /file.bin HTTP/1.1\" 200 3000000", "\"GET /missing HTTP/1.1\" 404");
        assertThat(new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8)).doesNotContain(own);
    }

    /** Runs an {@code inet4j} command in this JVM, its TAP attached to this class's namespace. */
    private static Interop.CliRun inet4j(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(1, List.of("--tap", TapNames.unique("cmd"), "--addr", "10.82.1.2/24", "--peer-netns", ns,
                "--peer-addr", LINUX + "/24"));
        return Interop.cli(argv.toArray(String[]::new));
    }

    private static ProcessBuilder inNamespace(String... argv) { return Interop.inNamespace(ns, argv); }

}
