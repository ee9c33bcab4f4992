package io.inet4j.ipv4.hash;

/**
 * What an entry of the established hash (or of its per-destination index) is found by, read from the entry itself:
 * Linux's {@code sock_common} keeps {@code skc_addrpair} and {@code skc_portpair} side by side so that
 * {@code inet_match} compares each socket in an ehash chain with two loads, for full sockets and TIME_WAIT
 * minisockets alike. The table holds no keys of its own, and its probe loop makes one call per slot whatever the
 * entry's kind.
 */
public interface TupleKey {
    /** The addresses: local in the high 32 bits, remote in the low ({@code skc_addrpair}). */
    long hashAddrs();

    /** The ports: local in the high 16 bits, remote in the low ({@code skc_portpair}); a destination's remote port. */
    int hashPorts();

    /** Two addresses in one key word, as {@link #hashAddrs} holds them. */
    static long addrPair(int localAddr, int remoteAddr) {
        return (long) localAddr << 32 | (remoteAddr & 0xFFFF_FFFFL);
    }

    /** Two ports in one key word, as {@link #hashPorts} holds them. */
    static int portPair(int localPort, int remotePort) { return localPort << 16 | remotePort; }
}
