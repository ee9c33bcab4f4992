package io.inet4j.tcp;

/**
 * Sequence-space arithmetic modulo 2^32: {@code before()}, {@code after()} and {@code between()} from
 * include/net/tcp.h, and the RFC 9293 §3.10.7.4 segment acceptability test. Sequence numbers are plain ints
 * whose bits are the unsigned 32-bit value; comparisons hold while the two numbers are less than 2^31 apart.
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

    /**
     * RFC 9293 §3.10.7.4: may a segment starting at {@code segSeq} and occupying {@code segLen} sequence numbers
     * (payload plus one each for SYN and FIN) be accepted by a receiver at {@code rcvNxt} offering
     * {@code rcvWnd}?
     *
     * <pre>{@code
     * SEG.LEN  RCV.WND  test
     *    0        0     SEG.SEQ = RCV.NXT
     *    0       >0     RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
     *   >0        0     not acceptable
     *   >0       >0     RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
     *                   or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
     * }</pre>
     *
     * Linux's {@code tcp_sequence()} is looser (it measures from {@code rcv_wup}, the last window edge it
     * advertised, and lets a zero-window probe's sequence number through); this is the RFC's table, for the
     * slow path and for tests that want the textbook answer.
     */
    public static boolean acceptable(int segSeq, int segLen, int rcvNxt, int rcvWnd) {
        if (rcvWnd == 0) return segLen == 0 && segSeq == rcvNxt;
        if (inWindow(segSeq, rcvNxt, rcvWnd)) return true;
        return segLen > 0 && inWindow(segSeq + segLen - 1, rcvNxt, rcvWnd);
    }

    private static boolean inWindow(int seq, int rcvNxt, int rcvWnd) {
        return !before(seq, rcvNxt) && before(seq, rcvNxt + rcvWnd);
    }
}
