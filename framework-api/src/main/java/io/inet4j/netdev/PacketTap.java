package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;

/** Sees every frame a device sends or receives, without owning it (the analog of a {@code ETH_P_ALL} tap). */
public interface PacketTap extends AutoCloseable {
    void frame(NetDevice dev, PacketBuffer frame, boolean outgoing);

    @Override
    void close();
}
