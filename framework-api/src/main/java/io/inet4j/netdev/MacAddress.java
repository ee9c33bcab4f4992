package io.inet4j.netdev;

import java.util.Random;

/** A 48-bit Ethernet address held in the low bits of a long, so it compares and hashes as a number. */
public record MacAddress(long bits) {
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) throw new IllegalArgumentException("not a 48-bit address");
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff}. */
    public static MacAddress parse(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length != 6) throw new IllegalArgumentException("bad MAC address: " + s);
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(MacAddress::isHexDigit)) {
                throw new IllegalArgumentException("bad MAC address: " + s);
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** A random locally administered unicast address, as {@code eth_random_addr()} makes. */
    public static MacAddress random(Random rnd) {
        long v = rnd.nextLong() & 0xffff_ffff_ffffL;
        v &= ~(0x01L << 40); // unicast
        v |= 0x02L << 40; // locally administered
        return new MacAddress(v);
    }

    public boolean isBroadcast() { return bits == BROADCAST.bits; }
    public boolean isMulticast() { return (bits & (0x01L << 40)) != 0; }

    public int octet(int i) { return (int) (bits >>> (8 * (5 - i))) & 0xff; }

    @Override
    public String toString() {
        return String.format("%02x:%02x:%02x:%02x:%02x:%02x", octet(0), octet(1), octet(2), octet(3), octet(4), octet(5));
    }
}
