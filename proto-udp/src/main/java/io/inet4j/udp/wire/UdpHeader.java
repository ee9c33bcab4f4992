package io.inet4j.udp.wire;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.wire.InetChecksum;
import io.inet4j.socket.IpProto;

/**
 * Wire view of the UDP header ({@code struct udphdr}, RFC 768), smoltcp-style: static accessors over a buffer
 * offset to parse, {@link #emit} to write one with its checksum. Ports and lengths are unsigned host-order ints.
 */
public final class UdpHeader {
    public static final int LENGTH = 8;
    /** The largest payload one IPv4 datagram can carry: 65535 - 20 (IP) - 8 (UDP). */
    public static final int MAX_PAYLOAD = 0xffff - 20 - LENGTH;

    private static final int SOURCE = 0;
    private static final int DEST = 2;
    private static final int LEN = 4;
    private static final int CHECK = 6;

    private UdpHeader() {}

    public static int source(PacketBuffer b, int at) { return b.getShort(at + SOURCE); }
    public static int dest(PacketBuffer b, int at) { return b.getShort(at + DEST); }
    /** The length field: header plus payload. */
    public static int length(PacketBuffer b, int at) { return b.getShort(at + LEN); }
    public static int checksum(PacketBuffer b, int at) { return b.getShort(at + CHECK); }

    /**
     * True when the checksum of the {@code len}-byte datagram at {@code at} holds over the pseudo-header, or is 0
     * (the sender computed none: {@code udp4_csum_init} accepts it, RFC 768).
     */
    public static boolean checksumOk(PacketBuffer b, int at, int len, int saddr, int daddr) {
        if (checksum(b, at) == 0) return true;
        long sum = InetChecksum.pseudoHeader(saddr, daddr, IpProto.IPPROTO_UDP, len);
        return InetChecksum.fold(InetChecksum.partial(b, at, len, sum)) == 0;
    }

    /**
     * Writes the header of a datagram of {@code len} bytes (header included) at {@code at}, payload already in
     * place, and its checksum ({@code udp4_hwcsum} done in software); a computed 0 goes out as 0xffff, since 0
     * would mean "no checksum" ({@code CSUM_MANGLED_0}).
     */
    public static void emit(PacketBuffer b, int at, int sport, int dport, int len, int saddr, int daddr) {
        b.setShort(at + SOURCE, sport);
        b.setShort(at + DEST, dport);
        b.setShort(at + LEN, len);
        b.setShort(at + CHECK, 0);
        long sum = InetChecksum.pseudoHeader(saddr, daddr, IpProto.IPPROTO_UDP, len);
        int check = InetChecksum.fold(InetChecksum.partial(b, at, len, sum));
        b.setShort(at + CHECK, check == 0 ? 0xffff : check);
    }
}
