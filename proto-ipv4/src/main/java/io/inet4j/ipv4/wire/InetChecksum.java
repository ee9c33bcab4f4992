package io.inet4j.ipv4.wire;

import io.inet4j.buffer.PacketBuffer;
import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): one's-complement sum of 16-bit words ({@code csum_partial},
 * {@code csum_fold}, {@code csum_tcpudp_magic} in the kernel). Partial sums are carried in a long so they can be
 * chained across pieces (pseudo-header, header, payload) and folded once.
 */
public final class InetChecksum {
    private InetChecksum() {}

    /**
     * Adds {@code len} bytes at absolute index {@code at} to {@code sum}; the piece must start at an even offset
     * of the checksummed whole unless it is the last piece. A range that runs past the linear part goes on into
     * the packet's fragments ({@code skb_checksum}), each added at its place in the whole.
     */
    public static long partial(PacketBuffer b, int at, int len, long sum) {
        int linear = b.tail() - at;
        if (len <= linear || b.nrFrags() == 0) return linear(b.buffer(), at, len, sum);
        sum = linear(b.buffer(), at, linear, sum);
        int done = linear;
        for (int i = 0; i < b.nrFrags() && done < len; i++) {
            int n = Math.min(b.fragLength(i), len - done);
            long piece = linear(b.fragBuffer(i).buffer(), b.fragOffset(i), n, 0);
            // csum_block_add: a piece at an odd offset has its bytes in the other halves of the 16-bit words.
            sum += (done & 1) == 0 ? piece : swap16(piece);
            done += n;
        }
        if (done < len) throw new IndexOutOfBoundsException("checksum of " + len + " bytes, packet has " + done);
        return sum;
    }

    private static long linear(ByteBuffer b, int at, int len, long sum) {
        int i = at;
        int end = at + len;
        while (end - i >= 4) {
            sum += b.getInt(i) & 0xffff_ffffL;
            i += 4;
        }
        if (end - i >= 2) {
            sum += b.getShort(i) & 0xffff;
            i += 2;
        }
        if (i < end) sum += (b.get(i) & 0xff) << 8;
        return sum;
    }

    /** A partial sum folded to 16 bits (not complemented) with its two bytes swapped. */
    private static long swap16(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (sum & 0xff) << 8 | sum >>> 8;
    }

    /** Folds a partial sum to 16 bits and complements it: the value to put in a checksum field. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    /**
     * skb_checksum_help: finishes a {@code CHECKSUM_PARTIAL} packet's transport checksum in software, for a device
     * that cannot (or a packet about to be cut into fragments). The field holds the pseudo-header sum already.
     */
    public static void completePartial(PacketBuffer b) {
        int start = b.csumStart();
        b.setShort(start + b.csumOffset(), fold(partial(b, start, b.data() + b.length() - start, 0)));
        b.setCsumNone();
    }

    /** The checksum of {@code len} bytes at {@code at}: 0 when verifying a region that includes its checksum. */
    public static int compute(PacketBuffer b, int at, int len) { return fold(partial(b, at, len, 0)); }

    /** The TCP/UDP pseudo-header's partial sum ({@code csum_tcpudp_nofold}). */
    public static long pseudoHeader(int saddr, int daddr, int protocol, int length) {
        return (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + protocol + length;
    }
}
