package io.inet4j.socket;

/**
 * An IPv4 socket address ({@code struct sockaddr_in}): the address as an int in network order (the first octet
 * in the high byte) and a port.
 */
public record SockAddrIn(int address, int port) implements SockAddr {
    public static final int INADDR_ANY = 0;

    public SockAddrIn {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    @Override public int family() { return AddressFamily.AF_INET; }

    /**
     * {@code previous} when it already is {@code address:port}, else a new address: how a receive fills in
     * {@code msg_name}, so a socket that keeps hearing from one peer through one {@link MsgHdr} allocates nothing per
     * datagram for its sender (an address is a value, so handing back an equal one changes nothing for the caller).
     */
    public static SockAddrIn sameOrNew(SockAddr previous, int address, int port) {
        return previous instanceof SockAddrIn a && a.address == address && a.port == port
                ? a : new SockAddrIn(address, port);
    }

    /** Parses dotted-quad {@code a.b.c.d}; IllegalArgumentException otherwise. */
    public static int parseAddress(String s) {
        String[] p = s.trim().split("\\.", -1);
        if (p.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + s);
        int v = 0;
        for (String part : p) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            int o = Integer.parseInt(part);
            if (o > 255) throw new IllegalArgumentException("not an IPv4 address: " + s);
            v = (v << 8) | o;
        }
        return v;
    }

    public static String formatAddress(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    @Override
    public String toString() { return formatAddress(address) + ":" + port; }
}
