package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.samples.cli.Main;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's memory acceptance over TAP: {@code inet4j http-server} in a JVM of its own with
 * {@code -XX:MaxDirectMemorySize=256m} takes 65,536 one-byte out-of-order segments on each of 20 connections
 * (crafted by {@code ofo_flood.py} through a raw socket in the peer namespace). Before issue 7 each segment pinned
 * a 2 KiB direct buffer, 2.6 GB in all: direct memory ran out and the stack went deaf. Now the queues are held to
 * their receive buffers by truesize: a curl in the namespace is served throughout the flood, the stack answers
 * ping afterwards, and the server's direct memory (Native Memory Tracking's "Other") stays small. The server's
 * {@code tcp_mem} is what Linux would compute for 256 MB of memory: with the 4 GiB default, autotuning would let
 * each flooded socket grow its buffer to {@code tcp_rmem[2]} (6 MB), as Linux's would.
 */
@RequiresTap
class TcpMemoryInteropTest {
    private static final String STACK = "10.90.1.2";
    private static final int CONNECTIONS = 20;
    private static final int SEGMENTS = 65_536;
    private static final int FILE_SIZE = 300_000;
    /** The buffer pool may keep 8,192 free 2 KiB buffers (16 MiB); 20 receive buffers of 128 KiB are 2.5 MiB. */
    private static final long DIRECT_LIMIT_KB = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void aOneByteOutOfOrderFloodOnTwentyConnectionsStaysWithinTheBuffersAndOthersAreServed() throws Exception {
        Interop.randomFile(dir, "file.bin", FILE_SIZE, 90);
        String ns = TapNames.namespace("mem");
        Path log = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-XX:MaxDirectMemorySize=256m", "-XX:NativeMemoryTracking=summary",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "http-server", "--port", "8080", "--root", dir.toString(), "--tap", TapNames.unique("mem"),
                "--addr", STACK + "/24", "--peer-netns", ns, "--peer-addr", "10.90.1.1/24",
                // tcp_mem as tcp_init sizes it for this JVM's 256 MB (a sixteenth, in pages): receive autotuning
                // grows a flooded socket's buffer towards tcp_rmem[2] only while TCP memory is below tcp_mem[0].
                "--sysctl", "net.ipv4.tcp_mem=3072 4096 6144")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(log).contains("on http://" + STACK + ":8080/") && server.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(log)).contains("on http://" + STACK + ":8080/");
            assertThat(curl(ns)).as("before the flood").isEqualTo("200 " + FILE_SIZE);

            Path flood = dir.resolve("flood.out");
            Process flooder = new ProcessBuilder("ip", "netns", "exec", ns, "python3", script().toString(), STACK,
                    "8080", String.valueOf(CONNECTIONS), String.valueOf(SEGMENTS))
                    .redirectErrorStream(true).redirectOutput(flood.toFile()).start();
            List<String> during = new ArrayList<>();
            while (flooder.isAlive()) {
                during.add(curl(ns));
            }
            assertThat(flooder.waitFor()).as(Files.readString(flood)).isZero();
            System.out.println("[memory] " + Files.readString(flood).strip());
            assertThat(during).as("curl while the flood ran").hasSizeGreaterThanOrEqualTo(2)
                    .allMatch(("200 " + FILE_SIZE)::equals);

            long directKb = directKb(server);
            System.out.printf("[memory] http-server's direct memory after the flood: %d KB%n", directKb);
            assertThat(directKb).isLessThan(DIRECT_LIMIT_KB);
            Process ping = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "2",
                    STACK).redirectErrorStream(true).start();
            String pingOut = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ping.waitFor()).as(pingOut).isZero();
            assertThat(curl(ns)).as("after the flood").isEqualTo("200 " + FILE_SIZE);
            assertThat(server.isAlive()).isTrue();
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook closes the stack and deletes the namespace
            boolean exited = server.waitFor(20, TimeUnit.SECONDS);
            // A server that died before its hook was set up (say, out of memory) leaves the namespace behind.
            new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            assertThat(exited).isTrue();
        }
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError", "receiving stops");
    }

    /**
     * One GET of the file from the namespace: "status size", or what went wrong. Up to 30 s: the flood is some
     * 90,000 segments a second on two shared cores, more than the stack's loop takes, so its device backlog drops
     * what it cannot hold (netdev_max_backlog, as Linux's does), a SYN now and then among them; the client's SYN
     * retransmissions (1, 3, 7, 15 s) must be given their time.
     */
    private String curl(String ns) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "curl", "-sS", "--max-time", "30", "-o", "/dev/null",
                "-w", "%{http_code} %{size_download}", "http://" + STACK + ":8080/file.bin")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    /** The direct buffers the server holds: what Native Memory Tracking counts as "Other" (JDK 17), in KB. */
    private static long directKb(Process server) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, String.valueOf(server.pid()), "VM.native_memory", "summary")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(2));
    }

    private static Path script() throws URISyntaxException {
        return Path.of(TcpMemoryInteropTest.class.getResource("/interop/ofo_flood.py").toURI());
    }
}
