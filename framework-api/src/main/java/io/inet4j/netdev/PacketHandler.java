package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;

/**
 * A receive function for one EtherType, the analog of {@code struct packet_type}'s {@code func}
 * ({@code ip_rcv}, {@code arp_rcv}). Called on the loop with the data just past the Ethernet header; takes
 * ownership of the buffer and must never throw on bad input: drop and count instead.
 */
@FunctionalInterface
public interface PacketHandler {
    void receive(NetDevice dev, PacketBuffer packet);
}
