package io.inet4j.tcp.wire;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.wire.InetChecksum;
import io.inet4j.socket.IpProto;

/**
 * Wire view of the TCP header ({@code struct tcphdr}, RFC 9293 §3.1). Static accessors at a header offset in a
 * {@link PacketBuffer}; field offsets live here and nowhere else. Check the length once with
 * {@link #lengthValid} (what {@code tcp_v4_rcv} does before it trusts {@code doff}), then read freely.
 */
public final class TcpHeader {
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 60;

    /** The flag bits of byte 13, as {@code TCPHDR_FIN} ... {@code TCPHDR_CWR} in include/net/tcp.h. */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private static final int SOURCE = 0;
    private static final int DEST = 2;
    private static final int SEQ = 4;
    private static final int ACK_SEQ = 8;
    private static final int DOFF = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECK = 16;
    /** Where the checksum field sits in the header ({@code offsetof(struct tcphdr, check)}). */
    public static final int CHECK_OFFSET = CHECK;
    private static final int URG_PTR = 18;

    private TcpHeader() {}

    /**
     * True when a segment of {@code segmentLength} bytes at {@code at} holds a whole header: at least 20 bytes,
     * {@code doff >= 5} and {@code doff * 4 <= segmentLength}. The receive path drops (and counts) anything else.
     */
    public static boolean lengthValid(PacketBuffer b, int at, int segmentLength) {
        if (segmentLength < MIN_LENGTH) return false;
        int hl = headerLength(b, at);
        return hl >= MIN_LENGTH && hl <= segmentLength;
    }

    public static int sourcePort(PacketBuffer b, int at) { return b.getShort(at + SOURCE); }
    public static int destPort(PacketBuffer b, int at) { return b.getShort(at + DEST); }
    public static int seq(PacketBuffer b, int at) { return b.getInt(at + SEQ); }
    public static int ackSeq(PacketBuffer b, int at) { return b.getInt(at + ACK_SEQ); }
    /** Data offset in 32-bit words ({@code th->doff}). */
    public static int dataOffset(PacketBuffer b, int at) { return b.getByte(at + DOFF) >>> 4; }
    /** Header length in bytes, options included ({@code doff * 4}). */
    public static int headerLength(PacketBuffer b, int at) { return dataOffset(b, at) * 4; }
    /** The eight flag bits (CWR ECE URG ACK PSH RST SYN FIN), the {@code tcp_flags} byte. */
    public static int flags(PacketBuffer b, int at) { return b.getByte(at + FLAGS); }
    public static boolean hasFlags(PacketBuffer b, int at, int mask) { return (flags(b, at) & mask) == mask; }
    public static int window(PacketBuffer b, int at) { return b.getShort(at + WINDOW); }
    public static int checksum(PacketBuffer b, int at) { return b.getShort(at + CHECK); }
    public static int urgentPointer(PacketBuffer b, int at) { return b.getShort(at + URG_PTR); }

    /**
     * The sequence number after this segment: seq + payload + one each for SYN and FIN
     * ({@code TCP_SKB_CB(skb)->end_seq}).
     */
    public static int endSeq(PacketBuffer b, int at, int payloadLength) {
        int f = flags(b, at);
        return seq(b, at) + payloadLength + ((f & SYN) != 0 ? 1 : 0) + ((f & FIN) != 0 ? 1 : 0);
    }

    public static void setSourcePort(PacketBuffer b, int at, int v) { b.setShort(at + SOURCE, v); }
    public static void setDestPort(PacketBuffer b, int at, int v) { b.setShort(at + DEST, v); }
    public static void setSeq(PacketBuffer b, int at, int v) { b.setInt(at + SEQ, v); }
    public static void setAckSeq(PacketBuffer b, int at, int v) { b.setInt(at + ACK_SEQ, v); }
    public static void setFlags(PacketBuffer b, int at, int v) { b.setByte(at + FLAGS, v); }
    public static void setWindow(PacketBuffer b, int at, int v) { b.setShort(at + WINDOW, v); }
    public static void setChecksum(PacketBuffer b, int at, int v) { b.setShort(at + CHECK, v); }
    public static void setUrgentPointer(PacketBuffer b, int at, int v) { b.setShort(at + URG_PTR, v); }

    /**
     * Writes the fixed 20 bytes of a header whose options (if any) take {@code headerLength - 20} bytes after it,
     * as {@code __tcp_transmit_skb} fills {@code struct tcphdr}. The checksum is left zero: fill it with
     * {@link #updateChecksum} once the options and payload are in place.
     */
    public static void write(PacketBuffer b, int at, int sourcePort, int destPort, int seq, int ackSeq,
                             int headerLength, int flags, int window, int urgentPointer) {
        if (headerLength < MIN_LENGTH || headerLength > MAX_LENGTH || (headerLength & 3) != 0) {
            throw new IllegalArgumentException("TCP header length " + headerLength);
        }
        b.setShort(at + SOURCE, sourcePort);
        b.setShort(at + DEST, destPort);
        b.setInt(at + SEQ, seq);
        b.setInt(at + ACK_SEQ, ackSeq);
        b.setByte(at + DOFF, (headerLength / 4) << 4);
        b.setByte(at + FLAGS, flags);
        b.setShort(at + WINDOW, window);
        b.setShort(at + CHECK, 0);
        b.setShort(at + URG_PTR, urgentPointer);
    }

    /**
     * The checksum of the {@code length}-byte segment (header and payload) at {@code at} under the IPv4
     * pseudo-header ({@code tcp_v4_check}). Over a segment whose checksum field is filled, a correct one gives 0.
     */
    public static int computeChecksum(PacketBuffer b, int at, int length, int saddr, int daddr) {
        return InetChecksum.fold(InetChecksum.partial(b, at, length,
                InetChecksum.pseudoHeader(saddr, daddr, IpProto.IPPROTO_TCP, length)));
    }

    /** True when the segment's checksum is right ({@code tcp_checksum_complete} returning false). */
    public static boolean verifyChecksum(PacketBuffer b, int at, int length, int saddr, int daddr) {
        return computeChecksum(b, at, length, saddr, daddr) == 0;
    }

    /** Fills the checksum field of a finished segment ({@code __tcp_v4_send_check} without offload). */
    public static void updateChecksum(PacketBuffer b, int at, int length, int saddr, int daddr) {
        b.setShort(at + CHECK, 0);
        b.setShort(at + CHECK, computeChecksum(b, at, length, saddr, daddr));
    }

    /**
     * Puts only the folded pseudo-header sum in the checksum field, for a device that completes the checksum
     * (CHECKSUM_PARTIAL: {@code th->check = ~tcp_v4_check(len, saddr, daddr, 0)}; virtio_net_hdr NEEDS_CSUM).
     */
    public static void setPseudoHeaderChecksum(PacketBuffer b, int at, int length, int saddr, int daddr) {
        int folded = InetChecksum.fold(InetChecksum.pseudoHeader(saddr, daddr, IpProto.IPPROTO_TCP, length));
        b.setShort(at + CHECK, ~folded & 0xffff);
    }
}
