package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.netdev.FaultInjectingLink;
import io.inet4j.netdev.FaultSpec;
import io.inet4j.samples.nc.Netcat;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetStack;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.TapLink;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SACK with the Linux kernel over a TAP device that loses 3% of the frames each way on the stack's side. Upload:
 * Linux's SACK blocks drive the stack's recovery (TCPSackRecovery counts on the stack). Download: the blocks the
 * stack puts on its ACKs drive Linux's recovery (TCPSackRecovery in the namespace's {@code nstat}). Both ways
 * the bytes arrive whole.
 */
@RequiresTap
class SackInteropTest {
    private static final String LINUX = "10.102.1.1";
    private static final String STACK = "10.102.1.2";
    private static final String FAULTS = "loss=0.03";
    private static final long SIZE = 8L << 20;

    @TempDir
    static Path dir;
    private static Path file;
    private static TapLink tap;
    private static PeerNamespace peer;
    private static InetStack stack;

    @BeforeAll
    static void up() throws Exception {
        file = Interop.randomFile(dir, "file.bin", SIZE, 102);
        tap = TapLink.open(TapNames.unique("sck"), 1500);
        FaultInjectingLink faulty = new FaultInjectingLink(tap, FaultSpec.parse(FAULTS + ",seed=3"));
        peer = PeerNamespace.attach(tap.name(), TapNames.namespace("sck"), LINUX + "/24");
        stack = InetStack.builder().name("interop-sck").link(faulty, STACK + "/24").build();
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) stack.close();
        if (peer != null) peer.close();
    }

    @Test
    void linuxSacksDriveTheStacksRecoveryOnUpload() throws Exception {
        long before = stack.net().mibs().tcpExt.get(TcpExtMib.TCPSackRecovery);
        Path got = dir.resolve("up.bin");
        Process nc = peer.start("sh", "-c", "exec nc -l 5001 > " + got + " < /dev/null");
        try {
            Interop.awaitListening(peer.name(), 5001);
            Netcat.Counts counts;
            try (InetSocket s = stack.socket(); InputStream in = Files.newInputStream(file)) {
                s.connect(LINUX, 5001, 5000);
                counts = Netcat.relay(s, in, new ByteArrayOutputStream());
            }
            assertThat(nc.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(counts).isEqualTo(new Netcat.Counts(SIZE, 0));
            assertThat(Interop.sha256(got)).isEqualTo(Interop.sha256(file));
        } finally {
            nc.destroy();
        }
        assertThat(stack.net().mibs().tcpExt.get(TcpExtMib.TCPSackRecovery) - before).isGreaterThan(0);
    }

    @Test
    void theStacksSackBlocksDriveLinuxsRecoveryOnDownload() throws Exception {
        long before = linuxCounter("TcpExtTCPSackRecovery");
        Process nc = peer.start("sh", "-c", "exec nc -l -N 5002 < " + file);
        try {
            Interop.awaitListening(peer.name(), 5002);
            Interop.Received got = Interop.receiveAll(stack, LINUX, 5002, 60_000);
            assertThat(nc.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(got.bytes()).isEqualTo(SIZE);
            assertThat(got.sha256()).isEqualTo(Interop.sha256(file));
        } finally {
            nc.destroy();
        }
        assertThat(linuxCounter("TcpExtTCPSackRecovery") - before).isGreaterThan(0);
    }

    /** A {@code /proc/net/netstat} counter of the namespace's kernel, by its nstat name. */
    private static long linuxCounter(String name) throws Exception {
        PeerNamespace.Result r = peer.exec("nstat", "-asz", name);
        for (String line : r.stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals(name)) return Long.parseLong(f[1]);
        }
        throw new AssertionError("no " + name + " in: " + r.stdout() + r.stderr());
    }
}
