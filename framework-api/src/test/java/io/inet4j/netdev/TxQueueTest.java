package io.inet4j.netdev;

import static io.inet4j.netdev.Frames.MAC_A;
import static io.inet4j.netdev.Frames.MAC_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.loop.ThreadEventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link NetDevice}'s transmit queue ({@link TxQueue}) for a link that writes without the stack's state: what
 * the owner sends is written once it lets go, in order, and freed only by a later owner (the TX completion); a
 * burst past the queue's length is written by the owner itself, nothing dropped; closing the device frees what
 * waits; owners on several threads get every frame written once, in queueing order; a loop that wakes at once
 * writes and frees at once, as before the queue.
 */
class TxQueueTest {
    private final PacketBufferPool pool = PacketBufferPool.standard();
    private final ThreadEventLoop loop = new ThreadEventLoop("txq-test");
    private final XmitLink link = new XmitLink();
    private final NetDevice dev = new NetDevice(1, link, MAC_A, loop, pool, new PacketTypes(), 16);

    TxQueueTest() {
        dev.open();
    }

    @AfterEach
    void tearDown() {
        enter();
        try {
            dev.close();
        } finally {
            loop.exit();
        }
        loop.close();
        assertThat(pool.outstanding()).isZero();
    }

    /** Takes the state the way a socket call does; the loop's own thread may hold it for a moment. */
    private void enter() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!loop.tryEnter()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the state never came free");
            Thread.onSpinWait();
        }
    }

    private PacketBuffer frame(int seq) {
        return Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_IP, 4, seq);
    }

    @Test
    void aFrameIsWrittenAfterTheOwnerLetsGoAndFreedByTheNextOwner() {
        enter();
        PacketBuffer f = frame(1);
        try {
            dev.transmit(f);
            assertThat(link.written).as("nothing is written while the state is held").isEmpty();
        } finally {
            loop.exit();
        }
        assertThat(link.written).containsExactly(f);
        assertThat(link.writers).containsExactly(Thread.currentThread());
        assertThat(f.refCnt()).as("a written frame waits for its completion under the state").isEqualTo(1);

        enter();
        PacketBuffer g = frame(2);
        try {
            dev.transmit(g);
            assertThat(f.refCnt()).as("the next send frees what was written").isZero();
        } finally {
            loop.exit();
        }
        assertThat(link.written).containsExactly(f, g);
        assertThat(link.ownerWrites).as("no write ran under the state").isZero();
    }

    @Test
    void aBurstLongerThanTheQueueIsWrittenInOrderByTheOwnerWithNothingDropped() {
        List<String> sent = new ArrayList<>();
        enter();
        try {
            for (int i = 0; i < 300; i++) {
                PacketBuffer f = frame(i);
                sent.add(f.toHex());
                dev.transmit(f);
            }
            assertThat(link.written).as("the owner wrote the queue out to make room").hasSizeGreaterThanOrEqualTo(300 - 256);
        } finally {
            loop.exit();
        }
        assertThat(link.writtenHex).as("a freed frame's buffer is reused, so compare bytes").containsExactlyElementsOf(sent);
        assertThat(dev.stats().txDropped()).isZero();
        assertThat(dev.stats().txPackets()).isEqualTo(300);
    }

    @Test
    void closingTheDeviceFreesWhatWaitsAndCountsTheUnwrittenAsDropped() {
        enter();
        PacketBuffer f = frame(1);
        PacketBuffer g = frame(2);
        try {
            dev.transmit(f);
            dev.transmit(g);
            dev.close();
        } finally {
            loop.exit();
        }
        assertThat(link.written).isEmpty();
        assertThat(f.refCnt()).isZero();
        assertThat(g.refCnt()).isZero();
        assertThat(dev.stats().txDropped()).isEqualTo(2);
    }

    @Test
    void aLoopThatWakesAtOnceWritesAndFreesAtOnce() {
        SimulatedEventLoop sim = new SimulatedEventLoop();
        XmitLink simLink = new XmitLink();
        NetDevice simDev = new NetDevice(2, simLink, MAC_A, sim, pool, new PacketTypes(), 16);
        simDev.open();
        PacketBuffer f = frame(1);
        simDev.transmit(f);
        assertThat(simLink.written).containsExactly(f);
        assertThat(f.refCnt()).isZero();
        simDev.close();
    }

    @Test
    void framesQueuedByOwnersOnSeveralThreadsAreEachWrittenOnceInTheOrderTheyWereQueued() throws Exception {
        List<String> queued = new ArrayList<>(); // appended under the state, so in queueing order
        ExecutorService senders = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                int first = s * 64;
                done.add(senders.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        enter();
                        try {
                            PacketBuffer f = frame(first + i);
                            queued.add(f.toHex());
                            dev.transmit(f);
                        } finally {
                            loop.exit();
                        }
                    }
                }));
            }
            for (Future<?> d : done) d.get();
        } finally {
            senders.shutdown();
        }
        assertThat(link.writtenHex).containsExactlyElementsOf(queued);
    }

    /** A link that writes without the state, recording each frame it writes and on which thread. */
    private final class XmitLink implements Link {
        final List<PacketBuffer> written = new ArrayList<>();
        final List<String> writtenHex = new ArrayList<>();
        final List<Thread> writers = new ArrayList<>();
        int ownerWrites;

        @Override public String name() { return "xmit"; }
        @Override public int mtu() { return 1500; }
        @Override public MacAddress mac() { return null; }
        @Override public void start(LinkHost host) {}
        @Override public boolean xmitsUnowned() { return true; }

        @Override
        public void xmit(PacketBuffer frame) {
            assertThat(frame.refCnt()).as("a frame is freed only after it is written").isEqualTo(1);
            if (loop.inEventLoop()) ownerWrites++;
            written.add(frame);
            writtenHex.add(frame.toHex());
            if (!writers.contains(Thread.currentThread())) writers.add(Thread.currentThread());
        }

        @Override
        public void transmit(PacketBuffer frame) {
            xmit(frame);
            frame.release();
        }

        @Override public void close() {}
    }
}
