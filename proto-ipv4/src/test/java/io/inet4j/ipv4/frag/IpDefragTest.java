package io.inet4j.ipv4.frag;

import static io.inet4j.ipv4.frag.Datagrams.bytes;
import static io.inet4j.ipv4.frag.Datagrams.checksumOk;
import static io.inet4j.ipv4.frag.Datagrams.datagram;
import static io.inet4j.ipv4.frag.Datagrams.fragment;
import static io.inet4j.ipv4.frag.Datagrams.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.mib.IpMib;
import io.inet4j.mib.MibCounters;
import io.inet4j.net.Net;
import io.inet4j.net.NetConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IpDefragTest {
    private static final long SECOND = 1_000_000_000L;

    private final PacketBufferPool pool = PacketBufferPool.standard();
    private final SimulatedEventLoop loop = new SimulatedEventLoop();
    private final Net net = new Net(NetConfig.named("t").withSeed(1), loop, pool);
    private final MibCounters<IpMib> mib = net.mibs().ip;
    private final FragSysctls sysctls = new FragSysctls(net.sysctls());
    private final List<String> timeouts = new ArrayList<>();
    private final IpDefrag defrag = new IpDefrag(net, sysctls, first -> timeouts.add(
            "id " + Ipv4Header.id(first, first.data()) + " offset " + Ipv4Header.fragOffsetBytes(first, first.data())));
    private final IpFragmenter fragmenter = new IpFragmenter(net);
    private final Random rnd = new Random(11);
    private final long outstandingAtStart = pool.outstanding();

    @AfterEach
    void noLeaks() {
        assertThat(defrag.queues()).as("queues left behind").isZero();
        assertThat(defrag.memory()).isZero();
        assertThat(pool.outstanding()).isEqualTo(outstandingAtStart);
    }

    /** Fragments of a fresh datagram; {@code original} receives a copy of it for comparison. */
    private List<PacketBuffer> fragments(int id, byte[] options, int payloadLen, int mtu, List<byte[]> original) {
        PacketBuffer skb = datagram(pool, id, options, payload(rnd, payloadLen), 0);
        original.add(bytes(skb));
        List<PacketBuffer> frags = new ArrayList<>();
        fragmenter.ipFragment(skb, mtu, frags::add);
        return frags;
    }

    /** Feeds {@code frags} in order; returns the reassembled datagrams' bytes, releasing their buffers. */
    private List<byte[]> feed(List<PacketBuffer> frags) {
        List<byte[]> done = new ArrayList<>();
        for (PacketBuffer f : frags) {
            PacketBuffer whole = defrag.ipDefrag(f);
            if (whole == null) continue;
            assertThat(whole.networkHeader()).isEqualTo(whole.data());
            assertThat(checksumOk(whole)).isTrue();
            done.add(bytes(whole));
            whole.release();
        }
        return done;
    }

    @Nested
    class RoundTrip {
        private final List<byte[]> original = new ArrayList<>();

        @Test
        void inOrder() {
            List<PacketBuffer> frags = fragments(1, new byte[0], 60_000, 576, original);
            assertThat(frags).hasSize(109);

            assertThat(feed(frags)).containsExactlyElementsOf(original);
            assertThat(mib.get(IpMib.ReasmReqds)).isEqualTo(109);
            assertThat(mib.get(IpMib.ReasmOKs)).isEqualTo(1);
            assertThat(mib.get(IpMib.ReasmFails)).isZero();
        }

        @Test
        void reverseOrder() {
            List<PacketBuffer> frags = fragments(2, new byte[0], 20_000, 1500, original);
            Collections.reverse(frags);
            assertThat(feed(frags)).containsExactlyElementsOf(original);
        }

        @Test
        void randomOrderOfInterleavedDatagrams() {
            List<PacketBuffer> frags = new ArrayList<>();
            for (int id = 100; id < 110; id++) frags.addAll(fragments(id, new byte[0], 1000 + rnd.nextInt(30_000), 576, original));
            Collections.shuffle(frags, new Random(3));

            assertThat(feed(frags)).containsExactlyInAnyOrderElementsOf(original);
            assertThat(mib.get(IpMib.ReasmOKs)).isEqualTo(10);
        }

        @Test
        void optionsOfTheFirstFragmentComeBack() {
            byte[] options = {7, 7, 4, 0, 0, 0, 0, (byte) 0x83, 7, 4, 10, 9, 8, 7, 1, 0};
            List<PacketBuffer> frags = fragments(3, options, 5000, 600, original);
            Collections.reverse(frags);
            assertThat(feed(frags)).containsExactlyElementsOf(original);
        }

        @Test
        void aDatagramThatIsNoFragmentComesStraightBack() {
            PacketBuffer skb = datagram(pool, 4, new byte[0], payload(rnd, 100), Ipv4Header.FLAG_DF);
            assertThat(defrag.ipDefrag(skb)).isSameAs(skb);
            assertThat(mib.get(IpMib.ReasmReqds)).isZero();
            skb.release();
        }
    }

    @Nested
    class Duplicates {
        private final byte[] data = payload(rnd, 48);

        @Test
        void exactDuplicatesAreDroppedQuietly() {
            List<byte[]> original = new ArrayList<>();
            List<PacketBuffer> frags = fragments(7, new byte[0], 3000, 576, original);
            List<PacketBuffer> twice = new ArrayList<>();
            for (PacketBuffer f : frags.subList(0, frags.size() - 1)) {
                twice.add(f);
                twice.add(f.copy());
            }
            twice.add(frags.get(frags.size() - 1));

            assertThat(feed(twice)).containsExactlyElementsOf(original);
            assertThat(mib.get(IpMib.ReasmFails)).isZero();
            assertThat(mib.get(IpMib.ReasmReqds)).isEqualTo(twice.size());
        }

        @Test
        void aFragmentInsideDataAlreadyReceivedIsADuplicate() {
            assertThat(defrag.ipDefrag(fragment(pool, 8, data, 0, 16, true))).isNull();
            assertThat(defrag.ipDefrag(fragment(pool, 8, data, 16, 16, true))).isNull();
            assertThat(defrag.ipDefrag(fragment(pool, 8, data, 8, 16, true))).as("spans both").isNull();
            assertThat(defrag.queues()).isEqualTo(1);

            List<byte[]> done = feed(List.of(fragment(pool, 8, data, 32, 16, false)));
            assertThat(done).hasSize(1);
            assertThat(mib.get(IpMib.ReasmFails)).isZero();
        }
    }

    @Nested
    class Discards {
        private final byte[] data = payload(rnd, 64);

        @Test
        void partialOverlapDiscardsTheQueue() {
            defrag.ipDefrag(fragment(pool, 9, data, 0, 16, true));
            defrag.ipDefrag(fragment(pool, 9, data, 32, 16, true));
            assertThat(defrag.ipDefrag(fragment(pool, 9, data, 8, 16, true))).as("8..24 overlaps 0..16 and a hole").isNull();

            assertThat(defrag.queues()).isZero();
            assertThat(mib.get(IpMib.ReasmFails)).isEqualTo(1);
        }

        @Test
        void overlapIntoTheNextFragmentDiscardsTheQueue() {
            defrag.ipDefrag(fragment(pool, 9, data, 16, 16, true));
            defrag.ipDefrag(fragment(pool, 9, data, 8, 16, true));
            assertThat(defrag.queues()).isZero();
            assertThat(mib.get(IpMib.ReasmFails)).isEqualTo(1);
        }

        @Test
        void conflictingLastFragmentsDiscardTheQueue() {
            defrag.ipDefrag(fragment(pool, 10, data, 32, 32, false));
            defrag.ipDefrag(fragment(pool, 10, data, 32, 24, false));
            assertThat(defrag.queues()).isZero();
            assertThat(mib.get(IpMib.ReasmFails)).isEqualTo(1);
        }

        @Test
        void dataBeyondTheLastFragmentDiscardsTheQueue() {
            defrag.ipDefrag(fragment(pool, 10, data, 16, 16, false));
            defrag.ipDefrag(fragment(pool, 10, data, 32, 16, true));
            assertThat(defrag.queues()).isZero();
            assertThat(mib.get(IpMib.ReasmFails)).isEqualTo(1);
        }

        @Test
        void moreFragmentsWithAnUnalignedTailIsTrimmedLikeLinux() {
            assertThat(defrag.ipDefrag(fragment(pool, 11, data, 0, 21, true))).isNull();
            List<byte[]> done = feed(List.of(fragment(pool, 11, data, 16, 48, false)));

            assertThat(done).hasSize(1);
            byte[] whole = done.get(0);
            assertThat(whole).hasSize(20 + 64);
            assertThat(java.util.Arrays.copyOfRange(whole, 20, 84)).isEqualTo(data);
        }

        @Test
        void moreFragmentsWithLessThan8BytesDiscardsTheQueue() {
            defrag.ipDefrag(fragment(pool, 12, data, 8, 8, true));
            defrag.ipDefrag(fragment(pool, 12, data, 0, 5, true));
            assertThat(defrag.queues()).isZero();
            assertThat(mib.get(IpMib.ReasmFails)).isEqualTo(1);
        }

        @Test
        void reassemblyBeyond65535BytesIsDropped() {
            byte[] big = payload(rnd, 65_600);
            defrag.ipDefrag(fragment(pool, 13, big, 0, 32_000, true));
            defrag.ipDefrag(fragment(pool, 13, big, 32_000, 32_000, true));
            assertThat(defrag.ipDefrag(fragment(pool, 13, big, 64_000, 1600, false))).isNull();

            assertThat(defrag.queues()).isZero();
            assertThat(mib.get(IpMib.ReasmFails)).isEqualTo(1);
            assertThat(mib.get(IpMib.ReasmOKs)).isZero();
        }
    }

    @Nested
    class Timeout {
        private final byte[] data = payload(rnd, 64);

        @Test
        void firesAfterIpfragTimeAndReportsTheFirstFragment() {
            defrag.ipDefrag(fragment(pool, 20, data, 0, 16, true));
            defrag.ipDefrag(fragment(pool, 20, data, 32, 32, false));

            loop.runFor(30 * SECOND - 1_000_000);
            assertThat(defrag.queues()).isEqualTo(1);
            assertThat(timeouts).isEmpty();

            loop.runFor(1_000_000);
            assertThat(defrag.queues()).isZero();
            assertThat(timeouts).containsExactly("id 20 offset 0");
            assertThat(mib.get(IpMib.ReasmTimeout)).isEqualTo(1);
            assertThat(mib.get(IpMib.ReasmFails)).isEqualTo(1);
        }

        @Test
        void withoutTheFirstFragmentNothingIsReported() {
            defrag.ipDefrag(fragment(pool, 21, data, 16, 16, true));

            loop.runFor(30 * SECOND);
            assertThat(defrag.queues()).isZero();
            assertThat(timeouts).isEmpty();
            assertThat(mib.get(IpMib.ReasmTimeout)).isEqualTo(1);
            assertThat(mib.get(IpMib.ReasmFails)).isEqualTo(1);
        }

        @Test
        void followsTheSysctlAndACompletedDatagramNeverTimesOut() {
            net.sysctls().set("net.ipv4.ipfrag_time", "5");
            defrag.ipDefrag(fragment(pool, 22, data, 0, 16, true));
            assertThat(feed(List.of(fragment(pool, 22, data, 16, 48, false)))).hasSize(1);
            defrag.ipDefrag(fragment(pool, 23, data, 0, 16, true));

            loop.runFor(5 * SECOND);
            assertThat(timeouts).containsExactly("id 23 offset 0");
            assertThat(mib.get(IpMib.ReasmTimeout)).isEqualTo(1);
        }
    }

    @Nested
    class Memory {
        private final byte[] data = payload(rnd, 64);
        private final int size = pool.bufferSize();

        private PacketBuffer send(int id, int from, int len, boolean mf) {
            return defrag.ipDefrag(fragment(pool, id, data, from, len, mf));
        }

        /** Sends the rest of datagram {@code id} from {@code from}; true when that completed it. */
        private boolean complete(int id, int from) {
            List<byte[]> done = feed(List.of(fragment(pool, id, data, from, 64 - from, false)));
            return !done.isEmpty();
        }

        @Test
        void crossingTheHighThresholdEvictsTheLeastRecentlyActiveQueuesDownToLow() {
            sysctls.ipfragHighThresh.set(5 * size);
            sysctls.ipfragLowThresh.set(3 * size);
            for (int id = 1; id <= 4; id++) send(id, 0, 16, true);
            send(1, 16, 16, true); // queue 1 is the most recently active now
            assertThat(defrag.memory()).isEqualTo(5L * size);
            assertThat(mib.get(IpMib.ReasmFails)).isZero();

            send(5, 0, 16, true);

            assertThat(mib.get(IpMib.ReasmFails)).as("queues 2, 3, 4 evicted").isEqualTo(3);
            assertThat(defrag.queues()).isEqualTo(2);
            assertThat(defrag.memory()).isEqualTo(3L * size);
            assertThat(complete(1, 32)).isTrue();
            assertThat(complete(5, 16)).isTrue();
            assertThat(complete(2, 16)).as("queue 2 starts over").isFalse();
            defrag.flush();
        }

        @Test
        void aFragmentThatCannotFitIsDropped() {
            sysctls.ipfragHighThresh.set(size - 1);
            sysctls.ipfragLowThresh.set(0);
            assertThat(send(1, 0, 16, true)).isNull();
            assertThat(defrag.queues()).isZero();
            assertThat(mib.get(IpMib.ReasmFails)).isEqualTo(1);
            assertThat(mib.get(IpMib.ReasmReqds)).isEqualTo(1);
        }
    }
}
