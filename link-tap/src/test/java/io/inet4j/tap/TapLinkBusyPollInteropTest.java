package io.inet4j.tap;

import static io.inet4j.tap.Frame.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.ThreadEventLoop;
import io.inet4j.netdev.BusyPoll;
import io.inet4j.netdev.LinkHost;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller waiting for its socket polls the TAP itself ({@link TapLink#busyPoll}): the reader hands the descriptor
 * over when asked, frames then come up in the caller's thread, the reader takes the descriptor back once callers stop
 * coming, and closing the link gets a polling caller out.
 */
@RequiresTap
class TapLinkBusyPollInteropTest {
    private static final int OUR_IP = ipv4(10, 122, 9, 2);
    /** How long something that must happen may take before the test calls it lost; never a performance bound. */
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Which thread handed each ARP request for our address up. */
    private static final class ThreadRecordingHost implements LinkHost, AutoCloseable {
        final ThreadEventLoop loop = new ThreadEventLoop("test-loop");
        final PacketBufferPool pool = PacketBufferPool.standard();
        final LinkedBlockingQueue<Thread> receivers = new LinkedBlockingQueue<>();

        @Override
        public void receive(PacketBuffer frame) {
            byte[] bytes = new byte[frame.length()];
            frame.read(frame.data(), bytes, 0, bytes.length);
            frame.release();
            Frame f = new Frame(bytes);
            if (f.isArp() && f.arpOp() == Frame.ARP_REQUEST && f.arpTargetIp() == OUR_IP) {
                receivers.add(Thread.currentThread());
            }
        }

        @Override public PacketBufferPool pool() { return pool; }
        @Override public EventLoop loop() { return loop; }
        @Override public void close() { loop.close(); }
    }

    private final String tap = TapNames.unique("bp");
    private final ThreadRecordingHost host = new ThreadRecordingHost();
    private TapLink link;
    private PeerNamespace ns;

    @BeforeEach
    void openAndMove() throws Exception {
        link = TapLink.open(tap, 1500);
        link.start(host);
        ns = PeerNamespace.attach(tap, TapNames.namespace("bp"), "10.122.9.1/24");
    }

    @AfterEach
    void cleanUp() throws Exception {
        link.close();
        ns.close();
        host.close();
    }

    /** Asks the reader for the descriptor, which it hands over. */
    private BusyPoll takeTheDevice() {
        BusyPoll bp = link.busyPoll();
        assertThat(link.pollOwnerState()).as("the reader holds it at first").isEqualTo(PollOwner.READER);
        // A caller that asked withdraws after a moment and sleeps as usual: ask until it is ours, as callers do.
        long end = System.nanoTime() + PATIENCE_NANOS;
        while (!bp.tryStartPoll()) {
            assertThat(System.nanoTime()).as("the reader handed it over").isLessThan(end);
        }
        assertThat(link.pollOwnerState()).isEqualTo(PollOwner.CALLER);
        assertThat(bp.tryStartPoll()).as("one poller at a time").isFalse();
        return bp;
    }

    @Test
    void aPollingCallerReadsTheFramesItselfAndTheReaderTakesOverWhenItLeaves() throws Exception {
        BusyPoll bp = takeTheDevice();
        // ARP requests for our address: the kernel asks once a second while nobody answers.
        Process ping = ns.start("ping", "-c", "5", "-i", "0.5", "10.122.9.2");
        try {
            long end = System.nanoTime() + PATIENCE_NANOS;
            while (host.receivers.isEmpty() && System.nanoTime() < end) assertThat(bp.pollOnce(0)).isTrue();
            // Taken before the caller leaves, while nobody else reads: the kernel may have sent several meanwhile.
            List<Thread> first = new ArrayList<>();
            host.receivers.drainTo(first);
            assertThat(first).as("requests read by the polling caller").isNotEmpty()
                    .allSatisfy(t -> assertThat(t).isSameAs(Thread.currentThread()));
            bp.endPoll();

            Thread next = host.receivers.poll(PATIENCE_NANOS, TimeUnit.NANOSECONDS);
            assertThat(next).as("the next request, once the caller left").isSameAs(link.readerThread());
        } finally {
            ping.destroy();
        }
    }

    @Test
    void closingTheLinkGetsAPollingCallerOut() throws Exception {
        BusyPoll bp = takeTheDevice();
        CompletableFuture<Integer> polls = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            int n = 0;
            while (bp.pollOnce(0)) n++;
            bp.endPoll();
            polls.complete(n);
        });
        caller.start(); // polls with the descriptor this thread took: holding it is not tied to a thread

        link.close();

        assertThat(polls.get(PATIENCE_NANOS, TimeUnit.NANOSECONDS)).isNotNegative();
        assertThat(link.readerThread().isAlive()).isFalse();
        assertThat(bp.tryStartPoll()).as("a closed link is not polled").isFalse();
    }
}
