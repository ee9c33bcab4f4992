package io.inet4j.tcp.wire;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import java.util.HexFormat;

/** Test helper: packets from and to hex (white space ignored). */
final class Hex {
    private static final PacketBufferPool POOL = new PacketBufferPool(2048, 64);

    private Hex() {}

    /** A buffer holding {@code hex} as its data, after the pool's headroom. */
    static PacketBuffer buffer(String hex) {
        byte[] bytes = bytes(hex);
        PacketBuffer b = POOL.allocate(bytes.length);
        b.write(b.put(bytes.length), bytes, 0, bytes.length);
        return b;
    }

    /** An empty-looking buffer with {@code len} zero bytes of data. */
    static PacketBuffer zeros(int len) {
        return buffer("00".repeat(len));
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String hex(PacketBuffer b, int at, int len) {
        byte[] out = new byte[len];
        b.read(at, out, 0, len);
        return HexFormat.of().formatHex(out);
    }
}
