package io.inet4j.ipv4.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parity-aware search under the port scans, against a naive walk. */
class PortBitmapTest {
    @Test
    void nextClearSkipsSetPortsAndTheOtherParity() {
        Random random = new Random(3);
        PortBitmap bits = new PortBitmap();
        BitSet model = new BitSet();
        for (int i = 0; i < 30_000; i++) {
            // Dense runs and sparse holes, across word boundaries.
            int p = random.nextBoolean() ? 1000 + random.nextInt(3000) : random.nextInt(65536);
            bits.set(p);
            model.set(p);
        }
        for (int i = 0; i < 20_000; i++) {
            int from = random.nextInt(65536);
            int to = Math.min(65536, from + random.nextInt(5000));
            assertThat(bits.nextClear(from, to)).as("[%d, %d)", from, to).isEqualTo(naive(model, from, to));
        }
    }

    private static int naive(BitSet set, int from, int to) {
        for (int p = from; p < to; p += 2) if (!set.get(p)) return p;
        return to;
    }

    @Test
    void clearAndToArray() {
        PortBitmap bits = new PortBitmap();
        bits.set(0);
        bits.set(63);
        bits.set(64);
        bits.set(65535);
        bits.clear(63);
        assertThat(bits.nextClear(63, 64)).isEqualTo(63);
        assertThat(bits.nextClear(64, 70)).isEqualTo(66);
        int[] out = new int[8];
        assertThat(bits.toArray(out)).isEqualTo(3);
        assertThat(out).startsWith(0, 64, 65535);
        assertThat(bits.nextClear(65535, 65536)).isEqualTo(65536);
    }
}
