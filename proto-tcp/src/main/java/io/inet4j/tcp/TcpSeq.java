package io.inet4j.tcp;

/**
 * Sequence-space arithmetic modulo 2^32: {@code before()}, {@code after()} and {@code between()} from
 * include/net/tcp.h. Sequence numbers are plain ints whose bits are the unsigned 32-bit value; comparisons hold
 * while the two numbers are less than 2^31 apart.
 */
public final class TcpSeq {
    private TcpSeq() {}

    /** {@code seq1} comes before {@code seq2}. */
    public static boolean before(int seq1, int seq2) { return seq1 - seq2 < 0; }

    /** {@code seq1} comes after {@code seq2}. */
    public static boolean after(int seq1, int seq2) { return before(seq2, seq1); }

    /** {@code seq2 <= seq1 <= seq3}, walking forward from {@code seq2} (Linux's argument order). */
    public static boolean between(int seq1, int seq2, int seq3) {
        return Integer.compareUnsigned(seq3 - seq2, seq1 - seq2) >= 0;
    }
}
