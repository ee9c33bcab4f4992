package io.inet4j.ipv4.neigh;

import static io.inet4j.ipv4.neigh.ArpLab.A_IP;
import static io.inet4j.ipv4.neigh.ArpLab.B_IP;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.neigh.ArpLab.Frame;
import io.inet4j.ipv4.neigh.ArpLab.Host;
import io.inet4j.ipv4.wire.ArpHeader;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** neigh_timer_handler: REACHABLE -> STALE -> DELAY -> PROBE -> REACHABLE or FAILED, in virtual time. */
class NudTimersTest {
    private final ArpLab lab = new ArpLab();
    private final Host a = lab.a;
    private final Host b = lab.b;

    @AfterEach
    void everyBufferComesBack() {
        lab.runForMs(10 * 60_000);
        lab.assertNoLeaks();
    }

    /** A resolves B at time 0; returns A's reachable time in ms. */
    private long resolve() {
        a.send(B_IP, 1);
        lab.settle();
        assertThat(a.state(B_IP)).isEqualTo(NudState.REACHABLE);
        return a.table().reachableTimeMs();
    }

    /** Resolves, then lets the entry go STALE; returns the time it did. */
    private long resolveAndGoStale() {
        long r = resolve();
        lab.runForMs(r + 20);
        assertThat(a.state(B_IP)).isEqualTo(NudState.STALE);
        return lab.nowMs();
    }

    @Test
    void reachableTimeIsDrawnAroundTheBaseAndRepeatsWithTheSeed() {
        long r = a.table().reachableTimeMs();
        assertThat(r).isBetween(15_000L, 44_999L);
        assertThat(new ArpLab().a.table().reachableTimeMs()).isEqualTo(r);

        a.net.sysctls().set(NeighParms.PREFIX + "base_reachable_time_ms", "1000");
        assertThat(a.table().reachableTimeMs()).isBetween(500L, 1499L);
    }

    @Test
    void unusedReachableEntryGoesStaleWithoutProbing() {
        long r = resolve();
        lab.runForMs(r - 1);
        assertThat(a.state(B_IP)).isEqualTo(NudState.REACHABLE);
        lab.runForMs(20);
        assertThat(a.state(B_IP)).isEqualTo(NudState.STALE);
        assertThat(a.arpOut()).hasSize(1);
    }

    @Test
    void upperLayerConfirmationKeepsTheEntryReachable() {
        long r = resolve();
        lab.runForMs(r - 1000);
        a.table().confirm(1, B_IP);
        lab.runForMs(1020);
        assertThat(a.state(B_IP)).isEqualTo(NudState.REACHABLE);
        lab.runForMs(r);
        assertThat(a.state(B_IP)).isEqualTo(NudState.STALE);
        assertThat(a.arpOut()).hasSize(1);
    }

    @Test
    void staleEntryInUseIsDelayedThenProbedByUnicast() {
        long t1 = resolveAndGoStale();
        a.send(B_IP, 2);
        lab.settle();
        assertThat(b.deliveredIds()).containsExactly(1, 2);
        assertThat(a.state(B_IP)).isEqualTo(NudState.DELAY);

        lab.runForMs(4999);
        assertThat(a.state(B_IP)).isEqualTo(NudState.DELAY);
        assertThat(a.arpOut()).hasSize(1);

        lab.runForMs(1);
        assertThat(a.arpOut()).hasSize(2).last().satisfies(f -> {
            assertThat(f.timeMs()).isEqualTo(t1 + 5000);
            assertThat(f.ethDst()).isEqualTo(b.mac());
            assertThat(f.op()).isEqualTo(ArpHeader.OP_REQUEST);
            assertThat(f.spa()).isEqualTo(A_IP);
            assertThat(f.tha()).isZero();
            assertThat(f.tpa()).isEqualTo(B_IP);
        });
        // B answered the probe at once.
        assertThat(a.state(B_IP)).isEqualTo(NudState.REACHABLE);
    }

    @Test
    void confirmationWhileDelayedAvoidsProbing() {
        resolveAndGoStale();
        a.send(B_IP, 2);
        lab.runForMs(2000);
        a.table().confirm(1, B_IP);
        lab.runForMs(3000);
        assertThat(a.state(B_IP)).isEqualTo(NudState.REACHABLE);
        assertThat(a.arpOut()).hasSize(1);
    }

    @Test
    void recentlyUsedReachableEntryIsDelayedRatherThanStale() {
        long r = resolve();
        lab.runForMs(r - 2000);
        a.send(B_IP, 2);
        lab.runForMs(2020);
        assertThat(a.state(B_IP)).isEqualTo(NudState.DELAY);
        lab.runForMs(5000);
        assertThat(a.arpOut()).hasSize(2);
        assertThat(a.state(B_IP)).isEqualTo(NudState.REACHABLE);
    }

    @Test
    void unansweredProbesFailAfterUcastSolicit() {
        long t1 = resolveAndGoStale();
        b.devinet.remove(b.devinet.all().get(0));
        a.send(B_IP, 2);

        lab.runForMs(5500);
        assertThat(a.state(B_IP)).isEqualTo(NudState.PROBE);
        a.send(B_IP, 3);
        lab.runForMs(2499);
        assertThat(a.state(B_IP)).isEqualTo(NudState.PROBE);
        lab.runForMs(1);
        assertThat(a.state(B_IP)).isEqualTo(NudState.FAILED);

        List<Frame> probes = a.arpOut().subList(1, a.arpOut().size());
        assertThat(probes).extracting(Frame::timeMs).containsExactly(t1 + 5000, t1 + 6000, t1 + 7000);
        assertThat(probes).allSatisfy(f -> assertThat(f.ethDst()).isEqualTo(b.mac()));
        // Packets keep flowing to the old address while it is being probed.
        assertThat(b.deliveredIds()).containsExactly(1, 2, 3);
        assertThat(a.stat(NeighStat.res_failed)).isEqualTo(1);
        assertThat(a.stat(NeighStat.unresolved_discards)).isZero();
    }
}
