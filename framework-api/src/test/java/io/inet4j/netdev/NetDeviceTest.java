package io.inet4j.netdev;

import static io.inet4j.netdev.Frames.MAC_A;
import static io.inet4j.netdev.Frames.MAC_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.Clock;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.loop.TimerWheel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins the generic receive path of {@link NetDevice} over an {@link InMemoryLink} pair: frames reach the peer's
 * {@link PacketTypes} handler with the Ethernet header pulled and the header offsets and ifindex set; short,
 * other-host, unknown-EtherType, down-device and backlog-overflow frames are dropped, released and counted in
 * {@link DeviceStats}; taps see both directions.
 */
class NetDeviceTest {
    private static final int ETH_P_TEST = 0x88b5; // IEEE 802 local experimental EtherType

    private final SimulatedEventLoop loop = new SimulatedEventLoop();
    private final PacketBufferPool pool = PacketBufferPool.standard();
    private final PacketTypes types = new PacketTypes();
    private final List<Received> received = new ArrayList<>();
    private final InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
    private final NetDevice a = new NetDevice(1, wire[0], MAC_A, loop, pool, types, 1000);
    private final NetDevice b = new NetDevice(2, wire[1], MAC_B, loop, pool, types, 1000);

    /** What a handler saw of one packet. */
    record Received(NetDevice dev, int data, int length, int mac, int network, int ifindex, String hex) {}

    NetDeviceTest() {
        types.add(EthernetHeader.ETH_P_IP, (dev, p) -> {
            received.add(new Received(dev, p.data(), p.length(), p.macHeader(), p.networkHeader(), p.ifindex(), p.toHex()));
            p.release();
        });
        a.open();
        b.open();
    }

    @AfterEach
    void everyBufferComesBack() {
        loop.runPending();
        assertThat(pool.outstanding()).isZero();
    }

    private void sendFromA(MacAddress dst, int etherType, int payloadLen) {
        a.transmit(Frames.ethernet(pool, dst, MAC_A, etherType, payloadLen, 1));
        loop.runPending();
    }

    @Test
    void aFrameCrossesTheWireIntoThePeersHandlerWithTheHeaderPulled() {
        sendFromA(MAC_B, EthernetHeader.ETH_P_IP, 46);
        assertThat(received).hasSize(1);
        Received r = received.get(0);
        assertThat(r.dev()).isSameAs(b);
        assertThat(r.length()).isEqualTo(46);
        assertThat(r.mac()).isEqualTo(r.data() - EthernetHeader.LENGTH);
        assertThat(r.network()).isEqualTo(r.data());
        assertThat(r.ifindex()).isEqualTo(2);
        assertThat(r.hex()).startsWith("0102030405");

        assertThat(a.stats().txPackets()).isEqualTo(1);
        assertThat(a.stats().txBytes()).isEqualTo(60);
        assertThat(b.stats().rxPackets()).isEqualTo(1);
        assertThat(b.stats().rxBytes()).isEqualTo(60);
        assertThat(b.stats().rxDropped()).isZero();
    }

    @Test
    void broadcastAndMulticastAreAccepted() {
        sendFromA(MacAddress.BROADCAST, EthernetHeader.ETH_P_IP, 20);
        sendFromA(MacAddress.parse("01:00:5e:00:00:01"), EthernetHeader.ETH_P_IP, 20);
        assertThat(received).hasSize(2);
    }

    @Test
    void framesShorterThanAnEthernetHeaderCountAsLengthErrors() {
        a.transmit(Frames.raw(pool, EthernetHeader.LENGTH - 1, 0xff));
        loop.runPending();
        assertThat(received).isEmpty();
        assertThat(b.stats().rxLengthErrors()).isEqualTo(1);
        assertThat(b.stats().rxPackets()).isEqualTo(1);
    }

    @Test
    void unicastForAnotherHostCountsAsOtherhost() {
        sendFromA(MacAddress.parse("02:00:00:00:00:0c"), EthernetHeader.ETH_P_IP, 20);
        assertThat(received).isEmpty();
        assertThat(b.stats().rxOtherhost()).isEqualTo(1);
    }

    @Test
    void anEtherTypeNobodyHandlesCountsAsNohandler() {
        sendFromA(MAC_B, EthernetHeader.ETH_P_ARP, 28);
        assertThat(received).isEmpty();
        assertThat(b.stats().rxNohandler()).isEqualTo(1);
    }

    @Test
    void aDownDeviceDropsWhatArrivesAndWhatItIsAskedToSend() {
        b.close();
        assertThat(b.isUp()).isFalse();
        b.receive(Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_IP, 20, 0));
        assertThat(b.stats().rxDropped()).isEqualTo(1);

        b.transmit(Frames.ethernet(pool, MAC_A, MAC_B, EthernetHeader.ETH_P_IP, 20, 0));
        assertThat(b.stats().txDropped()).isEqualTo(1);
        assertThat(b.stats().txPackets()).isZero();

        sendFromA(MAC_B, EthernetHeader.ETH_P_IP, 20);
        assertThat(received).as("a closed link delivers nothing").isEmpty();
    }

    @Test
    void aHandlerThatThrowsLosesItsFrameOnlyAndIsCounted() {
        int[] calls = new int[1];
        types.add(ETH_P_TEST, (dev, p) -> {
            p.release();
            if (calls[0]++ == 0) throw new OutOfMemoryError("Cannot reserve direct buffer memory");
        });
        b.receive(Frames.ethernet(pool, MAC_B, MAC_A, ETH_P_TEST, 20, 1));
        b.receive(Frames.ethernet(pool, MAC_B, MAC_A, ETH_P_TEST, 20, 2));
        loop.runPending();
        assertThat(calls[0]).as("the frame behind the failing one is still delivered").isEqualTo(2);
        assertThat(b.stats().rxHandlerErrors()).isEqualTo(1);
    }

    @Test
    void aDrainThatCouldNotBeQueuedIsQueuedByTheNextFrame() {
        boolean[] failNext = {true};
        EventLoop flaky = new EventLoop() {
            @Override public boolean inEventLoop() { return loop.inEventLoop(); }
            @Override public Clock clock() { return loop.clock(); }
            @Override public TimerWheel timers() { return loop.timers(); }

            @Override
            public void execute(Runnable task) {
                if (failNext[0]) {
                    failNext[0] = false;
                    throw new OutOfMemoryError("no memory for the task");
                }
                loop.execute(task);
            }
        };
        NetDevice dev = new NetDevice(3, InMemoryLink.pair("x", "y", 1500)[0], MAC_B, flaky, pool, types, 16);
        dev.open();
        assertThatThrownBy(() -> dev.receive(Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_IP, 20, 1)))
                .as("the link's thread learns of it").isInstanceOf(OutOfMemoryError.class);
        dev.receive(Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_IP, 20, 2));
        loop.runPending();
        assertThat(received).as("both frames, the one left in the backlog too").hasSize(2);
    }

    @Test
    void aFailedLinkTakesTheDeviceDownAndSaysWhy() {
        a.linkFailed("TAP veth-a: the reader failed: java.lang.OutOfMemoryError");
        assertThat(a.isUp()).isFalse();
        assertThat(a.failure()).contains("OutOfMemoryError");
        assertThat(a.toString()).contains("DOWN FAILED (TAP veth-a");
        a.transmit(Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_IP, 20, 1));
        assertThat(a.stats().txDropped()).as("nothing is written to a dead link").isEqualTo(1);
    }

    @Test
    void aFullBacklogDropsAndCounts() {
        NetDevice small = new NetDevice(3, InMemoryLink.pair("x", "y", 1500)[0], MAC_B, loop, pool, types, 4);
        small.open();
        for (int i = 0; i < 6; i++) small.receive(Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_IP, 20, i));
        assertThat(small.stats().rxDropped()).isEqualTo(2);
        loop.runPending();
        assertThat(received).hasSize(4);
        assertThat(small.stats().rxPackets()).isEqualTo(4);
    }

    @Test
    void closingDropsWhatIsStillInTheBacklog() {
        for (int i = 0; i < 3; i++) b.receive(Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_IP, 20, i));
        b.close();
        loop.runPending();
        assertThat(received).isEmpty();
        assertThat(b.stats().rxDropped()).isEqualTo(3);
    }

    @Test
    void aLongBurstIsDrainedInBatchesInOrder() {
        for (int i = 0; i < 500; i++) a.transmit(Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_IP, 4, i));
        assertThat(received).isEmpty();
        loop.runPending();
        assertThat(received).hasSize(500);
        for (int i = 0; i < 500; i++) {
            assertThat(received.get(i).hex()).startsWith(String.format("%02x", i & 0xff));
        }
    }

    @Test
    void tapsSeeOutgoingFramesAndIncomingOnesBeforeThePull() {
        List<String> seen = new ArrayList<>();
        PacketTap tap = new PacketTap() {
            @Override
            public void frame(NetDevice dev, PacketBuffer frame, boolean outgoing) {
                seen.add(dev.name() + (outgoing ? " out " : " in ") + frame.length());
            }

            @Override
            public void close() { seen.add("closed"); }
        };
        a.setTap(tap);
        b.setTap(tap);
        sendFromA(MAC_B, EthernetHeader.ETH_P_IP, 50);
        b.close();
        assertThat(seen).containsExactly("veth-a out 64", "veth-b in 64", "closed");
    }

    @Test
    void handlersAreLookedUpByEtherTypeAndCanBeReplaced() {
        List<String> other = new ArrayList<>();
        types.add(ETH_P_TEST, (dev, p) -> {
            other.add("first");
            p.release();
        });
        types.add(ETH_P_TEST, (dev, p) -> {
            other.add("second");
            p.release();
        });
        sendFromA(MAC_B, ETH_P_TEST, 10);
        sendFromA(MAC_B, EthernetHeader.ETH_P_IP, 10);
        assertThat(other).containsExactly("second");
        assertThat(received).hasSize(1);
        assertThat(types.lookup(0x1234)).isNull();
    }

    @Test
    void mtuStaysBetweenIpv4sMinimumAndTheLinks() {
        assertThat(a.mtu()).isEqualTo(1500);
        a.setMtu(68);
        assertThat(a.mtu()).isEqualTo(68);
        assertThatThrownBy(() -> a.setMtu(67)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.setMtu(1501)).isInstanceOf(IllegalArgumentException.class);
        assertThat(a.toString()).isEqualTo("1: veth-a mtu 68 UP link/ether 02:00:00:00:00:0a");
    }

    @Test
    void ethernetHeaderPushWritesTheWireFormat() {
        PacketBuffer f = Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_ARP, 2, 0xaa);
        assertThat(f.macHeader()).isEqualTo(f.data());
        assertThat(f.toHex()).isEqualTo("02000000000b" + "02000000000a" + "0806" + "aaab");
        assertThat(EthernetHeader.destination(f, f.data())).isEqualTo(MAC_B.bits());
        assertThat(EthernetHeader.source(f, f.data())).isEqualTo(MAC_A.bits());
        assertThat(EthernetHeader.etherType(f, f.data())).isEqualTo(0x0806);
        PacketBuffer bc = Frames.ethernet(pool, MacAddress.BROADCAST, MAC_A, 0xffff, 0, 0);
        assertThat(EthernetHeader.destination(bc, bc.data())).isEqualTo(0xffff_ffff_ffffL);
        assertThat(EthernetHeader.etherType(bc, bc.data())).isEqualTo(0xffff);
        f.release();
        bc.release();
    }

    /** A link that keeps what it is given, offering {@code features}. */
    private static final class KeepingLink implements Link {
        final int features;
        final List<PacketBuffer> sent = new ArrayList<>();

        KeepingLink(int features) { this.features = features; }

        @Override public String name() { return "keep"; }
        @Override public int mtu() { return 1500; }
        @Override public MacAddress mac() { return null; }
        @Override public int features() { return features; }
        @Override public void start(LinkHost host) {}
        @Override public void transmit(PacketBuffer frame) { sent.add(frame); }
        @Override public void close() {}
    }

    /** A 60-byte frame: Ethernet header and 6 bytes in line, 40 payload bytes referenced from {@code payload}. */
    private PacketBuffer fragmented(PacketBuffer payload) {
        PacketBuffer f = Frames.ethernet(pool, MAC_B, MAC_A, EthernetHeader.ETH_P_IP, 6, 1);
        f.addFrag(payload, payload.data(), 40);
        return f;
    }

    @Test
    void aLinkWithoutScatterGatherGetsFramesLinearizedAndOneWithItGetsTheFragments() {
        PacketBuffer payload = Frames.raw(pool, 40, 0x5a);
        for (int features : new int[] {0, NetdevFeatures.SG}) {
            KeepingLink link = new KeepingLink(features);
            NetDevice dev = new NetDevice(3, link, MAC_A, loop, pool, types, 10);
            dev.open();
            List<String> tapped = new ArrayList<>();
            dev.setTap(new PacketTap() {
                @Override public void frame(NetDevice d, PacketBuffer frame, boolean outgoing) { tapped.add(frame.toHex()); }
                @Override public void close() {}
            });
            PacketBuffer f = fragmented(payload);
            String hex = f.toHex();
            dev.transmit(f);
            PacketBuffer out = link.sent.get(0);
            assertThat(out.nrFrags()).isEqualTo(features == 0 ? 0 : 1);
            assertThat(out.length()).isEqualTo(60);
            assertThat(out.toHex()).isEqualTo(hex).endsWith("5a".repeat(40));
            assertThat(tapped).as("the tap sees the whole frame").containsExactly(hex);
            assertThat(dev.stats().txBytes()).isEqualTo(60);
            out.release();
        }
        assertThat(payload.refCnt()).as("both frames let go of the payload").isEqualTo(1);
        payload.release();
    }
}
