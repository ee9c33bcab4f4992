package io.inet4j.netdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.SimulatedEventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link FaultInjectingLink} on an {@link InMemoryLink} and a simulated loop: over 10,000 frames each fault
 * hits close to its configured probability and its counter matches what the far end sees; a seed replays the
 * same delivered sequence and the two directions draw from separate streams; delay holds frames for exactly the
 * configured virtual time (rounded up to the timer tick); corruption flips one bit of a private copy, never the
 * sender's buffer; and every buffer comes back to the pool, also when the link is closed with frames held.
 */
class FaultInjectingLinkTest {
    private static final int N = 10_000;
    private static final int PAYLOAD = 64;
    private static final long MS = 1_000_000L;

    private final SimulatedEventLoop loop = new SimulatedEventLoop();
    private final PacketBufferPool pool = PacketBufferPool.standard();

    @AfterEach
    void everyBufferComesBack() {
        loop.runFor(1_000 * MS);
        assertThat(pool.outstanding()).isZero();
    }

    /** One arrival at a host: the frame's bytes and the virtual time it came. */
    record Arrival(byte[] bytes, long at) {
        int seq() { return ByteBuffer.wrap(bytes).getInt(); }
    }

    /** A {@link LinkHost} that records and releases what it receives. */
    final class Host implements LinkHost {
        final List<Arrival> arrivals = new ArrayList<>();

        @Override
        public void receive(PacketBuffer frame) {
            byte[] b = new byte[frame.length()];
            frame.read(frame.data(), b, 0, b.length);
            arrivals.add(new Arrival(b, loop.clock().nanoTime()));
            frame.release();
        }

        @Override public PacketBufferPool pool() { return pool; }
        @Override public EventLoop loop() { return loop; }

        int[] seqs() { return arrivals.stream().mapToInt(Arrival::seq).toArray(); }
    }

    @Test
    void theDeathOfTheLinkUnderneathReachesTheDevice() {
        LinkHost[] given = new LinkHost[1];
        Link dying = new Link() {
            @Override public String name() { return "tap0"; }
            @Override public int mtu() { return 1500; }
            @Override public MacAddress mac() { return Frames.MAC_A; }
            @Override public void start(LinkHost host) { given[0] = host; }
            @Override public void transmit(PacketBuffer frame) { frame.release(); }
            @Override public void close() {}
        };
        NetDevice dev = new NetDevice(1, new FaultInjectingLink(dying, FaultSpec.parse("loss=0.1")), Frames.MAC_A, loop,
                pool, new PacketTypes(), 16);
        dev.open();
        given[0].linkFailed("TAP tap0: read failed: EBADFD");
        assertThat(dev.failure()).isEqualTo("TAP tap0: read failed: EBADFD");
        assertThat(dev.isUp()).isFalse();
    }

    /** A wire whose end {@code a} has faults: {@code atA} hears what {@code b} sends, {@code atB} what {@code a} sends. */
    final class Rig {
        final InMemoryLink[] wire = InMemoryLink.pair("a", "b", 1500);
        final FaultInjectingLink a;
        final Host atA = new Host();
        final Host atB = new Host();

        Rig(String spec) {
            a = new FaultInjectingLink(wire[0], FaultSpec.parse(spec));
            a.start(atA);
            wire[1].start(atB);
        }

        /** Sends frames {@code from..to-1} from the faulty end, then lets held and delayed frames out. */
        Rig sendFromA(int from, int to) {
            for (int seq = from; seq < to; seq++) a.transmit(frame(seq));
            loop.runFor(100 * MS);
            return this;
        }

        FaultInjectingLink.Counters counters() { return a.counters(); }
    }

    /** Expected bytes of frame {@code seq}: the sequence number, then a pattern. */
    private static byte[] expected(int seq) {
        byte[] b = new byte[PAYLOAD];
        b[0] = (byte) (seq >>> 24);
        b[1] = (byte) (seq >>> 16);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        for (int i = 4; i < PAYLOAD; i++) b[i] = (byte) (seq * 7 + i);
        return b;
    }

    private PacketBuffer frame(int seq) {
        PacketBuffer f = pool.allocate(PAYLOAD);
        f.write(f.put(PAYLOAD), expected(seq), 0, PAYLOAD);
        return f;
    }

    @Test
    void lossDropsAboutItsShareAndTheCounterMatches() {
        Rig r = new Rig("loss=0.1,seed=11").sendFromA(0, N);
        long lost = r.counters().lost();
        assertThat((double) lost / N).isCloseTo(0.1, within(0.015));
        assertThat(r.atB.arrivals).hasSize(N - (int) lost);
        assertThat(r.atB.seqs()).isSorted().doesNotHaveDuplicates();
        assertThat(r.counters().duplicated() + r.counters().reordered() + r.counters().corrupted()).isZero();
    }

    @Test
    void duplicationSendsAboutItsShareTwiceBackToBack() {
        Rig r = new Rig("dup=0.1,seed=12").sendFromA(0, N);
        long dups = r.counters().duplicated();
        assertThat((double) dups / N).isCloseTo(0.1, within(0.015));
        int[] seqs = r.atB.seqs();
        assertThat(seqs).hasSize(N + (int) dups).isSorted();
        long twice = 0;
        for (int i = 1; i < seqs.length; i++) if (seqs[i] == seqs[i - 1]) twice++;
        assertThat(twice).isEqualTo(dups);
        r.atB.arrivals.forEach(a -> assertThat(a.bytes()).isEqualTo(expected(a.seq())));
    }

    @Test
    void reorderingSwapsAboutItsShareWithTheNextFrame() {
        Rig r = new Rig("reorder=0.1,seed=13");
        for (int seq = 0; seq < N; seq++) r.a.transmit(frame(seq));
        int heldAtEnd = N - r.atB.arrivals.size();
        loop.runFor(100 * MS);
        long reordered = r.counters().reordered();
        // A frame is only drawn for holding while none is held, so the rate applies to N - reordered draws.
        assertThat((double) reordered / (N - reordered)).isCloseTo(0.1, within(0.015));
        int[] seqs = r.atB.seqs();
        assertThat(seqs).hasSize(N);
        assertThat(Arrays.stream(seqs).sorted().toArray()).isEqualTo(IntStream.range(0, N).toArray());
        int inversions = 0;
        for (int i = 1; i < N; i++) {
            if (seqs[i] < seqs[i - 1]) {
                inversions++;
                assertThat(seqs[i - 1]).as("a held frame goes out right after the next one").isEqualTo(seqs[i] + 1);
            }
        }
        assertThat(inversions).isEqualTo(reordered - heldAtEnd);
    }

    @Test
    void corruptionFlipsOneBitOfACopyAndLeavesTheSendersBufferAlone() {
        Rig r = new Rig("corrupt=0.1,seed=14");
        List<PacketBuffer> retransmitQueue = new ArrayList<>();
        for (int seq = 0; seq < N; seq++) {
            PacketBuffer f = frame(seq);
            retransmitQueue.add(f.retain());
            r.a.transmit(f);
        }
        loop.runFor(100 * MS);
        long corrupted = r.counters().corrupted();
        assertThat((double) corrupted / N).isCloseTo(0.1, within(0.015));
        assertThat(r.atB.arrivals).hasSize(N);
        int damaged = 0;
        for (int seq = 0; seq < N; seq++) {
            int bits = bitsDiffering(r.atB.arrivals.get(seq).bytes(), expected(seq));
            assertThat(bits).as("frame %d", seq).isLessThanOrEqualTo(1);
            damaged += bits;
        }
        assertThat(damaged).isEqualTo(corrupted);
        for (int seq = 0; seq < N; seq++) {
            PacketBuffer kept = retransmitQueue.get(seq);
            byte[] b = new byte[kept.length()];
            kept.read(kept.data(), b, 0, b.length);
            assertThat(b).as("sender's copy of frame %d", seq).isEqualTo(expected(seq));
            kept.release();
        }
    }

    private static int bitsDiffering(byte[] x, byte[] y) {
        assertThat(x).hasSameSizeAs(y);
        int n = 0;
        for (int i = 0; i < x.length; i++) n += Integer.bitCount((x[i] ^ y[i]) & 0xff);
        return n;
    }

    @Test
    void theSameSeedGivesTheSameDeliveredSequence() {
        String all = "loss=0.05,dup=0.05,reorder=0.05,corrupt=0.05,delay=1500us";
        List<String> first = delivered(all + ",seed=42");
        assertThat(first.size()).isGreaterThan(N * 9 / 10);
        assertThat(delivered(all + ",seed=42")).isEqualTo(first);
        assertThat(delivered(all + ",seed=43")).isNotEqualTo(first);
    }

    /** Sends frames 0..N-1 through a fresh rig; what arrived, as hex and time since the first send. */
    private List<String> delivered(String spec) {
        long start = loop.clock().nanoTime();
        Rig r = new Rig(spec).sendFromA(0, N);
        return r.atB.arrivals.stream().map(a -> HexFormat.of().formatHex(a.bytes()) + "@" + (a.at() - start)).toList();
    }

    @Test
    void eachDirectionDrawsFromItsOwnStream() {
        String spec = "loss=0.2,dup=0.1,reorder=0.1,seed=5";
        Rig alone = new Rig(spec).sendFromA(0, 2_000);
        Rig busy = new Rig(spec);
        for (int seq = 0; seq < 2_000; seq++) {
            busy.a.transmit(frame(seq));
            busy.wire[1].transmit(frame(100_000 + seq)); // the other direction, interleaved
        }
        loop.runFor(100 * MS);
        assertThat(busy.atB.seqs()).isEqualTo(alone.atB.seqs());
        assertThat(busy.atA.arrivals.size()).as("faults apply on receive too").isBetween(1_400, 2_000);
        long lostOnReceive = 2_000 - Arrays.stream(busy.atA.seqs()).distinct().count();
        assertThat(busy.counters().lost()).as("counters cover both directions").isEqualTo(alone.counters().lost() + lostOnReceive);
    }

    @Test
    void delayHoldsFramesForTheConfiguredVirtualTime() {
        Rig r = new Rig("delay=5ms");
        r.a.transmit(frame(0));
        loop.runFor(2_300_000L);
        r.a.transmit(frame(1));
        loop.runFor(5 * MS - 2_300_000L - 1);
        assertThat(r.atB.arrivals).as("nothing before 5 ms").isEmpty();
        loop.runFor(1);
        assertThat(r.atB.seqs()).containsExactly(0);
        loop.runFor(10 * MS);
        assertThat(r.atB.seqs()).containsExactly(0, 1);
        assertThat(r.atB.arrivals.get(0).at()).isEqualTo(5 * MS);
        assertThat(r.atB.arrivals.get(1).at()).as("7.3 ms rounded up to the 1 ms tick").isEqualTo(8 * MS);
    }

    @Test
    void delayAppliesToBothDirections() {
        Rig r = new Rig("delay=3ms");
        r.wire[1].transmit(frame(9));
        loop.runFor(3 * MS - 1);
        assertThat(r.atA.arrivals).isEmpty();
        loop.runFor(1);
        assertThat(r.atA.seqs()).containsExactly(9);
    }

    @Test
    void certainReorderingSwapsPairsAndALoneHeldFrameLeavesAfterAMillisecond() {
        Rig r = new Rig("reorder=1");
        for (int seq = 0; seq < 5; seq++) r.a.transmit(frame(seq));
        assertThat(r.atB.seqs()).containsExactly(1, 0, 3, 2);
        loop.runFor(MS - 1);
        assertThat(r.atB.seqs()).hasSize(4);
        loop.runFor(1);
        assertThat(r.atB.seqs()).containsExactly(1, 0, 3, 2, 4);
        assertThat(r.counters().reordered()).isEqualTo(3);
    }

    @Test
    void noFaultsConfiguredPassesEverythingThroughAtOnce() {
        Rig r = new Rig("");
        for (int seq = 0; seq < 100; seq++) r.a.transmit(frame(seq));
        assertThat(r.atB.seqs()).isEqualTo(IntStream.range(0, 100).toArray());
        assertThat(r.a.name()).isEqualTo("a");
        assertThat(r.a.mtu()).isEqualTo(1500);
    }

    @Test
    void closeReleasesFramesStillHeldOrDelayed() {
        Rig r = new Rig("reorder=0.5,delay=10ms,seed=3");
        for (int seq = 0; seq < 50; seq++) r.a.transmit(frame(seq));
        assertThat(pool.outstanding()).isPositive();
        r.a.close();
        assertThat(pool.outstanding()).as("nothing left inside the closed link").isZero();
        r.a.transmit(frame(50));
        r.a.close();
        assertThat(pool.outstanding()).isZero();
        loop.runFor(100 * MS);
        assertThat(r.atB.arrivals).isEmpty();
    }
}
