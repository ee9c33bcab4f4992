package io.inet4j.testkit.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.netdev.LinkHost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BottleneckLink} on a simulated loop: frames leave at the rate one after another and arrive a propagation
 * delay later (at the loop's 1 ms timer tick), a full queue drops what does not fit and counts it, the queue
 * drains at the rate, the other direction is shaped alike, and every buffer comes back to the pool.
 */
class BottleneckLinkTest {
    private static final long MS = 1_000_000L;
    private final SimulatedEventLoop loop = new SimulatedEventLoop();
    private final PacketBufferPool pool = PacketBufferPool.standard();

    /** Records when frames arrive, as a length and a virtual time. */
    final class Host implements LinkHost {
        final List<Long> at = new ArrayList<>();

        @Override
        public void receive(PacketBuffer frame) {
            at.add(loop.clock().nanoTime());
            frame.release();
        }

        @Override public PacketBufferPool pool() { return pool; }
        @Override public EventLoop loop() { return loop; }
    }

    private PacketBuffer frame(int len) {
        PacketBuffer b = pool.allocate(len);
        b.put(len);
        return b;
    }

    @Test
    void framesLeaveAtTheRateAndArriveADelayLaterAndAFullQueueDrops() {
        InMemoryLink[] wire = InMemoryLink.pair("a", "b", 1500);
        // 8 Mbit/s: a 1000-byte frame takes 1 ms to leave; 5 ms one way; 3000 bytes of queue.
        BottleneckLink a = new BottleneckLink(wire[0], 8_000_000L, 5 * MS, 3000);
        Host atA = new Host();
        Host atB = new Host();
        a.start(atA);
        wire[1].start(atB);
        loop.runFor(MS);
        long t0 = loop.clock().nanoTime();
        for (int i = 0; i < 5; i++) a.transmit(frame(1000));
        assertThat(a.drops()).isEqualTo(2);
        loop.runFor(MS + MS / 2);
        a.transmit(frame(1000)); // 1.5 ms of the 3 ms backlog left: 1500 + 1000 bytes fit
        assertThat(a.drops()).isEqualTo(2);
        loop.runFor(20 * MS);
        assertThat(atB.at).hasSize(4);
        long[] due = {6 * MS, 7 * MS, 8 * MS, 9 * MS};
        for (int i = 0; i < 4; i++) assertThat(atB.at.get(i) - t0).isBetween(due[i], due[i] + MS);

        long t1 = loop.clock().nanoTime();
        wire[1].transmit(frame(1000));
        wire[1].transmit(frame(1000));
        loop.runFor(20 * MS);
        assertThat(atA.at).hasSize(2);
        assertThat(atA.at.get(0) - t1).isBetween(6 * MS, 7 * MS);
        assertThat(atA.at.get(1) - t1).isBetween(7 * MS, 8 * MS);

        a.transmit(frame(1000));
        a.close();
        loop.runFor(20 * MS);
        assertThat(atB.at).hasSize(4);
        assertThat(pool.outstanding()).isZero();
    }
}
