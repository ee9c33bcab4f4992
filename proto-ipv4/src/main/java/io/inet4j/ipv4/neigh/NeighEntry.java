package io.inet4j.ipv4.neigh;

import io.inet4j.netdev.MacAddress;
import io.inet4j.socket.SockAddrIn;

/**
 * A snapshot of one {@link Neighbour}, as {@code ip neigh} lists it; {@code toString()} prints the same line:
 * {@code 10.0.0.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE}.
 *
 * @param lladdr the link-layer address, null when the state is not valid (INCOMPLETE, FAILED, NONE)
 */
public record NeighEntry(int address, int ifindex, String dev, MacAddress lladdr, NudState state) {
    @Override
    public String toString() {
        return SockAddrIn.formatAddress(address) + " dev " + dev + (lladdr != null ? " lladdr " + lladdr : "")
                + " " + state;
    }
}
