package io.inet4j.samples.hooks;

import io.inet4j.socket.SockAddrIn;

/** An IPv4 network in CIDR form ({@code 10.0.0.0/8}), as an LPM key of a BPF map would hold it. */
public record Cidr(int network, int prefixLen) {
    public Cidr {
        if (prefixLen < 0 || prefixLen > 32) throw new IllegalArgumentException("prefix length " + prefixLen + " is not 0-32");
        network &= mask(prefixLen);
    }

    /** {@code A.B.C.D/N}, or a bare address meaning {@code /32}. */
    public static Cidr parse(String s) {
        int slash = s.indexOf('/');
        String a = slash < 0 ? s : s.substring(0, slash);
        int addr;
        try {
            addr = SockAddrIn.parseAddress(a);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + a + "' is not an IPv4 address (write A.B.C.D)");
        }
        if (slash < 0) return new Cidr(addr, 32);
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit) || Integer.parseInt(len) > 32) {
            throw new IllegalArgumentException("'" + len + "' is not a prefix length (0-32)");
        }
        return new Cidr(addr, Integer.parseInt(len));
    }

    public boolean contains(int address) { return (address & mask(prefixLen)) == network; }

    private static int mask(int len) { return len == 0 ? 0 : -1 << (32 - len); }

    @Override
    public String toString() { return SockAddrIn.formatAddress(network) + "/" + prefixLen; }
}
