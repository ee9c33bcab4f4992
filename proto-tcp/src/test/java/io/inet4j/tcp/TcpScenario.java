package io.inet4j.tcp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.wire.ArpHeader;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.netdev.LinkHost;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.InetStack;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;
import java.util.ArrayDeque;

/**
 * A packet-level test bench in the spirit of packetdrill and gVisor's checker: one stack (10.0.0.1) on a
 * simulated loop, and the test itself playing the remote host (10.0.0.2) with hand-made segments. The peer
 * answers ARP by itself; every TCP segment the stack emits is queued for the test to {@link #expect}.
 */
final class TcpScenario implements AutoCloseable {
    static final String LOCAL = "10.0.0.1";
    static final String REMOTE = "10.0.0.2";
    static final int LOCAL_ADDR = SockAddrIn.parseAddress(LOCAL);
    static final int REMOTE_ADDR = SockAddrIn.parseAddress(REMOTE);
    private static final long PEER_MAC = 0x02_00_00_00_00_02L;

    /** A segment as the stack sent it. */
    record Seg(int sport, int dport, int flags, int seq, int ack, int window, int len, int mss, long atNanos) {
        boolean is(int f) { return flags == f; }
    }

    final SimulatedEventLoop loop = new SimulatedEventLoop();
    final InetStack stack;
    private final ArrayDeque<Seg> emitted = new ArrayDeque<>();
    private final PacketBufferPool peerPool = PacketBufferPool.standard();
    private LinkHost peer;
    private long stackMac;

    TcpScenario() { this(b -> {}); }

    TcpScenario(java.util.function.Consumer<InetStack.Builder> config) { this(config, new String[0]); }

    /** With {@code moreAddresses} (a.b.c.d/n) on the same link after {@link #LOCAL}. */
    TcpScenario(java.util.function.Consumer<InetStack.Builder> config, String... moreAddresses) {
        InMemoryLink[] wire = InMemoryLink.pair("eth0", "peer", 1500);
        wire[1].start(new LinkHost() {
            @Override public void receive(PacketBuffer frame) { fromStack(frame); }
            @Override public PacketBufferPool pool() { return peerPool; }
            @Override public EventLoop loop() { return loop; }
        });
        InetStack.Builder b = InetStack.builder().name("dut").seed(7).loop(loop).link(wire[0], addresses(moreAddresses));
        config.accept(b);
        stack = b.build();
        stackMac = stack.device("eth0").mac().bits();
        peer = new LinkHost() {
            @Override public void receive(PacketBuffer frame) { stack.device("eth0").receive(frame); }
            @Override public PacketBufferPool pool() { return peerPool; }
            @Override public EventLoop loop() { return loop; }
        };
        loop.runFor(1_000_000L);
        emitted.clear();
    }

    private static String[] addresses(String... more) {
        String[] all = new String[more.length + 1];
        all[0] = LOCAL + "/24";
        System.arraycopy(more, 0, all, 1, more.length);
        return all;
    }

    private void fromStack(PacketBuffer f) {
        try {
            int at = f.data();
            int type = EthernetHeader.etherType(f, at);
            if (type == EthernetHeader.ETH_P_ARP) {
                int arp = at + EthernetHeader.LENGTH;
                if (ArpHeader.oper(f, arp) == ArpHeader.OP_REQUEST && ArpHeader.targetIp(f, arp) == REMOTE_ADDR) arpReply();
                return;
            }
            int ip = at + EthernetHeader.LENGTH;
            if (type != EthernetHeader.ETH_P_IP || Ipv4Header.protocol(f, ip) != IpProto.IPPROTO_TCP) return;
            int th = ip + Ipv4Header.headerLength(f, ip);
            int len = Ipv4Header.totalLength(f, ip) - Ipv4Header.headerLength(f, ip) - TcpHeader.headerLength(f, th);
            TcpOptions.Parsed o = new TcpOptions.Parsed();
            TcpOptions.parse(f, th, o);
            emitted.add(new Seg(TcpHeader.sourcePort(f, th), TcpHeader.destPort(f, th), TcpHeader.flags(f, th),
                    TcpHeader.seq(f, th), TcpHeader.ackSeq(f, th), TcpHeader.window(f, th), len, o.mss(),
                    loop.clock().nanoTime()));
        } finally {
            f.release();
        }
    }

    private void arpReply() {
        PacketBuffer b = peerPool.allocate(ArpHeader.LENGTH);
        ArpHeader.write(b, b.put(ArpHeader.LENGTH), ArpHeader.OP_REPLY, PEER_MAC, REMOTE_ADDR, stackMac, LOCAL_ADDR);
        EthernetHeader.push(b, stackMac, PEER_MAC, EthernetHeader.ETH_P_ARP);
        loop.execute(() -> peer.receive(b));
    }

    /** Sends a segment from the peer; {@code mss} > 0 adds an MSS option. */
    void inject(int sport, int dport, int flags, int seq, int ack, int window, byte[] payload, int mss) {
        injectTo(LOCAL_ADDR, sport, dport, flags, seq, ack, window, payload, mss);
    }

    /** Sends a segment from the peer to {@code daddr} (a broadcast, say), in a frame to the stack's MAC. */
    void injectTo(int daddr, int sport, int dport, int flags, int seq, int ack, int window, byte[] payload, int mss) {
        inject(daddr, sport, dport, flags, seq, ack, window, payload, mss, 0);
    }

    /** Sends a segment from the peer with the URG flag and urgent pointer {@code urgPtr}. */
    void injectUrgent(int sport, int dport, int flags, int seq, int ack, byte[] payload, int urgPtr) {
        inject(LOCAL_ADDR, sport, dport, flags | TcpHeader.URG, seq, ack, 65535, payload, 0, urgPtr);
    }

    private void inject(int daddr, int sport, int dport, int flags, int seq, int ack, int window, byte[] payload,
            int mss, int urgPtr) {
        int len = payload == null ? 0 : payload.length;
        PacketBuffer b = peerPool.allocate(len);
        if (len > 0) b.write(b.put(len), payload, 0, len);
        int hl = TcpHeader.MIN_LENGTH + (mss > 0 ? 4 : 0);
        int th = b.push(hl);
        TcpHeader.write(b, th, sport, dport, seq, ack, hl, flags, window, urgPtr);
        if (mss > 0) TcpOptions.writeSynOptions(b, th + TcpHeader.MIN_LENGTH, 0, mss, 0, 0, 0);
        TcpHeader.updateChecksum(b, th, b.length(), REMOTE_ADDR, daddr);
        int ip = b.push(Ipv4Header.MIN_LENGTH);
        Ipv4Header.write(b, ip, 0, b.length(), 1, 0, 64, IpProto.IPPROTO_TCP, REMOTE_ADDR, daddr);
        EthernetHeader.push(b, stackMac, PEER_MAC, EthernetHeader.ETH_P_IP);
        peer.receive(b);
        loop.runPending();
    }

    /**
     * An ICMP error from the peer about a segment the stack sent ({@code sport}, {@code dport}, {@code seq}
     * quoted behind the offending IP header, as a router quotes it).
     */
    void injectIcmp(int type, int code, int sport, int dport, int seq) { injectIcmp(type, code, 0, sport, dport, seq); }

    /** {@link #injectIcmp(int, int, int, int, int)} with the ICMP header's last word (e.g. the next-hop MTU). */
    void injectIcmp(int type, int code, int info, int sport, int dport, int seq) {
        int len = IcmpHeader.LENGTH + Ipv4Header.MIN_LENGTH + 8;
        PacketBuffer b = peerPool.allocate(len);
        int at = b.put(len);
        IcmpHeader.setType(b, at, type);
        IcmpHeader.setCode(b, at, code);
        IcmpHeader.setRest(b, at, info);
        int inner = at + IcmpHeader.LENGTH;
        Ipv4Header.write(b, inner, 0, Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH, 1, 0, 64, IpProto.IPPROTO_TCP,
                LOCAL_ADDR, REMOTE_ADDR);
        int th = inner + Ipv4Header.MIN_LENGTH;
        b.setShort(th, sport);
        b.setShort(th + 2, dport);
        b.setInt(th + 4, seq);
        IcmpHeader.updateChecksum(b, at, len);
        int ip = b.push(Ipv4Header.MIN_LENGTH);
        Ipv4Header.write(b, ip, 0, b.length(), 1, 0, 64, IpProto.IPPROTO_ICMP, REMOTE_ADDR, LOCAL_ADDR);
        EthernetHeader.push(b, stackMac, PEER_MAC, EthernetHeader.ETH_P_IP);
        peer.receive(b);
        loop.runPending();
    }

    void inject(int sport, int dport, int flags, int seq, int ack, byte[] payload) {
        inject(sport, dport, flags, seq, ack, 65535, payload, 0);
    }

    /** The next segment the stack sent, running the loop up to {@code seconds} of virtual time for it; null if none. */
    Seg expect(double seconds) {
        loop.runUntilFor((long) (seconds * 1e9), () -> !emitted.isEmpty());
        return emitted.poll();
    }

    Seg expect() { return expect(0.001); }

    /** True when the stack sends nothing more within {@code seconds}. */
    boolean silentFor(double seconds) {
        loop.runUntilFor((long) (seconds * 1e9), () -> !emitted.isEmpty());
        return emitted.isEmpty();
    }

    /**
     * connect() from {@code s} to the peer's {@code port} and the peer's half of the handshake (ISN 100, MSS
     * 1460, window 65535), consuming the stack's SYN and final ACK; returns the SYN.
     */
    Seg activeOpen(io.inet4j.socket.Socket s, int port) {
        StreamSockets.connect(s, REMOTE, port);
        Seg syn = expect();
        inject(port, syn.sport(), TcpHeader.SYN | TcpHeader.ACK, 100, syn.seq() + 1, 65535, null, 1460);
        expect();
        return syn;
    }

    void run(double seconds) { loop.runFor((long) (seconds * 1e9)); }

    double now() { return loop.clock().nanoTime() / 1e9; }

    Tcp tcp() { return Tcp.of(stack.inet()); }

    @Override
    public void close() {
        stack.close();
        loop.runPending();
    }

}
