package io.inet4j.ipv4.wire;

import io.inet4j.buffer.PacketBuffer;

/** Wire view of the ICMP header ({@code struct icmphdr}, RFC 792) and its type and code numbers. */
public final class IcmpHeader {
    public static final int LENGTH = 8;

    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACH = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROB = 12;
    public static final int TIMESTAMP = 13;
    public static final int TIMESTAMP_REPLY = 14;
    public static final int NR_ICMP_TYPES = 18;

    /** DEST_UNREACH codes. */
    public static final int NET_UNREACH = 0;
    public static final int HOST_UNREACH = 1;
    public static final int PROT_UNREACH = 2;
    public static final int PORT_UNREACH = 3;
    public static final int FRAG_NEEDED = 4;
    /** TIME_EXCEEDED codes. */
    public static final int EXC_TTL = 0;
    public static final int EXC_FRAGTIME = 1;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECK = 2;
    private static final int ID = 4;
    private static final int SEQUENCE = 6;

    private IcmpHeader() {}

    public static int type(PacketBuffer b, int at) { return b.getByte(at + TYPE); }
    public static int code(PacketBuffer b, int at) { return b.getByte(at + CODE); }
    public static int checksum(PacketBuffer b, int at) { return b.getShort(at + CHECK); }
    /** Echo identifier. */
    public static int id(PacketBuffer b, int at) { return b.getShort(at + ID); }
    /** Echo sequence number. */
    public static int sequence(PacketBuffer b, int at) { return b.getShort(at + SEQUENCE); }
    /** The second word: unused, next-hop MTU for FRAG_NEEDED, pointer for PARAMETER_PROB, gateway for REDIRECT. */
    public static int rest(PacketBuffer b, int at) { return b.getInt(at + ID); }

    public static void setType(PacketBuffer b, int at, int v) { b.setByte(at + TYPE, v); }
    public static void setCode(PacketBuffer b, int at, int v) { b.setByte(at + CODE, v); }
    public static void setId(PacketBuffer b, int at, int v) { b.setShort(at + ID, v); }
    public static void setSequence(PacketBuffer b, int at, int v) { b.setShort(at + SEQUENCE, v); }
    public static void setRest(PacketBuffer b, int at, int v) { b.setInt(at + ID, v); }

    /** Computes the checksum over the ICMP message of {@code len} bytes at {@code at}. */
    public static void updateChecksum(PacketBuffer b, int at, int len) {
        b.setShort(at + CHECK, 0);
        b.setShort(at + CHECK, InetChecksum.compute(b, at, len));
    }

    /** True for the error types that quote the offending datagram ({@code icmp_is_err}). */
    public static boolean isError(int type) {
        return type == DEST_UNREACH || type == SOURCE_QUENCH || type == REDIRECT || type == TIME_EXCEEDED
                || type == PARAMETER_PROB;
    }
}
