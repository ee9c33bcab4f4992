package io.inet4j.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link PacketBufferPool}'s promises: a steady allocate/release cycle creates nothing after warm-up,
 * {@code outstanding()} counts exactly what is held, oversize requests get one-off buffers that are not kept,
 * and no more than {@code maxPooled} free buffers are kept.
 */
class PacketBufferPoolTest {
    @Test
    void steadyStateAllocatesNothingAfterWarmUp() {
        PacketBufferPool pool = PacketBufferPool.standard();
        PacketBuffer[] inFlight = new PacketBuffer[8];
        cycle(pool, inFlight, 1_000);
        long warm = pool.created();
        assertThat(warm).isLessThanOrEqualTo(inFlight.length);

        cycle(pool, inFlight, 100_000);
        assertThat(pool.created()).isEqualTo(warm);
        assertThat(pool.outstanding()).isZero();
    }

    /** Allocates and releases {@code rounds} times, keeping up to {@code inFlight.length} buffers held at once. */
    private static void cycle(PacketBufferPool pool, PacketBuffer[] inFlight, int rounds) {
        for (int i = 0; i < rounds; i++) {
            int slot = i % inFlight.length;
            if (inFlight[slot] != null) inFlight[slot].release();
            PacketBuffer b = i % 2 == 0 ? pool.allocate(1500) : pool.allocateRaw(1514);
            b.put(Math.min(64, b.tailroom()));
            inFlight[slot] = b;
            assertThat(pool.outstanding()).isEqualTo(Math.min(i + 1, inFlight.length));
        }
        for (int s = 0; s < inFlight.length; s++) {
            if (inFlight[s] != null) inFlight[s].release();
            inFlight[s] = null;
        }
    }

    @Test
    void allocateFitsTheRequestAfterTheHeadroom() {
        PacketBufferPool pool = new PacketBufferPool(2048, 4);
        PacketBuffer fits = pool.allocate(2048 - PacketBufferPool.DEFAULT_HEADROOM);
        assertThat(fits.capacity()).isEqualTo(2048);
        assertThat(fits.tailroom()).isEqualTo(2048 - PacketBufferPool.DEFAULT_HEADROOM);
        PacketBuffer raw = pool.allocateRaw(2048);
        assertThat(raw.headroom()).isZero();
        assertThat(raw.tailroom()).isEqualTo(2048);
        fits.release();
        raw.release();
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void largeSegmentsComeFromSizeClassesAndAreReused() {
        PacketBufferPool pool = new PacketBufferPool(2048, 4);
        for (int i = 0; i < 3; i++) {
            PacketBuffer big = pool.allocate(65_535);
            // The next 4 KiB step above what was asked: a buffer pins little more than it holds.
            assertThat(big.capacity()).isEqualTo(69_632);
            assertThat(big.tailroom()).isGreaterThanOrEqualTo(65_535);
            assertThat(pool.outstanding()).isEqualTo(1);
            big.release();
        }
        assertThat(pool.created()).as("a jumbo or loopback segment reuses its class's buffer").isEqualTo(1);
        assertThat(pool.allocate(33_000).capacity()).isEqualTo(36_864);

        PacketBuffer huge = pool.allocate(PacketBufferPool.MAX_CLASS);
        assertThat(huge.capacity()).as("beyond the largest class: a one-off")
                .isEqualTo(PacketBufferPool.MAX_CLASS + PacketBufferPool.DEFAULT_HEADROOM);
        huge.release();
        assertThat(pool.allocate(PacketBufferPool.MAX_CLASS)).isNotSameAs(huge);

        PacketBuffer normal = pool.allocate(100);
        assertThat(normal.capacity()).as("classes never hand out to ordinary requests").isEqualTo(2048);
        normal.release();
    }

    @Test
    void hundredsOfSuperFramesComeBackToTheirClass() {
        PacketBufferPool pool = PacketBufferPool.standard();
        // What four receive queues of a few MiB each hold of a TAP reader's 64 KiB frames at once.
        int n = 400;
        List<PacketBuffer> held = new ArrayList<>();
        for (int i = 0; i < n; i++) held.add(pool.allocateRaw(TAP_READ));
        held.forEach(PacketBuffer::release);
        for (int i = 0; i < n; i++) pool.allocateRaw(TAP_READ).release();
        List<PacketBuffer> again = new ArrayList<>();
        for (int i = 0; i < n; i++) again.add(pool.allocateRaw(TAP_READ));
        assertThat(pool.created()).as("all %d kept and reused", n).isEqualTo(n);
        again.forEach(PacketBuffer::release);
    }

    @Test
    void sizeClassesTogetherKeepAtMostTheBudget() {
        PacketBufferPool pool = PacketBufferPool.standard();
        int big = PacketBufferPool.CLASS_POOL_BYTES / TAP_CLASS + 50;
        List<PacketBuffer> held = new ArrayList<>();
        for (int i = 0; i < big; i++) held.add(pool.allocateRaw(TAP_READ));
        // A second class filled first takes its share of the budget from the hot one.
        List<PacketBuffer> small = new ArrayList<>();
        for (int i = 0; i < 1024; i++) small.add(pool.allocateRaw(8000));
        small.forEach(PacketBuffer::release);
        held.forEach(PacketBuffer::release);
        long created = pool.created();
        for (int i = 0; i < big; i++) held.set(i, pool.allocateRaw(TAP_READ));
        long kept = big - (pool.created() - created);
        assertThat(kept * TAP_CLASS + 1024L * 8192)
                .as("free bytes kept across classes").isLessThanOrEqualTo(PacketBufferPool.CLASS_POOL_BYTES);
        assertThat(kept).as("the hot class keeps what the budget leaves it")
                .isEqualTo((PacketBufferPool.CLASS_POOL_BYTES - 1024L * 8192) / TAP_CLASS);
        held.forEach(PacketBuffer::release);
    }

    /** What a TAP reader with the virtio header asks for, and the class that serves it. */
    private static final int TAP_READ = 65_535 + 14 + 4 + 12 + 1;
    private static final int TAP_CLASS = 69_632;

    @Test
    void keepsAtMostMaxPooledFreeBuffers() {
        PacketBufferPool pool = new PacketBufferPool(256, 4);
        List<PacketBuffer> held = allocate(pool, 10);
        held.forEach(PacketBuffer::release);
        assertThat(pool.created()).isEqualTo(10);

        List<PacketBuffer> again = allocate(pool, 10);
        assertThat(pool.created()).as("4 reused, 6 new").isEqualTo(16);
        assertThat(again).containsAll(held.subList(0, 4));
        again.forEach(PacketBuffer::release);
        assertThat(pool.outstanding()).isZero();
    }

    private static List<PacketBuffer> allocate(PacketBufferPool pool, int n) {
        List<PacketBuffer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(pool.allocateRaw(100));
        return l;
    }

    @Test
    void standardPoolCarriesAFullFrameAfterTheHeadroom() {
        PacketBufferPool pool = PacketBufferPool.standard();
        assertThat(pool.bufferSize()).isGreaterThanOrEqualTo(1514 + PacketBufferPool.DEFAULT_HEADROOM);
        PacketBuffer b = pool.allocate(1514);
        assertThat(b.capacity()).isEqualTo(pool.bufferSize());
        b.release();
    }
}
