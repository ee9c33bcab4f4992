package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.LinkHost;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The TAP reader's receive loop without a device (issue 7, item 21): neither exhausted direct memory nor a host
 * whose receive throws an Error stops it; each costs one frame, counted, and the frames behind it get through.
 */
class TapReceiverTest {
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int EIO = 5;

    private final PacketBufferPool pool = PacketBufferPool.standard();
    private final TapStats stats = new TapStats();
    private final ArrayDeque<Long> reads = new ArrayDeque<>(); // a frame's first byte, or -errno
    private final List<Integer> delivered = new ArrayList<>();

    private final TapReceiver.FrameSource source = into -> {
        Long next = reads.poll();
        if (next == null) return -EAGAIN;
        if (next < 0) return next;
        into.put(0, (byte) next.longValue());
        return 60;
    };

    private final LinkHost host = new LinkHost() {
        @Override
        public void receive(PacketBuffer frame) {
            int first = frame.buffer().get(frame.data()) & 0xff;
            frame.release();
            if (first == 3) throw new StackOverflowError();
            delivered.add(first);
        }

        @Override public PacketBufferPool pool() { return pool; }
        @Override public EventLoop loop() { return new SimulatedEventLoop(); }
    };

    private TapReceiver receiver(IntFunction<PacketBuffer> allocator) {
        return new TapReceiver("tap-test", 1518, source, allocator, stats, EAGAIN, EINTR);
    }

    /** A caller polling for its own socket must get back to it however many frames a flood keeps queued. */
    @Test
    void aBudgetedDrainStopsAfterItsBudgetAndTheNextTakesTheFramesBehind() {
        for (long f = 10; f < 30; f++) reads.add(f);
        TapReceiver rx = receiver(pool::allocateRaw);
        assertThat(rx.drain(host, () -> false, 8)).isZero();
        assertThat(delivered).containsExactly(10, 11, 12, 13, 14, 15, 16, 17);
        assertThat(rx.drain(host, () -> false, 8)).isZero();
        assertThat(delivered).hasSize(16).endsWith(25);
        assertThat(rx.drain(host, () -> false)).isZero();
        assertThat(delivered).hasSize(20).endsWith(29);
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void noBufferDropsOneFrameAndAThrowingHostLosesOneTheRestGetThrough() {
        for (long f = 1; f <= 5; f++) reads.add(f);
        int[] allocations = new int[1];
        TapReceiver rx = receiver(size -> {
            if (++allocations[0] == 2) throw new OutOfMemoryError("Cannot reserve direct buffer memory");
            return pool.allocateRaw(size);
        });
        assertThat(rx.drain(host, () -> false)).as("drained to EAGAIN").isZero();
        assertThat(delivered).containsExactly(1, 4, 5);
        assertThat(stats.rxNoBuffer()).isEqualTo(1);
        assertThat(stats.rxHostErrors()).isEqualTo(1);
        assertThat(reads).as("the dropped frame was read, not left for ever in the kernel's queue").isEmpty();
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void anInterruptedReadIsRetriedAndAFailedOneEndsTheDrainWithItsErrno() {
        reads.add(1L);
        reads.add((long) -EINTR);
        reads.add(2L);
        reads.add((long) -EIO);
        reads.add(3L);
        assertThat(receiver(pool::allocateRaw).drain(host, () -> false)).isEqualTo(EIO);
        assertThat(delivered).containsExactly(1, 2);
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void theSpareBufferIsDirectSoTheKernelCanReadIntoIt() {
        reads.add(1L);
        ByteBuffer[] seen = new ByteBuffer[1];
        TapReceiver rx = new TapReceiver("tap-test", 1518, into -> {
            seen[0] = into;
            return source.read(into);
        }, size -> {
            throw new OutOfMemoryError();
        }, stats, EAGAIN, EINTR);
        assertThat(rx.drain(host, () -> false)).isZero();
        assertThat(seen[0].isDirect()).isTrue();
        assertThat(stats.rxNoBuffer()).isEqualTo(1);
    }
}
