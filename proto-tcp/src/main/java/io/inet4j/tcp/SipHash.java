package io.inet4j.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012), the keyed hash behind Linux's {@code secure_tcp_seq()},
 * {@code secure_ipv4_port_ephemeral()} and SYN cookies ({@code lib/siphash.c}). Fed as 64-bit little-endian
 * words: {@link #init}, {@link #compress} for each whole 8-byte word, then {@link #finish} with the last 0 to 7
 * bytes. Reusable and allocation-free, hence stateful: one instance per thread.
 */
public final class SipHash {
    private long v0;
    private long v1;
    private long v2;
    private long v3;

    /** Starts a hash under the 128-bit key {@code k0 || k1} (key bytes 0-7 and 8-15, little-endian). */
    public SipHash init(long k0, long k1) {
        v0 = k0 ^ 0x736f6d6570736575L;
        v1 = k1 ^ 0x646f72616e646f6dL;
        v2 = k0 ^ 0x6c7967656e657261L;
        v3 = k1 ^ 0x7465646279746573L;
        return this;
    }

    /** Absorbs one whole 8-byte message word (bytes in little-endian order). */
    public SipHash compress(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
        return this;
    }

    /**
     * Absorbs the final word, built by {@link #lastWord}, and returns the 64-bit hash (whose little-endian bytes
     * are the reference implementation's output).
     */
    public long finish(long lastWord) {
        compress(lastWord);
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** The final word: the message's last {@code length % 8} bytes (little-endian) under its length in the top byte. */
    public static long lastWord(long tailBytes, int length) {
        return (long) length << 56 | tailBytes;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}
