package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing outlives a failed command: when a TAP command fails after it made its TAP device and the peer namespace
 * (here the stack refuses a sysctl it cannot honour), both are gone when it returns, and the failure is one line
 * naming the option, with exit status 2; a command killed by a signal leaves no namespace either.
 */
@RequiresTap
// A start that is not refused runs until killed: fail, don't hang (as when the sysctl used here became real).
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CliCleanupInteropTest {
    @Test
    void aFailedStartRemovesTheTapAndTheNamespace() throws Exception {
        String tap = TapNames.unique("cln");
        String ns = TapNames.namespace("cln");
        Interop.CliRun r = Interop.cli("up", "--tap", tap, "--addr", "10.84.1.2/24", "--peer-netns", ns,
                "--peer-addr", "10.84.1.1/24", "--sysctl", "net.ipv4.tcp_autocorking=1");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("inet4j up: --sysctl net.ipv4.tcp_autocorking");
        assertThat(Files.exists(Path.of("/sys/class/net", tap))).as("TAP " + tap + " left behind").isFalse();
        assertThat(namespaces()).as("namespace " + ns + " left behind").doesNotContain(ns);
    }

    /** A command killed by a signal (SIGTERM here) runs no close of its own: the namespace it made goes all the same. */
    @Test
    void aKilledCommandRemovesTheNamespaceItMade() throws Exception {
        String ns = TapNames.namespace("clk");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process nc = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                io.inet4j.samples.cli.Main.class.getName(), "nc", "-l", "5000", "--tap", TapNames.unique("clk"),
                "--addr", "10.84.2.2/24", "--peer-netns", ns, "--peer-addr", "10.84.2.1/24")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!namespaces().contains(ns) && nc.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(namespaces()).as("nc made its namespace").contains(ns);
            Thread.sleep(500); // past the address and link setup, into accept
        } finally {
            nc.destroy();
        }
        assertThat(nc.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(namespaces()).as("namespace " + ns + " left behind").doesNotContain(ns);
    }

    private static String namespaces() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
