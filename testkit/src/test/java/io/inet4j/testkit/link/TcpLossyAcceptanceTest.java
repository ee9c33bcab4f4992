package io.inet4j.testkit.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.TcpMib;
import io.inet4j.netdev.FaultInjectingLink;
import io.inet4j.netdev.FaultSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9's acceptance on the in-memory link: a bulk transfer between two stacks through {@link #PATH} with 0.1%,
 * 1%, 5% and 10% loss and 2% reordering of the frames in each direction (seeded, so each case replays exactly)
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
    /** 1 Gbit/s, 1 ms each way, a 1 MB drop-tail queue: netem's {@code rate 1gbit delay 1ms} on both ends of a veth. */
    static final String PATH = "1 Gbit/s, 2 ms RTT";
    static final long RATE = 1_000_000_000L;
    static final long DELAY = 1_000_000L;
    static final long LIMIT = 1 << 20;

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = {0.001, 0.01, 0.05, 0.10})
    void arrivesIntact(double loss) throws Exception {
        FaultSpec faults = FaultSpec.parse("loss=" + loss + ",reorder=0.02,seed=9");
        FaultInjectingLink[] fault = new FaultInjectingLink[1];
        try (TwoStacks t = TwoStacks.wrapping(1500,
                l -> fault[0] = new FaultInjectingLink(new BottleneckLink(l, RATE, DELAY, LIMIT), faults))) {
            BulkFlow f = new BulkFlow(t, 5001, SIZE, 9, CC);
            long wall = System.nanoTime();
            boolean done = t.runUntil(3600, f::pump);
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            assertThat(done).as("received %d of %d", f.received, SIZE).isTrue();
            assertThat(f.intact()).isTrue();
            System.out.printf("[goodput] %s, loss %.1f%%, reorder 2%%, %s: %d MB in %.2f s virtual = %.1f Mbit/s"
                            + " (%d retransmitted, %s; %.1f s of CPU here)%n",
                    PATH, loss * 100, ccName(f), SIZE >> 20, (f.endNanos - f.startNanos) / 1e9, f.goodputMbps(),
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
