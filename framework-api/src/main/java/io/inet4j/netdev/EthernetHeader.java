package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;

/**
 * Wire view of an Ethernet II header ({@code struct ethhdr}): destination, source, EtherType. Static accessors
 * over a {@link PacketBuffer} at a header offset; the caller checks the length first.
 */
public final class EthernetHeader {
    public static final int LENGTH = 14;
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;

    private static final int DST = 0;
    private static final int SRC = 6;
    private static final int TYPE = 12;

    private EthernetHeader() {}

    public static long destination(PacketBuffer b, int at) { return mac(b, at + DST); }
    public static long source(PacketBuffer b, int at) { return mac(b, at + SRC); }
    public static int etherType(PacketBuffer b, int at) { return b.getShort(at + TYPE); }

    /** Pushes a header in front of the data; returns its offset (eth_header). */
    public static int push(PacketBuffer b, long dst, long src, int etherType) {
        int at = b.push(LENGTH);
        setMac(b, at + DST, dst);
        setMac(b, at + SRC, src);
        b.setShort(at + TYPE, etherType);
        b.setMacHeader(at);
        return at;
    }

    private static long mac(PacketBuffer b, int at) {
        return ((long) b.getShort(at) << 32) | (b.getInt(at + 2) & 0xffff_ffffL);
    }

    private static void setMac(PacketBuffer b, int at, long mac) {
        b.setShort(at, (int) (mac >>> 32));
        b.setInt(at + 2, (int) mac);
    }
}
