package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpMib;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetStack;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.TapLink;
import io.inet4j.tap.TapStats;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP with the Linux kernel over a TAP opened with offloads ({@code IFF_VNET_HDR}, {@code TUN_F_CSUM | TUN_F_TSO4}):
 * the kernel hands the stack 64 KiB super-segments with partial checksums and takes the stack's, and the bytes
 * arrive whole both ways. The TAP's own counters show that most bytes crossed as super-segments each way.
 */
@RequiresTap
class TapOffloadInteropTest {
    private static final String LINUX = "10.124.0.1";
    private static final String STACK = "10.124.0.2";
    private static final long SIZE = 20L << 20;

    @TempDir
    Path dir;

    @Test
    void superSegmentsCrossBothWaysAndTheBytesArriveWhole() throws Exception {
        Path file = Interop.randomFile(dir, "file.bin", SIZE, 124);
        String want = Interop.sha256(file);
        String ns = TapNames.namespace("tso");
        Interop.run("ip", "netns", "add", ns);
        TapLink tap = TapLink.open(TapNames.unique("tso"), 1500, null, true);
        try (PeerNamespace peer = PeerNamespace.attach(tap.name(), ns, LINUX + "/24");
                InetStack stack = InetStack.builder().name("tso").link(tap, STACK + "/24").build()) {
            // Linux -> stack: the kernel's TSO super-segments arrive whole.
            Process sender = Interop.inNamespace(ns, "sh", "-c", "exec nc -l -N 5006 < " + file).start();
            Interop.awaitListening(ns, 5006);
            Interop.Received got = Interop.receiveAll(stack, LINUX, 5006, 60_000);
            assertThat(sender.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(got.bytes()).isEqualTo(SIZE);
            assertThat(got.sha256()).isEqualTo(want);
            TapStats st = tap.stats();
            assertThat(st.rxGsoBytes()).as("most came as the kernel's super-segments, " + st).isGreaterThan(SIZE / 2);

            // stack -> Linux: the stack's super-segments are cut by the kernel and delivered in order.
            long txGso = st.txGsoBytes();
            Path uploaded = dir.resolve("got.bin");
            Process receiver = Interop.inNamespace(ns, "sh", "-c", "exec nc -l 5007 < /dev/null > " + uploaded).start();
            Interop.awaitListening(ns, 5007);
            try (InetSocket s = stack.socket(); InputStream in = Files.newInputStream(file)) {
                s.connect(LINUX, 5007, 10_000);
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[64 * 1024]; // a bulk sender's writes, as the http-server's
                for (int r; (r = in.read(buf)) > 0; ) out.write(buf, 0, r);
                s.shutdownOutput();
                s.setSoTimeout(60_000);
                assertThat(s.getInputStream().read()).as("Linux's FIN once it has it all").isEqualTo(-1);
            }
            assertThat(receiver.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.size(uploaded)).isEqualTo(SIZE);
            assertThat(Interop.sha256(uploaded)).isEqualTo(want);
            assertThat(st.txGsoBytes() - txGso).as("most went as super-segments, " + st).isGreaterThan(SIZE / 2);
            assertThat(stack.net().mibs().tcp.get(TcpMib.InErrs)).isZero();
        } finally {
            Interop.run("ip", "netns", "del", ns);
        }
    }
}
