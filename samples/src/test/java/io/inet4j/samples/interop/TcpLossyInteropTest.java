package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.netdev.FaultInjectingLink;
import io.inet4j.netdev.FaultSpec;
import io.inet4j.stack.InetStack;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.TapLink;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk TCP between the stack and the Linux kernel through a bad link: 5% loss, 1% duplication and 2% reordering
 * of the frames in each direction on the stack's side ({@code --fault}). Both ways the bytes arrive whole, in
 * order, exactly once (SHA-256 of what was sent against what arrived, and the byte count): the upload by
 * {@code inet4j nc} to Linux's {@code nc -l}, which must exit 0 only once Linux acknowledged everything; the
 * download by the stack's socket API from Linux's {@code nc -l -N}, both at once on two TAP devices into two
 * namespaces. A third case checks the exit status when the peer vanishes before acknowledging: not 0. The size is
 * {@code -Dinet4j.lossy.mb} (default {@value #DEFAULT_MB} MB each way, the acceptance; about 2.5 min on two
 * cores, since both directions wait out their retransmission timeouts side by side); the times each way are printed
 * as {@code [throughput]} lines.
 */
@RequiresTap
class TcpLossyInteropTest {
    private static final String LINUX = "10.92.1.1";
    private static final String STACK = "10.92.1.2";
    /** The download's own lab, so that it can run beside the upload. */
    private static final String LINUX_DOWN = "10.92.2.1";
    private static final String STACK_DOWN = "10.92.2.2";
    private static final String FAULTS = "loss=0.05,dup=0.01,reorder=0.02";
    private static final int DEFAULT_MB = 100;
    private static final long SIZE = Long.getLong("inet4j.lossy.mb", DEFAULT_MB) << 20;

    @TempDir
    static Path dir;

    private static String ns;
    private static String nsDown;
    private static Path file;

    @BeforeAll
    static void up() throws Exception {
        ns = TapNames.namespace("loss");
        run("ip", "netns", "add", ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        nsDown = TapNames.namespace("lossd");
        run("ip", "netns", "add", nsDown);
        run("ip", "-n", nsDown, "link", "set", "lo", "up");
        file = Interop.randomFile(dir, "file.bin", SIZE, 92);
    }

    @AfterAll
    static void down() throws Exception {
        if (ns != null) run("ip", "netns", "del", ns);
        if (nsDown != null) run("ip", "netns", "del", nsDown);
    }

    @Test
    void bothWaysThroughLossDuplicationAndReorderingTheUploadByNcExitingZeroOnlyOnceAllIsAcknowledged()
            throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> download = pool.submit(TcpLossyInteropTest::download);
            String upload = upload();
            String down = download.get(10, TimeUnit.MINUTES);
            System.out.println(upload);
            System.out.println(down);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code inet4j nc} to Linux's {@code nc -l}: exits 0, and Linux got every byte; returns the throughput line. */
    private static String upload() throws Exception {
        Path got = dir.resolve("up.bin");
        Process nc = inNamespace(ns, "sh", "-c", "exec nc -l 5003 < /dev/null > " + got).start();
        Interop.awaitListening(ns, 5003);
        InputStream saved = System.in;
        Interop.CliRun o;
        long t0 = System.nanoTime();
        try {
            System.setIn(Files.newInputStream(file));
            o = inet4j("nc", "--fault", FAULTS + ",seed=1", "--close-timeout", "120", LINUX, "5003");
        } finally {
            System.setIn(saved);
        }
        long nanos = System.nanoTime() - t0;
        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(nc.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.size(got)).isEqualTo(SIZE);
        assertThat(Interop.sha256(got)).isEqualTo(Interop.sha256(file));
        return Interop.throughputLine("upload by inet4j nc, " + FAULTS, SIZE, nanos);
    }

    /** The stack's socket API from Linux's {@code nc -l -N}: every byte, in order; returns the throughput line. */
    private static String download() throws Exception {
        TapLink tap = TapLink.open(TapNames.unique("lossd"), 1500);
        FaultInjectingLink faulty = new FaultInjectingLink(tap, FaultSpec.parse(FAULTS + ",seed=2"));
        try (PeerNamespace peer = PeerNamespace.attach(tap.name(), nsDown, LINUX_DOWN + "/24");
                InetStack stack = InetStack.builder().name("lossy").link(faulty, STACK_DOWN + "/24").build()) {
            Process nc = inNamespace(nsDown, "sh", "-c", "exec nc -l -N 5004 < " + file).start();
            Interop.awaitListening(nsDown, 5004);
            long t0 = System.nanoTime();
            Interop.Received got = Interop.receiveAll(stack, LINUX_DOWN, 5004, 120_000);
            long nanos = System.nanoTime() - t0;
            assertThat(nc.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(got.bytes()).isEqualTo(SIZE);
            assertThat(got.sha256()).isEqualTo(Interop.sha256(file));
            return Interop.throughputLine("download by the stack, " + FAULTS + " (" + faulty.counters() + ")",
                    got.bytes(), nanos);
        }
    }

    @Test
    void ncExitsNonZeroWhenThePeerVanishesBeforeAcknowledging() throws Exception {
        // Linux's nc finishes its side at once (FIN_WAIT2) and takes data; once the connection is there its address
        // goes, so nothing more is acknowledged and no RST comes, however fast the rest of the upload would have
        // been. With tcp_retries2 = 3 the stack gives up after about 3 s.
        String tap = TapNames.unique("loss");
        Process nc = inNamespace(ns, "sh", "-c", "exec nc -l -N 5005 < /dev/null > /dev/null").start();
        Interop.awaitListening(ns, 5005);
        Thread vanish = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!ok("ip", "-n", ns, "link", "show", "dev", tap) && System.nanoTime() < deadline) Thread.sleep(20);
                while (!ok("sh", "-c", "ip netns exec " + ns + " ss -Htn state connected '( sport = :5005 )' | grep -q .")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                run("ip", "-n", ns, "addr", "flush", "dev", tap);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        vanish.start();
        InputStream saved = System.in;
        Interop.CliRun o;
        try {
            System.setIn(Files.newInputStream(file));
            o = Interop.cli("nc", "--tap", tap, "--addr", STACK + "/24", "--peer-netns", ns, "--peer-addr", LINUX + "/24",
                    "--fault", FAULTS + ",seed=3", "--sysctl", "net.ipv4.tcp_retries2=3", "--close-timeout", "2", LINUX,
                    "5005");
        } finally {
            System.setIn(saved);
            vanish.join();
            nc.destroy();
        }
        assertThat(o.exit()).as(o.err()).isNotZero();
    }

    private static Interop.CliRun inet4j(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(1, List.of("--tap", TapNames.unique("loss"), "--addr", STACK + "/24", "--peer-netns", ns,
                "--peer-addr", LINUX + "/24"));
        return Interop.cli(argv.toArray(String[]::new));
    }

    private static ProcessBuilder inNamespace(String namespace, String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(List.of(argv));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    private static boolean ok(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
}
