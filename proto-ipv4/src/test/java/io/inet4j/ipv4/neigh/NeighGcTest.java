package io.inet4j.ipv4.neigh;

import static io.inet4j.ipv4.neigh.ArpLab.A_IP;
import static io.inet4j.ipv4.neigh.ArpLab.BROADCAST;
import static io.inet4j.ipv4.neigh.ArpLab.NOBODY;
import static io.inet4j.ipv4.neigh.ArpLab.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.neigh.ArpLab.Host;
import io.inet4j.ipv4.wire.ArpHeader;
import io.inet4j.netdev.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** neigh_periodic_work: what the collector takes, when, and what it leaves. */
class NeighGcTest {
    private static final int X_IP = ip("10.0.0.9");
    private static final long X1 = MacAddress.parse("02:00:00:00:00:91").bits();
    private static final int STATIC_IP = ip("10.0.0.50");

    private final ArpLab lab = new ArpLab();
    private final Host a = lab.a;

    @AfterEach
    void everyBufferComesBack() {
        lab.runForMs(10 * 60_000);
        lab.assertNoLeaks();
    }

    /** At time 0: X learned (STALE), NOBODY resolving (FAILED at 3 s), and a permanent entry. */
    private void populate() {
        a.inject(a.arpFrame(BROADCAST, X1, ArpHeader.OP_REQUEST, X1, X_IP, 0, A_IP));
        lab.settle();
        a.send(NOBODY, 1);
        a.table().addPermanent(1, STATIC_IP, MacAddress.parse("02:00:00:00:00:50"));
    }

    @Test
    void collectsFailedEntriesAndEntriesUnusedForGcStaleTime() {
        a.net.sysctls().set(NeighParms.PREFIX + "gc_thresh1", "0");
        populate();

        lab.runForMs(30_000);
        assertThat(a.table().entries()).extracting(NeighEntry::address).containsExactly(X_IP, STATIC_IP);
        lab.runForMs(29_999);
        assertThat(a.table().entries()).extracting(NeighEntry::address).containsExactly(X_IP, STATIC_IP);
        lab.runForMs(1);
        assertThat(a.table().entries()).extracting(NeighEntry::address).containsExactly(STATIC_IP);
        assertThat(a.stat(NeighStat.destroys)).isEqualTo(2);
        assertThat(a.stat(NeighStat.periodic_gc_runs)).isEqualTo(2);

        lab.runForMs(60 * 60_000);
        assertThat(a.table().entries()).extracting(NeighEntry::address).containsExactly(STATIC_IP);
    }

    @Test
    void anEntryInUseIsKept() {
        a.net.sysctls().set(NeighParms.PREFIX + "gc_thresh1", "0");
        a.send(ArpLab.B_IP, 1);
        lab.settle();
        for (int i = 0; i < 10; i++) {
            lab.runForMs(50_000);
            a.send(ArpLab.B_IP, 2 + i);
        }
        assertThat(a.table().size()).isEqualTo(1);
        assertThat(a.stat(NeighStat.periodic_gc_runs)).isGreaterThanOrEqualTo(16);
    }

    @Test
    void belowGcThresh1NothingIsCollected() {
        populate();
        lab.runForMs(10 * 60_000);
        assertThat(a.table().size()).isEqualTo(3);
        assertThat(a.state(NOBODY)).isEqualTo(NudState.FAILED);
        assertThat(a.stat(NeighStat.periodic_gc_runs)).isEqualTo(20);
    }

    @Test
    void anEmptyTableStopsTheCollectorTimer() {
        a.net.sysctls().set(NeighParms.PREFIX + "gc_thresh1", "0");
        a.send(NOBODY, 1);
        lab.runForMs(30_000);
        assertThat(a.table().size()).isZero();
        assertThat(lab.loop.timers().pending()).isZero();
    }
}
