package io.inet4j.ipv4.wire;

import io.inet4j.buffer.PacketBuffer;

/** Wire view of an Ethernet/IPv4 ARP packet ({@code struct arphdr} plus its addresses, RFC 826): 28 bytes. */
public final class ArpHeader {
    public static final int LENGTH = 28;
    public static final int HTYPE_ETHER = 1;
    public static final int PTYPE_IP = 0x0800;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private static final int HTYPE = 0;
    private static final int PTYPE = 2;
    private static final int HLEN = 4;
    private static final int PLEN = 5;
    private static final int OPER = 6;
    private static final int SHA = 8;
    private static final int SPA = 14;
    private static final int THA = 18;
    private static final int TPA = 24;

    private ArpHeader() {}

    public static int htype(PacketBuffer b, int at) { return b.getShort(at + HTYPE); }
    public static int ptype(PacketBuffer b, int at) { return b.getShort(at + PTYPE); }
    public static int hlen(PacketBuffer b, int at) { return b.getByte(at + HLEN); }
    public static int plen(PacketBuffer b, int at) { return b.getByte(at + PLEN); }
    public static int oper(PacketBuffer b, int at) { return b.getShort(at + OPER); }
    public static long senderMac(PacketBuffer b, int at) { return mac(b, at + SHA); }
    public static int senderIp(PacketBuffer b, int at) { return b.getInt(at + SPA); }
    public static long targetMac(PacketBuffer b, int at) { return mac(b, at + THA); }
    public static int targetIp(PacketBuffer b, int at) { return b.getInt(at + TPA); }

    /** Writes an Ethernet/IPv4 ARP packet of the given operation at {@code at}. */
    public static void write(PacketBuffer b, int at, int oper, long sha, int spa, long tha, int tpa) {
        b.setShort(at + HTYPE, HTYPE_ETHER);
        b.setShort(at + PTYPE, PTYPE_IP);
        b.setByte(at + HLEN, 6);
        b.setByte(at + PLEN, 4);
        b.setShort(at + OPER, oper);
        setMac(b, at + SHA, sha);
        b.setInt(at + SPA, spa);
        setMac(b, at + THA, tha);
        b.setInt(at + TPA, tpa);
    }

    private static long mac(PacketBuffer b, int at) {
        return ((long) b.getShort(at) << 32) | (b.getInt(at + 2) & 0xffff_ffffL);
    }

    private static void setMac(PacketBuffer b, int at, long mac) {
        b.setShort(at, (int) (mac >>> 32));
        b.setInt(at + 2, (int) mac);
    }
}
