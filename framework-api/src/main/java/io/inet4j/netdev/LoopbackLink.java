package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;

/**
 * The loopback device's driver ({@code drivers/net/loopback.c}): every frame sent is received again by the same
 * device, through its backlog, so local traffic takes the same receive path as any other and never re-enters
 * the sender's call stack.
 */
public final class LoopbackLink implements Link {
    /** Linux's loopback MTU. */
    public static final int MTU = 65536;

    private volatile LinkHost host;

    @Override public String name() { return "lo"; }
    @Override public int mtu() { return MTU; }
    @Override public MacAddress mac() { return MacAddress.ZERO; }

    @Override
    public void start(LinkHost host) { this.host = host; }

    @Override
    public void transmit(PacketBuffer frame) {
        LinkHost h = host;
        if (h == null) frame.release();
        else h.receive(frame);
    }

    @Override
    public void close() { host = null; }
}
