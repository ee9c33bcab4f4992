package io.inet4j.ipv4.hash;

/**
 * A set of the 65536 port numbers, one bit each (8 KB), whose search walks one parity only: the port scans of
 * {@code inet_csk_find_open_port} and {@code __inet_hash_connect} step by two, so "the next port of this
 * parity not in the set" is one masked word scan per 32 ports instead of one probe per port.
 */
final class PortBitmap {
    /** Bits of odd ports within a word (bit {@code i} is port {@code 64 * w + i}, and 64 is even). */
    private static final long ODD_BITS = 0xAAAA_AAAA_AAAA_AAAAL;

    private final long[] words = new long[65536 / 64];

    void set(int port) { words[port >>> 6] |= 1L << port; }

    void clear(int port) { words[port >>> 6] &= ~(1L << port); }

    /**
     * The first port {@code p} in {@code [from, to)} with the parity of {@code from} that is not in the set, or
     * {@code to} (or more) when there is none.
     */
    int nextClear(int from, int to) {
        if (from >= to) return to;
        long otherParity = (from & 1) == 0 ? ODD_BITS : ~ODD_BITS;
        int w = from >>> 6;
        int lastWord = (to - 1) >>> 6;
        long free = ~(words[w] | otherParity) & (-1L << from);
        while (free == 0) {
            if (++w > lastWord) return to;
            free = ~(words[w] | otherParity);
        }
        return Math.min(to, (w << 6) + Long.numberOfTrailingZeros(free));
    }

    /** Copies the ports of the set into {@code out} (large enough), in ascending order; returns how many. */
    int toArray(int[] out) {
        int n = 0;
        for (int w = 0; w < words.length; w++) {
            for (long bits = words[w]; bits != 0; bits &= bits - 1) out[n++] = (w << 6) + Long.numberOfTrailingZeros(bits);
        }
        return n;
    }
}
