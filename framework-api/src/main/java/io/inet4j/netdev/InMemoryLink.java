package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;

/**
 * One end of an in-memory Ethernet wire (like a {@code veth} pair): a frame transmitted on one end is received,
 * without copying, by the other. Used by tests and by the demo; the ends may belong to stacks on different
 * loops or share one simulated loop. A pair may offer {@link NetdevFeatures} as veth does: super-segments and
 * partial checksums then cross as they are, and the receiving stack takes them whole, as Linux takes a GSO
 * packet from a veth peer.
 */
public final class InMemoryLink implements Link {
    private final String name;
    private final int mtu;
    private final int features;
    private InMemoryLink peer;
    private volatile LinkHost host;
    private volatile boolean closed;

    private InMemoryLink(String name, int mtu, int features) {
        this.name = name;
        this.mtu = mtu;
        this.features = features;
    }

    /** Two connected ends named {@code nameA} and {@code nameB}, without offloads. */
    public static InMemoryLink[] pair(String nameA, String nameB, int mtu) {
        return pair(nameA, nameB, mtu, 0);
    }

    /** Two connected ends that offer {@code features} ({@link NetdevFeatures} bits). */
    public static InMemoryLink[] pair(String nameA, String nameB, int mtu, int features) {
        InMemoryLink a = new InMemoryLink(nameA, mtu, features);
        InMemoryLink b = new InMemoryLink(nameB, mtu, features);
        a.peer = b;
        b.peer = a;
        return new InMemoryLink[] {a, b};
    }

    @Override public String name() { return name; }
    @Override public int mtu() { return mtu; }
    @Override public MacAddress mac() { return null; }
    @Override public int features() { return features; }

    @Override
    public void start(LinkHost host) { this.host = host; }

    @Override
    public void transmit(PacketBuffer frame) {
        LinkHost h = peer.host;
        if (closed || peer.closed || h == null) {
            frame.release();
            return;
        }
        // With SG offered, the wire gathers the fragments into one frame, as a NIC's DMA does, on the sender's
        // thread, which owns the buffers they reference; the peer's receive path reads linear frames.
        if (frame.nrFrags() != 0) frame.linearize();
        h.receive(frame);
    }

    @Override
    public void close() { closed = true; }
}
