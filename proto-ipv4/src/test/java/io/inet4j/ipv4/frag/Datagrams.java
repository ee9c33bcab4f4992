package io.inet4j.ipv4.frag;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.wire.InetChecksum;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.socket.SockAddrIn;
import java.util.Random;

/** Builds IPv4 datagrams and hand-made fragments for the fragmentation tests. */
final class Datagrams {
    static final int SADDR = SockAddrIn.parseAddress("10.0.0.1");
    static final int DADDR = SockAddrIn.parseAddress("10.0.0.2");
    static final int UDP = 17;

    private Datagrams() {}

    static byte[] payload(Random rnd, int len) {
        byte[] b = new byte[len];
        rnd.nextBytes(b);
        return b;
    }

    /** A whole datagram with {@code options} (a multiple of 4 bytes) and {@code payload}, in a pooled buffer. */
    static PacketBuffer datagram(PacketBufferPool pool, int id, byte[] options, byte[] payload, int fragOff) {
        int hlen = Ipv4Header.MIN_LENGTH + options.length;
        PacketBuffer b = pool.allocate(hlen + payload.length);
        int at = b.put(hlen + payload.length);
        Ipv4Header.write(b, at, 0, hlen + payload.length, id, fragOff, 64, UDP, SADDR, DADDR);
        b.setByte(at, 0x40 | hlen >>> 2);
        b.write(at + Ipv4Header.MIN_LENGTH, options, 0, options.length);
        b.write(at + hlen, payload, 0, payload.length);
        Ipv4Header.updateChecksum(b, at);
        b.setNetworkHeader(at);
        return b;
    }

    /** A fragment without options carrying {@code payload[from, from + len)} at datagram offset {@code from}. */
    static PacketBuffer fragment(PacketBufferPool pool, int id, byte[] payload, int from, int len, boolean mf) {
        PacketBuffer b = pool.allocate(Ipv4Header.MIN_LENGTH + len);
        int at = b.put(Ipv4Header.MIN_LENGTH + len);
        Ipv4Header.write(b, at, 0, Ipv4Header.MIN_LENGTH + len, id, (from >>> 3) | (mf ? Ipv4Header.FLAG_MF : 0),
                64, UDP, SADDR, DADDR);
        b.write(at + Ipv4Header.MIN_LENGTH, payload, from, len);
        return b;
    }

    static byte[] bytes(PacketBuffer b) {
        byte[] out = new byte[b.length()];
        b.read(b.data(), out, 0, out.length);
        return out;
    }

    static boolean checksumOk(PacketBuffer b) {
        return InetChecksum.compute(b, b.data(), Ipv4Header.headerLength(b, b.data())) == 0;
    }
}
