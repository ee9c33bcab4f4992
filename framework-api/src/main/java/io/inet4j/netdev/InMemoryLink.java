package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;

/**
 * One end of an in-memory Ethernet wire (like a {@code veth} pair): a frame transmitted on one end is received,
 * without copying, by the other. Used by tests and by the demo; the ends may belong to stacks on different
 * loops or share one simulated loop.
 */
public final class InMemoryLink implements Link {
    private final String name;
    private final int mtu;
    private InMemoryLink peer;
    private volatile LinkHost host;
    private volatile boolean closed;

    private InMemoryLink(String name, int mtu) {
        this.name = name;
        this.mtu = mtu;
    }

    /** Two connected ends named {@code nameA} and {@code nameB}. */
    public static InMemoryLink[] pair(String nameA, String nameB, int mtu) {
        InMemoryLink a = new InMemoryLink(nameA, mtu);
        InMemoryLink b = new InMemoryLink(nameB, mtu);
        a.peer = b;
        b.peer = a;
        return new InMemoryLink[] {a, b};
    }

    @Override public String name() { return name; }
    @Override public int mtu() { return mtu; }
    @Override public MacAddress mac() { return null; }

    @Override
    public void start(LinkHost host) { this.host = host; }

    @Override
    public void transmit(PacketBuffer frame) {
        LinkHost h = peer.host;
        if (closed || peer.closed || h == null) {
            frame.release();
            return;
        }
        h.receive(frame);
    }

    @Override
    public void close() { closed = true; }
}
