package io.inet4j.protocol;

import io.inet4j.buffer.PacketBuffer;

/**
 * An IP protocol's receive side ({@code struct net_protocol}). IPv4 input calls it on the loop with the data at
 * the transport header and the network header offset set; it takes ownership of the buffer and must never
 * throw on bad input (drop and count).
 */
public interface NetProtocolHandler {
    /** The handler ({@code tcp_v4_rcv}, {@code icmp_rcv}). */
    void receive(PacketBuffer packet);

    /**
     * The ICMP error path ({@code err_handler}): {@code packet}'s data starts at the quoted IP header of the
     * datagram that caused the error; {@code type}/{@code code} are the ICMP ones. Does not own the buffer.
     */
    default void error(PacketBuffer packet, int type, int code, int info) {}
}
