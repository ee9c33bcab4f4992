package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;

/** Builds Ethernet frames for the netdev tests. */
final class Frames {
    static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:0b");

    private Frames() {}

    /** A frame {@code dst <- src} of {@code etherType} whose payload is {@code payloadLen} bytes counting up from {@code first}. */
    static PacketBuffer ethernet(PacketBufferPool pool, MacAddress dst, MacAddress src, int etherType, int payloadLen,
                                 int first) {
        PacketBuffer b = pool.allocate(payloadLen);
        int at = b.put(payloadLen);
        for (int i = 0; i < payloadLen; i++) b.setByte(at + i, first + i);
        EthernetHeader.push(b, dst.bits(), src.bits(), etherType);
        return b;
    }

    /** A frame of {@code len} raw bytes (no header), each {@code fill}. */
    static PacketBuffer raw(PacketBufferPool pool, int len, int fill) {
        PacketBuffer b = pool.allocate(len);
        int at = b.put(len);
        for (int i = 0; i < len; i++) b.setByte(at + i, fill);
        return b;
    }
}
