package io.inet4j.ipv4.wire;

import io.inet4j.buffer.PacketBuffer;

/**
 * Wire view of the IPv4 header ({@code struct iphdr}, RFC 791). Static accessors at a header offset in a
 * {@link PacketBuffer}; field offsets live here and nowhere else. Input validation is {@code ip_rcv}'s job: read
 * fields only after it has checked the length.
 */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 60;
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int OFFSET_MASK = 0x1fff;
    public static final int DEFAULT_TTL = 64;

    private static final int VER_IHL = 0;
    private static final int TOS = 1;
    private static final int TOT_LEN = 2;
    private static final int ID = 4;
    private static final int FRAG_OFF = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECK = 10;
    private static final int SADDR = 12;
    private static final int DADDR = 16;

    private Ipv4Header() {}

    public static int version(PacketBuffer b, int at) { return b.getByte(at + VER_IHL) >>> 4; }
    /** Header length in bytes (IHL * 4). */
    public static int headerLength(PacketBuffer b, int at) { return (b.getByte(at + VER_IHL) & 0x0f) * 4; }
    public static int tos(PacketBuffer b, int at) { return b.getByte(at + TOS); }
    public static int totalLength(PacketBuffer b, int at) { return b.getShort(at + TOT_LEN); }
    public static int id(PacketBuffer b, int at) { return b.getShort(at + ID); }
    /** Flags and fragment offset as on the wire. */
    public static int fragOff(PacketBuffer b, int at) { return b.getShort(at + FRAG_OFF); }
    /** Fragment offset in bytes. */
    public static int fragOffsetBytes(PacketBuffer b, int at) { return (fragOff(b, at) & OFFSET_MASK) * 8; }
    public static boolean moreFragments(PacketBuffer b, int at) { return (fragOff(b, at) & FLAG_MF) != 0; }
    public static boolean dontFragment(PacketBuffer b, int at) { return (fragOff(b, at) & FLAG_DF) != 0; }
    /** True for any fragment: MF set or a non-zero offset ({@code ip_is_fragment}). */
    public static boolean isFragment(PacketBuffer b, int at) { return (fragOff(b, at) & (FLAG_MF | OFFSET_MASK)) != 0; }
    public static int ttl(PacketBuffer b, int at) { return b.getByte(at + TTL); }
    public static int protocol(PacketBuffer b, int at) { return b.getByte(at + PROTOCOL); }
    public static int checksum(PacketBuffer b, int at) { return b.getShort(at + CHECK); }
    public static int saddr(PacketBuffer b, int at) { return b.getInt(at + SADDR); }
    public static int daddr(PacketBuffer b, int at) { return b.getInt(at + DADDR); }

    public static void setTotalLength(PacketBuffer b, int at, int v) { b.setShort(at + TOT_LEN, v); }
    public static void setId(PacketBuffer b, int at, int v) { b.setShort(at + ID, v); }
    public static void setFragOff(PacketBuffer b, int at, int v) { b.setShort(at + FRAG_OFF, v); }
    public static void setTtl(PacketBuffer b, int at, int v) { b.setByte(at + TTL, v); }
    public static void setSaddr(PacketBuffer b, int at, int v) { b.setInt(at + SADDR, v); }
    public static void setDaddr(PacketBuffer b, int at, int v) { b.setInt(at + DADDR, v); }

    /** Writes a 20-byte header without options at {@code at}, checksum included. */
    public static void write(PacketBuffer b, int at, int tos, int totalLength, int id, int fragOff, int ttl,
                             int protocol, int saddr, int daddr) {
        b.setByte(at + VER_IHL, 0x45);
        b.setByte(at + TOS, tos);
        b.setShort(at + TOT_LEN, totalLength);
        b.setShort(at + ID, id);
        b.setShort(at + FRAG_OFF, fragOff);
        b.setByte(at + TTL, ttl);
        b.setByte(at + PROTOCOL, protocol);
        b.setInt(at + SADDR, saddr);
        b.setInt(at + DADDR, daddr);
        updateChecksum(b, at);
    }

    /** ip_send_check: recomputes the header checksum after a field changed. */
    public static void updateChecksum(PacketBuffer b, int at) {
        b.setShort(at + CHECK, 0);
        b.setShort(at + CHECK, InetChecksum.compute(b, at, headerLength(b, at)));
    }
}
