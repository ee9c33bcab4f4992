package io.inet4j.ipv4.ip;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.wire.InetChecksum;
import io.inet4j.ipv4.wire.Ipv4Header;
import java.util.function.Consumer;

/**
 * Software segmentation of a TCP super-segment ({@code tcp4_gso_segment} and {@code tcp_gso_segment} in
 * {@code net/ipv4/tcp_offload.c}): what a device without TSO needs when a GSO packet reaches it, which happens when
 * the stack forwards what a TSO link handed it, or when TCP built one for a route that changed since. Each piece
 * gets the IP and TCP headers, its own sequence number, IP ID and length, and full checksums; CWR stays on the
 * first piece, PSH and FIN go to the last.
 */
final class TcpOffload {
    private static final int TCP_SEQ = 4;
    private static final int TCP_DOFF = 12;
    private static final int TCP_FLAGS = 13;
    private static final int TCP_CHECK = 16;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private TcpOffload() {}

    /** The length of the TCP header at {@code th}, options included (doff). */
    static int headerLength(PacketBuffer b, int th) { return (b.getByte(th + TCP_DOFF) >>> 4) * 4; }

    /**
     * Cuts {@code b} (data at its IPv4 header, a TCP segment with {@code gso_size} set) into {@code gso_size}-byte
     * segments, hands each to {@code out} and releases {@code b}. Returns the number of segments made.
     */
    static int segment(PacketBufferPool pool, PacketBuffer b, Consumer<PacketBuffer> out) {
        int ip = b.data();
        int ihl = Ipv4Header.headerLength(b, ip);
        int th = ip + ihl;
        int thl = headerLength(b, th);
        int hdrs = ihl + thl;
        int payload = th + thl;
        int total = b.data() + b.length() - payload;
        int mss = b.gsoSize();
        int seq = b.getInt(th + TCP_SEQ);
        int flags = b.getByte(th + TCP_FLAGS);
        int id = Ipv4Header.id(b, ip);
        int saddr = Ipv4Header.saddr(b, ip);
        int daddr = Ipv4Header.daddr(b, ip);
        int n = 0;
        try {
            for (int off = 0; off < total; off += mss, n++) {
                int len = Math.min(mss, total - off);
                boolean last = off + len == total;
                PacketBuffer s = pool.allocate(hdrs + len);
                int at = s.put(hdrs + len);
                s.copyFrom(b, ip, at, hdrs);
                b.copyBits(payload - ip + off, s, at + hdrs, len); // from the fragments, if any
                s.setNetworkHeader(at);
                s.setTransportHeader(at + ihl);
                s.setIfindex(b.ifindex());
                Ipv4Header.setTotalLength(s, at, hdrs + len);
                Ipv4Header.setId(s, at, (id + n) & 0xffff);
                Ipv4Header.updateChecksum(s, at);
                int t = at + ihl;
                s.setInt(t + TCP_SEQ, seq + off);
                s.setByte(t + TCP_FLAGS, flags & ~(last ? 0 : FIN | PSH) & ~(n == 0 ? 0 : CWR));
                s.setShort(t + TCP_CHECK, 0);
                s.setShort(t + TCP_CHECK, InetChecksum.fold(InetChecksum.partial(s, t, thl + len,
                        InetChecksum.pseudoHeader(saddr, daddr, Ipv4Header.protocol(s, at), thl + len))));
                out.accept(s);
            }
        } finally {
            b.release();
        }
        return n;
    }
}
