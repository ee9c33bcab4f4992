package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link TcpSock#jiffies32}, the one millisecond clock of the u32 stamps, the TSvals and {@code rtt_min}: it must
 * count one a millisecond wherever the stack's clock starts, {@code System.nanoTime()}'s origin being arbitrary.
 */
class TcpJiffiesTest {
    private static final long MS = 1_000_000L;

    @Test
    void everyMillisecondAddsOneJiffyOnBothSidesOfZero() {
        for (long t = -5 * MS; t <= 5 * MS; t += MS / 4) {
            assertThat(TcpSock.jiffies32(t + MS) - TcpSock.jiffies32(t)).as("from %d ns", t).isEqualTo(1);
        }
        assertThat(TcpSock.jiffies32(-1)).isEqualTo(-1);
        assertThat(TcpSock.jiffies32(MS - 1)).isZero();
    }

    @Test
    void theTimeSinceAStampIsTheU32DifferenceAcrossTheWrap() {
        long stamp = (1L << 32) * MS - 3 * MS; // 3 ms before the u32 jiffy counter wraps
        int j = TcpSock.jiffies32(stamp);
        assertThat(TcpSock.sinceJiffies(stamp + 10 * MS, j)).isEqualTo(10 * MS);
    }
}
