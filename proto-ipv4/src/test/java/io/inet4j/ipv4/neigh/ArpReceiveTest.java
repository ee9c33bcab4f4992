package io.inet4j.ipv4.neigh;

import static io.inet4j.ipv4.neigh.ArpLab.A_IP;
import static io.inet4j.ipv4.neigh.ArpLab.BROADCAST;
import static io.inet4j.ipv4.neigh.ArpLab.ip;
import static io.inet4j.ipv4.wire.ArpHeader.OP_REPLY;
import static io.inet4j.ipv4.wire.ArpHeader.OP_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.ip.IfAddr;
import io.inet4j.ipv4.neigh.ArpLab.Host;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.MacAddress;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** arp_rcv and arp_process: whom we answer, whom we learn, what we refuse. Host X is injected, not simulated. */
class ArpReceiveTest {
    private static final int X_IP = ip("10.0.0.9");
    private static final long X1 = MacAddress.parse("02:00:00:00:00:91").bits();
    private static final long X2 = MacAddress.parse("02:00:00:00:00:92").bits();

    private final ArpLab lab = new ArpLab();
    private final Host a = lab.a;
    private final Host b = lab.b;

    @AfterEach
    void everyBufferComesBack() {
        lab.runForMs(10 * 60_000);
        lab.assertNoLeaks();
    }

    private void fromX(long ethDst, int op, long sha, int spa, long tha, int tpa) {
        a.inject(a.arpFrame(ethDst, sha, op, sha, spa, tha, tpa));
        lab.settle();
    }

    @Test
    void answersRequestsForLocalAddressesAndLearnsTheAsker() {
        fromX(BROADCAST, OP_REQUEST, X1, X_IP, 0, A_IP);

        assertThat(a.arpOut()).singleElement().satisfies(f -> {
            assertThat(f.ethDst()).isEqualTo(X1);
            assertThat(f.op()).isEqualTo(OP_REPLY);
            assertThat(f.sha()).isEqualTo(a.mac());
            assertThat(f.spa()).isEqualTo(A_IP);
            assertThat(f.tha()).isEqualTo(X1);
            assertThat(f.tpa()).isEqualTo(X_IP);
        });
        assertThat(a.entry(X_IP).toString()).isEqualTo("10.0.0.9 dev a0 lladdr 02:00:00:00:00:91 STALE");
        assertThat(a.stat(NeighStat.rcv_probes_mcast)).isEqualTo(1);

        fromX(a.mac(), OP_REQUEST, X1, X_IP, a.mac(), A_IP);
        assertThat(a.arpOut()).hasSize(2);
        assertThat(a.stat(NeighStat.rcv_probes_ucast)).isEqualTo(1);
    }

    @Test
    void answersForEveryLocalAddress() {
        int second = ip("10.0.0.5");
        a.devinet.add(new IfAddr(1, second, 24));
        lab.settle();
        a.frames.clear();
        fromX(BROADCAST, OP_REQUEST, X1, X_IP, 0, second);
        assertThat(a.arpOut()).singleElement().satisfies(f -> assertThat(f.spa()).isEqualTo(second));
    }

    @Test
    void requestsForOthersOnlyRefreshExistingEntries() {
        fromX(BROADCAST, OP_REQUEST, X1, X_IP, 0, ip("10.0.0.77"));
        assertThat(a.table().size()).isZero();
        assertThat(a.arpOut()).isEmpty();

        fromX(BROADCAST, OP_REQUEST, X1, X_IP, 0, A_IP);
        lab.runForMs(1500);
        fromX(BROADCAST, OP_REQUEST, X2, X_IP, 0, ip("10.0.0.77"));
        assertThat(a.entry(X_IP).lladdr().bits()).isEqualTo(X2);
        assertThat(a.state(X_IP)).isEqualTo(NudState.STALE);
        assertThat(a.arpOut()).hasSize(1);
    }

    @Test
    void unsolicitedRepliesAndAnnouncementsCreateNothing() {
        fromX(a.mac(), OP_REPLY, X1, X_IP, a.mac(), A_IP);
        fromX(BROADCAST, OP_REQUEST, X1, X_IP, 0, X_IP);
        fromX(BROADCAST, OP_REPLY, X1, X_IP, X1, X_IP);
        assertThat(a.table().size()).isZero();
        assertThat(a.arpOut()).isEmpty();
    }

    @Test
    void broadcastReplyMakesAnIncompleteEntryOnlyStale() {
        a.send(X_IP, 1);
        fromX(BROADCAST, OP_REPLY, X1, X_IP, a.mac(), A_IP);
        assertThat(a.ipOut()).singleElement().satisfies(f -> assertThat(f.ethDst()).isEqualTo(X1));
        // The flushed packet used a STALE entry, which that use moves on to DELAY.
        assertThat(a.state(X_IP)).isEqualTo(NudState.DELAY);
    }

    @Test
    void firstOfBackToBackRepliesWins() {
        a.send(X_IP, 1);
        fromX(a.mac(), OP_REPLY, X1, X_IP, a.mac(), A_IP);
        fromX(a.mac(), OP_REPLY, X2, X_IP, a.mac(), A_IP);
        assertThat(a.entry(X_IP).lladdr().bits()).isEqualTo(X1);
        assertThat(a.state(X_IP)).isEqualTo(NudState.REACHABLE);

        lab.runForMs(1100);
        fromX(a.mac(), OP_REPLY, X2, X_IP, a.mac(), A_IP);
        assertThat(a.entry(X_IP).lladdr().bits()).isEqualTo(X2);
        assertThat(a.state(X_IP)).isEqualTo(NudState.REACHABLE);
    }

    @Test
    void gratuitousArpOverridesEvenWithinLocktime() {
        a.send(X_IP, 1);
        fromX(a.mac(), OP_REPLY, X1, X_IP, a.mac(), A_IP);
        fromX(BROADCAST, OP_REQUEST, X2, X_IP, 0, X_IP);
        assertThat(a.entry(X_IP).lladdr().bits()).isEqualTo(X2);
        assertThat(a.state(X_IP)).isEqualTo(NudState.STALE);
    }

    @Test
    void addressProbesAreAnsweredButTeachNothing() {
        fromX(BROADCAST, OP_REQUEST, X1, 0, 0, A_IP);
        assertThat(a.arpOut()).singleElement().satisfies(f -> {
            assertThat(f.ethDst()).isEqualTo(X1);
            assertThat(f.op()).isEqualTo(OP_REPLY);
            assertThat(f.spa()).isEqualTo(A_IP);
            assertThat(f.tha()).isEqualTo(X1);
            assertThat(f.tpa()).isZero();
        });
        fromX(BROADCAST, OP_REQUEST, X1, 0, 0, ip("10.0.0.77"));
        assertThat(a.arpOut()).hasSize(1);
        assertThat(a.table().size()).isZero();
    }

    @Test
    void requestClaimingOurOwnAddressIsAnsweredButNotLearned() {
        fromX(BROADCAST, OP_REQUEST, X1, A_IP, 0, A_IP);
        assertThat(a.arpOut()).singleElement().satisfies(f -> assertThat(f.ethDst()).isEqualTo(X1));
        assertThat(a.table().size()).isZero();
    }

    @Test
    void multicastAndLoopbackTargetsAreIgnored() {
        fromX(BROADCAST, OP_REQUEST, X1, X_IP, 0, ip("224.0.0.1"));
        fromX(BROADCAST, OP_REQUEST, X1, X_IP, 0, ip("127.0.0.1"));
        assertThat(a.arpOut()).isEmpty();
        assertThat(a.stat(NeighStat.rcv_malformed)).isZero();
    }

    @Test
    void newAddressIsAnnouncedAndUpdatesThePeersEntry() {
        int third = ip("10.0.0.3");
        fromX(BROADCAST, OP_REQUEST, X1, third, 0, A_IP);
        assertThat(a.entry(third).lladdr().bits()).isEqualTo(X1);

        b.devinet.add(new IfAddr(1, third, 24));
        lab.settle();

        assertThat(b.arpOut()).singleElement().satisfies(f -> {
            assertThat(f.ethDst()).isEqualTo(BROADCAST);
            assertThat(f.op()).isEqualTo(OP_REQUEST);
            assertThat(f.sha()).isEqualTo(b.mac());
            assertThat(f.spa()).isEqualTo(third);
            assertThat(f.tha()).isZero();
            assertThat(f.tpa()).isEqualTo(third);
        });
        assertThat(a.entry(third).lladdr()).isEqualTo(b.dev.mac());
        assertThat(a.state(third)).isEqualTo(NudState.STALE);
        assertThat(a.table().size()).isEqualTo(1);
    }

    @Test
    void addressOnADownDeviceIsNotAnnounced() {
        b.dev.close();
        long sent = b.dev.stats().txPackets() + b.dev.stats().txDropped();
        b.devinet.add(new IfAddr(1, ip("10.0.0.3"), 24));
        lab.settle();
        assertThat(b.dev.stats().txPackets() + b.dev.stats().txDropped()).isEqualTo(sent);
    }

    @Test
    void newSubnetBroadcastReplacesAnEntryForThatAddress() {
        int bcast = ip("10.0.1.255");
        a.send(bcast, 1);
        assertThat(a.state(bcast)).isEqualTo(NudState.INCOMPLETE);

        a.devinet.add(new IfAddr(1, ip("10.0.1.1"), 24));
        assertThat(a.table().size()).isZero();
        a.send(bcast, 2);
        lab.settle();
        assertThat(b.delivered).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(2);
            assertThat(d.ethDst()).isEqualTo(BROADCAST);
        });
    }

    @Test
    void malformedFramesAreDroppedAndCounted() {
        List<Consumer<PacketBuffer>> damages = List.of(
                f -> f.trim(EthernetHeader.LENGTH + 27),
                f -> f.trim(EthernetHeader.LENGTH),
                f -> f.setShort(f.data() + EthernetHeader.LENGTH, 6),
                f -> f.setShort(f.data() + EthernetHeader.LENGTH + 2, 0x86dd),
                f -> f.setByte(f.data() + EthernetHeader.LENGTH + 4, 8),
                f -> f.setByte(f.data() + EthernetHeader.LENGTH + 5, 16),
                f -> f.setShort(f.data() + EthernetHeader.LENGTH + 6, 3),
                f -> f.setShort(f.data() + EthernetHeader.LENGTH + 6, 0));
        for (Consumer<PacketBuffer> damage : damages) {
            PacketBuffer f = a.arpFrame(BROADCAST, X1, OP_REQUEST, X1, X_IP, 0, A_IP);
            damage.accept(f);
            a.inject(f);
        }
        lab.settle();

        assertThat(a.stat(NeighStat.rcv_malformed)).isEqualTo(damages.size());
        assertThat(a.arpOut()).isEmpty();
        assertThat(a.table().size()).isZero();
        // Padding after the 28 bytes is fine.
        PacketBuffer padded = a.arpFrame(BROADCAST, X1, OP_REQUEST, X1, X_IP, 0, A_IP);
        padded.put(18);
        a.inject(padded);
        lab.settle();
        assertThat(a.arpOut()).hasSize(1);
    }

    @Test
    void randomFramesNeverThrow() {
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            int len = rnd.nextInt(64);
            PacketBuffer f = a.net.pool().allocate(EthernetHeader.LENGTH + len);
            int at = f.put(len);
            for (int j = 0; j < len; j++) f.setByte(at + j, rnd.nextInt(256));
            // Keep the header fields plausible half the time so deeper paths run too.
            if (len >= 28 && rnd.nextBoolean()) {
                f.setShort(at, 1);
                f.setShort(at + 2, 0x0800);
                f.setByte(at + 4, 6);
                f.setByte(at + 5, 4);
                f.setShort(at + 6, 1 + rnd.nextInt(2));
                if (rnd.nextBoolean()) f.setInt(at + 24, A_IP);
            }
            EthernetHeader.push(f, BROADCAST, X1, EthernetHeader.ETH_P_ARP);
            a.inject(f);
            lab.settle();
        }
        assertThat(a.stat(NeighStat.rcv_malformed)).isBetween(1L, 1999L);
        assertThat(a.arpOut()).isNotEmpty();
    }
}
