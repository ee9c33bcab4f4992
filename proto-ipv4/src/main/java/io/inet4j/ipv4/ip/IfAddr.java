package io.inet4j.ipv4.ip;

import io.inet4j.socket.SockAddrIn;

/** An IPv4 address assigned to a device ({@code struct in_ifaddr}): {@code ip addr add 10.0.0.2/24 dev tap0}. */
public record IfAddr(int ifindex, int local, int prefixLen) {
    public IfAddr {
        if (prefixLen < 0 || prefixLen > 32) throw new IllegalArgumentException("prefix length " + prefixLen);
    }

    /** Parses {@code a.b.c.d/len} for device {@code ifindex}. */
    public static IfAddr parse(int ifindex, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("expected address/prefix: " + cidr);
        int len;
        try {
            len = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + cidr);
        }
        return new IfAddr(ifindex, SockAddrIn.parseAddress(cidr.substring(0, slash)), len);
    }

    public static int mask(int prefixLen) { return prefixLen == 0 ? 0 : -1 << (32 - prefixLen); }

    public int mask() { return mask(prefixLen); }
    public int network() { return local & mask(); }
    /** The directed broadcast address, or 0 for /31 and /32 which have none. */
    public int broadcast() { return prefixLen >= 31 ? 0 : local | ~mask(); }
    /** True when {@code addr} is in this address's subnet. */
    public boolean contains(int addr) { return (addr & mask()) == network(); }

    @Override
    public String toString() { return SockAddrIn.formatAddress(local) + "/" + prefixLen + " dev#" + ifindex; }
}
