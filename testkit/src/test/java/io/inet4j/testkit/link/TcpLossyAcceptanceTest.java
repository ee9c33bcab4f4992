package io.inet4j.testkit.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.TcpMib;
import io.inet4j.netdev.FaultInjectingLink;
import io.inet4j.netdev.FaultSpec;
import java.util.Arrays;
import java.util.stream.DoubleStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9's acceptance on the in-memory link: a bulk transfer between two stacks through {@link #PATH} with 0.1%,
 * 1%, 5% and 10% loss and 2% reordering ({@link #REORDER}) of the frames in each direction (seeded, so each case replays exactly)
 * arrives intact (SHA-256), and the goodput in virtual time is printed as a {@code [goodput]} line per case; never
 * asserted, since it measures whatever loss recovery the stack has. The size is {@code -Dinet4j.lossy.acceptance.mb}
 * ({@value #DEFAULT_MB} MB by default, the figure: about 25 s of CPU for the four cases on two cores, as the
 * virtual clock skips the waits), the congestion control the stack's default (cubic) unless
 * {@code -Dinet4j.lossy.acceptance.cc} names one.
 */
class TcpLossyAcceptanceTest {
    private static final int DEFAULT_MB = 100;
    private static final long SIZE = Long.getLong("inet4j.lossy.acceptance.mb", DEFAULT_MB) << 20;
    private static final String CC = System.getProperty("inet4j.lossy.acceptance.cc");
    /**
     * 1 Gbit/s, 1 ms each way ({@code -Dinet4j.lossy.acceptance.delay.us}), a 1 MB drop-tail queue: netem's
     * {@code rate 1gbit delay 1ms} on both ends of a veth.
     */
    static final long RATE = 1_000_000_000L;
    static final long DELAY = Long.getLong("inet4j.lossy.acceptance.delay.us", 1000) * 1000;
    static final String PATH = "1 Gbit/s, " + DELAY / 1000 + " us each way";
    static final long LIMIT = 1 << 20;
    /** Reordering of frames each way, {@code -Dinet4j.lossy.acceptance.reorder}. */
    static final String REORDER = System.getProperty("inet4j.lossy.acceptance.reorder", "0.02");

    /** The loss rates, {@code -Dinet4j.lossy.acceptance.loss} (comma-separated) to run some only. */
    static DoubleStream losses() {
        return Arrays.stream(System.getProperty("inet4j.lossy.acceptance.loss", "0.001,0.01,0.05,0.10").split(","))
                .mapToDouble(Double::parseDouble);
    }

    @ParameterizedTest(name = "loss {0}")
    @MethodSource("losses")
    void arrivesIntact(double loss) throws Exception {
        FaultSpec faults = FaultSpec.parse("loss=" + loss + ",reorder=" + REORDER + ",seed=9");
        FaultInjectingLink[] fault = new FaultInjectingLink[1];
        try (TwoStacks t = TwoStacks.wrapping(1500,
                l -> fault[0] = new FaultInjectingLink(new BottleneckLink(l, RATE, DELAY, LIMIT), faults))) {
            BulkFlow f = new BulkFlow(t, 5001, SIZE, 9, CC);
            long wall = System.nanoTime();
            boolean done = t.runUntil(3600, f::pump);
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            assertThat(done).as("received %d of %d", f.received, SIZE).isTrue();
            assertThat(f.intact()).isTrue();
            System.out.printf("[goodput] %s, loss %.1f%%, reorder %s, %s: %d MB in %.2f s virtual = %.1f Mbit/s"
                            + " (%d retransmitted, %s; %.1f s of CPU here)%n",
                    PATH, loss * 100, REORDER, ccName(f), SIZE >> 20, (f.endNanos - f.startNanos) / 1e9, f.goodputMbps(),
                    t.a.net().mibs().tcp.get(TcpMib.RetransSegs), fault[0].counters(), wallSeconds);
        }
    }

    static String ccName(BulkFlow f) {
        byte[] b = new byte[16];
        f.client.ops.getsockopt(f.client, io.inet4j.socket.SockOpt.SOL_TCP, io.inet4j.socket.SockOpt.TCP_CONGESTION, b);
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
