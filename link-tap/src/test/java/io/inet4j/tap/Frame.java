package io.inet4j.tap;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.MacAddress;
import java.nio.ByteBuffer;

/** A received Ethernet frame as bytes, with the few ARP readers the tests need, and an ARP request builder. */
record Frame(byte[] bytes) {
    static final int ARP_REQUEST = 1;
    static final int ARP_REPLY = 2;
    private static final int ARP_LENGTH = 28;

    /** "who has {@code targetIp}, tell {@code senderIp}" from {@code sender}, broadcast (RFC 826). */
    static PacketBuffer arpRequest(PacketBufferPool pool, MacAddress sender, int senderIp, int targetIp) {
        PacketBuffer b = pool.allocate(ARP_LENGTH);
        int at = b.put(ARP_LENGTH);
        b.setShort(at, 1); // hardware: Ethernet
        b.setShort(at + 2, EthernetHeader.ETH_P_IP);
        b.setByte(at + 4, 6);
        b.setByte(at + 5, 4);
        b.setShort(at + 6, ARP_REQUEST);
        b.setShort(at + 8, (int) (sender.bits() >>> 32));
        b.setInt(at + 10, (int) sender.bits());
        b.setInt(at + 14, senderIp);
        b.setInt(at + 24, targetIp); // target hardware address stays zero
        EthernetHeader.push(b, MacAddress.BROADCAST.bits(), sender.bits(), EthernetHeader.ETH_P_ARP);
        return b;
    }

    static int ipv4(int a, int b, int c, int d) { return a << 24 | b << 16 | c << 8 | d; }

    int length() { return bytes.length; }
    MacAddress destination() { return mac(0); }
    int etherType() { return u16(12); }
    boolean isArp() { return length() >= 14 + ARP_LENGTH && etherType() == EthernetHeader.ETH_P_ARP; }
    int arpOp() { return u16(20); }
    MacAddress arpSenderMac() { return mac(22); }
    int arpSenderIp() { return ByteBuffer.wrap(bytes).getInt(28); }
    MacAddress arpTargetMac() { return mac(32); }
    int arpTargetIp() { return ByteBuffer.wrap(bytes).getInt(38); }

    private int u16(int at) { return ByteBuffer.wrap(bytes).getShort(at) & 0xffff; }

    private MacAddress mac(int at) {
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        return new MacAddress(((long) (bb.getShort(at) & 0xffff) << 32) | (bb.getInt(at + 2) & 0xffff_ffffL));
    }
}
