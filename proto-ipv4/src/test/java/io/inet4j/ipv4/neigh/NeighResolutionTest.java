package io.inet4j.ipv4.neigh;

import static io.inet4j.ipv4.neigh.ArpLab.A_IP;
import static io.inet4j.ipv4.neigh.ArpLab.BROADCAST;
import static io.inet4j.ipv4.neigh.ArpLab.B_IP;
import static io.inet4j.ipv4.neigh.ArpLab.NOBODY;
import static io.inet4j.ipv4.neigh.ArpLab.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.ip.IfAddr;
import io.inet4j.ipv4.neigh.ArpLab.Frame;
import io.inet4j.ipv4.neigh.ArpLab.Host;
import io.inet4j.ipv4.wire.ArpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.netdev.MacAddress;
import io.inet4j.socket.Errno;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** neigh_resolve_output and arp_solicit: queueing, requests, retransmission, failure, the fast path. */
class NeighResolutionTest {
    private final ArpLab lab = new ArpLab();
    private final Host a = lab.a;
    private final Host b = lab.b;

    @AfterEach
    void everyBufferComesBack() {
        lab.runForMs(10 * 60_000);
        lab.assertNoLeaks();
    }

    @Test
    void queuesWhileResolvingAndFlushesInOrder() {
        for (int id = 1; id <= 3; id++) assertThat(a.send(B_IP, id)).isZero();

        assertThat(a.state(B_IP)).isEqualTo(NudState.INCOMPLETE);
        assertThat(a.table().lookup(1, B_IP).queuedPackets()).isEqualTo(3);
        assertThat(a.arpOut()).singleElement().satisfies(f -> {
            assertThat(f.ethDst()).isEqualTo(BROADCAST);
            assertThat(f.op()).isEqualTo(ArpHeader.OP_REQUEST);
            assertThat(f.sha()).isEqualTo(a.mac());
            assertThat(f.spa()).isEqualTo(A_IP);
            assertThat(f.tha()).isZero();
            assertThat(f.tpa()).isEqualTo(B_IP);
        });

        lab.settle();

        assertThat(b.deliveredIds()).containsExactly(1, 2, 3);
        assertThat(b.delivered).allSatisfy(d -> assertThat(d.ethDst()).isEqualTo(b.mac()));
        assertThat(a.entry(B_IP).toString()).isEqualTo("10.0.0.2 dev a0 lladdr " + b.dev.mac() + " REACHABLE");
        assertThat(b.entry(A_IP).lladdr()).isEqualTo(a.dev.mac());
        assertThat(b.state(A_IP)).isEqualTo(NudState.STALE);

        a.send(B_IP, 4);
        lab.settle();
        assertThat(b.deliveredIds()).containsExactly(1, 2, 3, 4);
        assertThat(a.arpOut()).hasSize(1);
        assertThat(a.stat(NeighStat.res_failed)).isZero();
        assertThat(a.stat(NeighStat.unresolved_discards)).isZero();
    }

    @Test
    void retransmitsEverySecondThenFailsReportingEachPacket() {
        List<String> reported = new ArrayList<>();
        a.table().setErrorReport(p -> {
            assertThat(p.refCnt()).isPositive();
            reported.add(Ipv4Header.id(p, p.data()) + "@" + lab.nowMs());
        });
        a.send(NOBODY, 1);
        a.send(NOBODY, 2);

        lab.runForMs(2999);
        assertThat(a.state(NOBODY)).isEqualTo(NudState.INCOMPLETE);
        assertThat(reported).isEmpty();
        lab.runForMs(1);
        assertThat(a.state(NOBODY)).isEqualTo(NudState.FAILED);

        assertThat(a.arpOut()).extracting(Frame::timeMs).containsExactly(0L, 1000L, 2000L);
        assertThat(a.arpOut()).allSatisfy(f -> {
            assertThat(f.ethDst()).isEqualTo(BROADCAST);
            assertThat(f.tpa()).isEqualTo(NOBODY);
        });
        assertThat(reported).containsExactly("1@3000", "2@3000");
        assertThat(a.stat(NeighStat.res_failed)).isEqualTo(1);
        assertThat(a.stat(NeighStat.unresolved_discards)).isEqualTo(2);
        assertThat(a.net.pool().outstanding()).isZero();

        // A FAILED entry starts a new round with the next packet.
        a.send(NOBODY, 3);
        assertThat(a.state(NOBODY)).isEqualTo(NudState.INCOMPLETE);
        assertThat(a.arpOut()).hasSize(4);
    }

    @Test
    void retransmissionFollowsTheSysctls() {
        a.net.sysctls().set(NeighParms.PREFIX + "retrans_time_ms", "250");
        a.net.sysctls().set(NeighParms.PREFIX + "mcast_solicit", "5");
        a.send(NOBODY, 1);
        lab.runForMs(10_000);
        assertThat(a.arpOut()).extracting(Frame::timeMs).containsExactly(0L, 250L, 500L, 750L, 1000L);
        assertThat(a.stat(NeighStat.res_failed)).isEqualTo(1);
    }

    @Test
    void noSolicitationAllowedFailsAtOnce() {
        a.net.sysctls().set(NeighParms.PREFIX + "mcast_solicit", "0");
        a.send(NOBODY, 1);
        assertThat(a.state(NOBODY)).isEqualTo(NudState.FAILED);
        assertThat(a.arpOut()).isEmpty();
        assertThat(a.stat(NeighStat.unresolved_discards)).isEqualTo(1);
    }

    @Test
    void queueOverTheByteLimitDropsTheOldest() {
        PacketBuffer sample = a.packet(A_IP, B_IP, 0);
        int truesize = sample.capacity();
        sample.release();
        a.net.sysctls().set(NeighParms.PREFIX + "unres_qlen_bytes", Integer.toString(3 * truesize));
        for (int id = 1; id <= 5; id++) a.send(B_IP, id);

        assertThat(a.table().lookup(1, B_IP).queuedBytes()).isEqualTo(3 * truesize);
        assertThat(a.stat(NeighStat.unresolved_discards)).isEqualTo(2);
        lab.settle();
        assertThat(b.deliveredIds()).containsExactly(3, 4, 5);
    }

    @Test
    void requestSenderIsTheWaitingPacketsSourceWhenLocal() {
        int second = ip("10.0.0.5");
        a.devinet.add(new IfAddr(1, second, 24));
        lab.settle();
        a.frames.clear();

        a.arp.output(a.dev, NOBODY, a.packet(second, NOBODY, 1));
        a.arp.output(a.dev, ip("10.0.0.98"), a.packet(ip("192.168.7.7"), ip("10.0.0.98"), 2));

        assertThat(a.arpOut()).extracting(Frame::tpa, Frame::spa)
                .containsExactly(tuple(NOBODY, second), tuple(ip("10.0.0.98"), A_IP));
    }

    @Test
    void broadcastAndMulticastNeedNoResolution() {
        a.send(-1, 1);
        a.send(ip("10.0.0.255"), 2);
        a.send(ip("224.0.0.251"), 3);
        a.send(ip("239.129.2.3"), 4);
        lab.settle();

        assertThat(a.arpOut()).isEmpty();
        assertThat(a.table().size()).isZero();
        assertThat(b.delivered).extracting(ArpLab.Delivered::ethDst).containsExactly(BROADCAST, BROADCAST,
                MacAddress.parse("01:00:5e:00:00:fb").bits(), MacAddress.parse("01:00:5e:01:02:03").bits());
    }

    @Test
    void permanentEntrySendsAtOnceAndNeverExpires() {
        a.table().addPermanent(1, B_IP, b.dev.mac());
        a.send(B_IP, 1);
        lab.settle();
        assertThat(b.deliveredIds()).containsExactly(1);

        lab.runForMs(30 * 60_000);
        a.send(B_IP, 2);
        lab.settle();
        assertThat(b.deliveredIds()).containsExactly(1, 2);
        assertThat(a.arpOut()).isEmpty();
        assertThat(a.table().entries()).extracting(Object::toString)
                .containsExactly("10.0.0.2 dev a0 lladdr " + b.dev.mac() + " PERMANENT");

        // An ARP reply from someone else does not touch it.
        a.inject(a.arpFrame(a.mac(), 0x02_0000_0000_77L, ArpHeader.OP_REPLY, 0x02_0000_0000_77L, B_IP, a.mac(), A_IP));
        lab.settle();
        assertThat(a.entry(B_IP).lladdr()).isEqualTo(b.dev.mac());

        assertThat(a.table().delete(1, B_IP)).isTrue();
        assertThat(a.table().delete(1, B_IP)).isFalse();
        assertThat(a.table().size()).isZero();
        a.send(B_IP, 3);
        assertThat(a.arpOut()).hasSize(1);
    }

    @Test
    void permanentEntryReleasesWhatWasWaiting() {
        a.send(NOBODY, 1);
        a.send(NOBODY, 2);
        a.table().addPermanent(1, NOBODY, MacAddress.parse("02:00:00:00:00:99"));
        assertThat(a.ipOut()).extracting(Frame::ipId).containsExactly(1, 2);
        assertThat(a.ipOut()).allSatisfy(f -> assertThat(f.ethDst()).isEqualTo(0x02_0000_0000_99L));
        lab.runForMs(10_000);
        assertThat(a.state(NOBODY)).isEqualTo(NudState.PERMANENT);
        assertThat(a.stat(NeighStat.res_failed)).isZero();
    }

    @Test
    void deletingAnIncompleteEntryReportsItsPackets() {
        List<Integer> reported = new ArrayList<>();
        a.table().setErrorReport(p -> reported.add(Ipv4Header.id(p, p.data())));
        a.send(NOBODY, 7);
        assertThat(a.table().delete(1, NOBODY)).isTrue();
        assertThat(reported).containsExactly(7);
        assertThat(a.stat(NeighStat.destroys)).isEqualTo(1);
        lab.runForMs(5000);
        assertThat(a.arpOut()).hasSize(1);
    }

    @Test
    void fullTableRefusesNewEntriesUntilGcCanFreeOne() {
        a.net.sysctls().set(NeighParms.PREFIX + "gc_thresh3", "2");
        assertThat(a.send(ip("10.0.0.50"), 1)).isZero();
        assertThat(a.send(ip("10.0.0.51"), 2)).isZero();

        // Both entries are resolving (their timers hold them), so forced gc finds nothing.
        assertThat(a.send(ip("10.0.0.52"), 3)).isEqualTo(Errno.EINVAL.neg());
        assertThat(a.stat(NeighStat.table_fulls)).isEqualTo(1);
        assertThat(a.stat(NeighStat.forced_gc_runs)).isEqualTo(1);
        assertThat(a.table().size()).isEqualTo(2);
        lab.settle();
        assertThat(a.net.pool().outstanding()).as("the two queued packets").isEqualTo(2);

        lab.runForMs(3000);
        assertThat(a.send(ip("10.0.0.52"), 4)).isZero();
        assertThat(a.stat(NeighStat.forced_gc_runs)).isEqualTo(2);
        assertThat(a.stat(NeighStat.table_fulls)).isEqualTo(1);
        assertThat(a.table().size()).isEqualTo(2);
        assertThat(a.state(ip("10.0.0.52"))).isEqualTo(NudState.INCOMPLETE);
    }

    @Test
    void permanentEntriesDoNotCountAgainstTheCap() {
        a.net.sysctls().set(NeighParms.PREFIX + "gc_thresh3", "1");
        for (int i = 0; i < 100; i++) a.table().addPermanent(1, ip("10.0.1.0") + i, MacAddress.parse("02:00:00:00:01:00"));
        assertThat(a.send(NOBODY, 1)).isZero();
        assertThat(a.table().size()).isEqualTo(101);
        assertThat(a.stat(NeighStat.hash_grows)).isPositive();
        for (int i = 0; i < 100; i++) assertThat(a.table().lookup(1, ip("10.0.1.0") + i)).isNotNull();
        assertThat(a.stat(NeighStat.table_fulls)).isZero();
    }

    @Test
    void lookupsAndHitsAreCounted() {
        a.send(B_IP, 1);
        lab.settle();
        long lookups = a.stat(NeighStat.lookups);
        long hits = a.stat(NeighStat.hits);
        a.send(B_IP, 2);
        a.send(B_IP, 3);
        assertThat(a.stat(NeighStat.lookups) - lookups).isEqualTo(2);
        assertThat(a.stat(NeighStat.hits) - hits).isEqualTo(2);
    }

    @Test
    void sendingToAResolvedNeighbourAllocatesNothing() {
        a.send(B_IP, 0);
        lab.settle();
        a.dev.setTap(null);
        b.dev.setTap(null);
        b.record = false;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled()).isTrue();
        for (int i = 0; i < 50_000; i++) sendOne(i);

        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 50_000; i++) sendOne(i);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;

        assertThat(b.deliveredCount).isEqualTo(100_001);
        assertThat(a.state(B_IP)).isEqualTo(NudState.REACHABLE);
        assertThat(allocated).as("bytes allocated by 50,000 sends").isLessThan(4096);
    }

    private void sendOne(int id) {
        PacketBuffer p = a.packet(A_IP, B_IP, id);
        a.arp.output(a.dev, B_IP, p);
        lab.settle();
    }
}
