package io.inet4j.testkit.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import org.junit.jupiter.api.Test;

/**
 * A CUBIC flow and a Reno flow through one bottleneck (10 Mbit/s, 20 ms RTT, a drop-tail queue of about two
 * bandwidth-delay products), started together and run for a minute of virtual time: both make progress all along,
 * each taking a real share of what the link delivers, and together they keep it busy. Deterministic (one simulated
 * loop); the shares are printed as a {@code [share]} line.
 */
class CubicRenoShareTest {
    private static final long RATE = 10_000_000L;
    private static final long DELAY = 10_000_000L;
    private static final long LIMIT = 50_000;
    private static final double SECONDS = 60;

    @Test
    void bothFlowsGetARealShare() throws Exception {
        BottleneckLink[] link = new BottleneckLink[1];
        try (TwoStacks t = TwoStacks.wrapping(1500, l -> link[0] = new BottleneckLink(l, RATE, DELAY, LIMIT))) {
            BulkFlow cubic = new BulkFlow(t, 5001, Long.MAX_VALUE, 1, "cubic");
            BulkFlow reno = new BulkFlow(t, 5002, Long.MAX_VALUE, 2, "reno");
            t.runUntil(SECONDS / 2, () -> cubic.pump() | reno.pump());
            long cubicHalf = cubic.received;
            long renoHalf = reno.received;
            t.runUntil(SECONDS / 2, () -> cubic.pump() | reno.pump());
            long total = cubic.received + reno.received;
            System.out.printf("[share] 10 Mbit/s, 20 ms RTT, %d B queue, %.0f s: cubic %.1f Mbit/s, reno %.1f Mbit/s,"
                            + " %d drops at the queue%n", LIMIT, SECONDS, cubic.received * 8 / SECONDS / 1e6,
                    reno.received * 8 / SECONDS / 1e6, link[0].drops());
            assertThat(total * 8 / SECONDS).as("the link is kept busy").isGreaterThan(RATE * 0.7);
            assertThat(cubic.received).as("cubic's share").isGreaterThan(total / 10);
            assertThat(reno.received).as("reno's share").isGreaterThan(total / 10);
            long secondHalf = total - cubicHalf - renoHalf;
            assertThat(cubic.received - cubicHalf).as("cubic, second half").isGreaterThan(secondHalf / 10);
            assertThat(reno.received - renoHalf).as("reno, second half").isGreaterThan(secondHalf / 10);
            assertThat(link[0].drops()).as("the queue overflowed: the flows really competed").isPositive();
        }
    }
}
