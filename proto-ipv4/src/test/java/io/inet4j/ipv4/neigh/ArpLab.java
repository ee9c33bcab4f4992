package io.inet4j.ipv4.neigh;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.IfAddr;
import io.inet4j.ipv4.wire.ArpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.net.Net;
import io.inet4j.net.NetConfig;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.netdev.MacAddress;
import io.inet4j.netdev.NetDevice;
import io.inet4j.netdev.PacketTap;
import io.inet4j.socket.SockAddrIn;
import java.util.ArrayList;
import java.util.List;

/**
 * Two stacks, A (10.0.0.1/24) and B (10.0.0.2/24), on one simulated loop and one in-memory wire, each with its
 * ARP wired as a stack would wire it, a tap logging every frame with its virtual time, and an IPv4 handler
 * that records what is delivered. Frames from hosts that do not exist are injected with {@link #inject}.
 */
final class ArpLab {
    static final int A_IP = ip("10.0.0.1");
    static final int B_IP = ip("10.0.0.2");
    /** A host that is not on the wire; ARP for it goes unanswered. */
    static final int NOBODY = ip("10.0.0.99");
    static final long BROADCAST = MacAddress.BROADCAST.bits();

    final SimulatedEventLoop loop = new SimulatedEventLoop();
    final Host a;
    final Host b;

    ArpLab() {
        InMemoryLink[] wire = InMemoryLink.pair("a0", "b0", 1500);
        a = new Host("a", 1, wire[0]);
        b = new Host("b", 2, wire[1]);
        a.devinet.add(new IfAddr(a.dev.ifindex(), A_IP, 24));
        b.devinet.add(new IfAddr(b.dev.ifindex(), B_IP, 24));
        loop.runPending();
        a.frames.clear();
        b.frames.clear();
    }

    static int ip(String dotted) { return SockAddrIn.parseAddress(dotted); }

    long nowMs() { return loop.clock().nanoTime() / 1_000_000L; }

    void runForMs(long ms) { loop.runFor(ms * 1_000_000L); }

    /** Runs everything queued now, without moving the clock. */
    void settle() { loop.runPending(); }

    /** A then B have all their buffers back. */
    void assertNoLeaks() {
        assertThat(a.net.pool().outstanding()).as("A's buffers in use").isZero();
        assertThat(b.net.pool().outstanding()).as("B's buffers in use").isZero();
    }

    /** One frame seen by a tap, with the ARP fields parsed when it is ARP. */
    record Frame(long timeMs, boolean out, long ethDst, long ethSrc, int type, int op, long sha, int spa, long tha,
                 int tpa, int ipId) {
        boolean isArp() { return type == EthernetHeader.ETH_P_ARP; }
    }

    /** An IPv4 packet as the receiving stack's handler saw it. */
    record Delivered(int id, int daddr, long ethDst) { }

    final class Host implements PacketTap {
        final Net net;
        final NetDevice dev;
        final DevInet devinet = new DevInet();
        final Arp arp;
        final List<Frame> frames = new ArrayList<>();
        final List<Delivered> delivered = new ArrayList<>();
        /** When false, delivered packets are only counted (allocation measurements). */
        boolean record = true;
        int deliveredCount;

        Host(String name, long seed, InMemoryLink link) {
            net = new Net(NetConfig.named(name).withSeed(seed), loop, PacketBufferPool.standard());
            dev = net.addDevice(link);
            dev.open();
            arp = new Arp(net, devinet);
            net.packetTypes().add(EthernetHeader.ETH_P_ARP, arp);
            net.packetTypes().add(EthernetHeader.ETH_P_IP, (d, p) -> {
                deliveredCount++;
                if (record) {
                    int at = p.data();
                    delivered.add(new Delivered(Ipv4Header.id(p, at), Ipv4Header.daddr(p, at),
                            EthernetHeader.destination(p, p.macHeader())));
                }
                p.release();
            });
            devinet.addListener(arp);
            dev.setTap(this);
        }

        long mac() { return dev.mac().bits(); }

        NeighTable table() { return arp.table(); }

        long stat(NeighStat s) { return table().stats().get(s); }

        /** An IPv4 packet from {@code src} to {@code dst} with identification {@code id}, ready for ARP output. */
        PacketBuffer packet(int src, int dst, int id) {
            PacketBuffer p = net.pool().allocate(Ipv4Header.MIN_LENGTH + 8);
            int at = p.put(Ipv4Header.MIN_LENGTH + 8);
            p.setNetworkHeader(at);
            Ipv4Header.write(p, at, 0, Ipv4Header.MIN_LENGTH + 8, id, 0, 64, 17, src, dst);
            return p;
        }

        /** IPv4 output of a packet from this host's first address to next hop {@code dst}. */
        int send(int dst, int id) { return arp.output(dev, dst, packet(devinet.all().get(0).local(), dst, id)); }

        /** The entry for {@code addr}, without touching the table's lookup counters. */
        NeighEntry entry(int addr) {
            return table().entries().stream().filter(e -> e.address() == addr).findFirst().orElse(null);
        }

        NudState state(int addr) {
            NeighEntry e = entry(addr);
            return e == null ? null : e.state();
        }

        List<Frame> arpOut() { return frames.stream().filter(f -> f.out && f.isArp()).toList(); }

        List<Frame> ipOut() { return frames.stream().filter(f -> f.out && !f.isArp()).toList(); }

        List<Integer> deliveredIds() { return delivered.stream().map(Delivered::id).toList(); }

        /** Puts a frame on this host's receive path, as if it came over the wire. */
        void inject(PacketBuffer frame) { dev.receive(frame); }

        /** An Ethernet frame carrying an ARP packet, for {@link #inject}. */
        PacketBuffer arpFrame(long ethDst, long ethSrc, int op, long sha, int spa, long tha, int tpa) {
            PacketBuffer f = net.pool().allocate(ArpHeader.LENGTH);
            ArpHeader.write(f, f.put(ArpHeader.LENGTH), op, sha, spa, tha, tpa);
            EthernetHeader.push(f, ethDst, ethSrc, EthernetHeader.ETH_P_ARP);
            return f;
        }

        @Override
        public void frame(NetDevice d, PacketBuffer f, boolean outgoing) {
            int at = f.data();
            int type = EthernetHeader.etherType(f, at);
            int arp = at + EthernetHeader.LENGTH;
            boolean isArp = type == EthernetHeader.ETH_P_ARP && f.length() >= EthernetHeader.LENGTH + ArpHeader.LENGTH;
            boolean isIp = type == EthernetHeader.ETH_P_IP;
            frames.add(new Frame(nowMs(), outgoing, EthernetHeader.destination(f, at), EthernetHeader.source(f, at),
                    type, isArp ? ArpHeader.oper(f, arp) : 0, isArp ? ArpHeader.senderMac(f, arp) : 0,
                    isArp ? ArpHeader.senderIp(f, arp) : 0, isArp ? ArpHeader.targetMac(f, arp) : 0,
                    isArp ? ArpHeader.targetIp(f, arp) : 0, isIp ? Ipv4Header.id(f, arp) : 0));
        }

        @Override
        public void close() { }
    }
}
