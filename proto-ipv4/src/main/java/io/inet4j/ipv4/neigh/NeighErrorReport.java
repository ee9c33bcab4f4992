package io.inet4j.ipv4.neigh;

import io.inet4j.buffer.PacketBuffer;

/**
 * What happens to a packet whose next hop could not be resolved ({@code neigh_ops.error_report}, IPv4's
 * {@code arp_error_report}): IPv4 answers with an ICMP host unreachable, or EHOSTUNREACH for a local sender.
 */
@FunctionalInterface
public interface NeighErrorReport {
    /**
     * Called on the loop for each packet dropped from a failed entry's queue, just before the table releases it.
     * {@code ipPacket.data()} is at its IPv4 header. The callee does not own the buffer: it may read it or
     * {@link PacketBuffer#retain()} it, and may send packets of its own.
     */
    void unreachable(PacketBuffer ipPacket);
}
