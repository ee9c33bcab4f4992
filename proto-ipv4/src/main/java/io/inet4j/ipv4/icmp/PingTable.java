package io.inet4j.ipv4.icmp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.DatagramPorts;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.net.Net;

/**
 * The ping socket hash ({@code ping_table} in {@code net/ipv4/ping.c}): echo identifiers to sockets, so echo
 * replies and the errors quoting our echo requests reach the socket that sent them.
 */
public final class PingTable {
    private final Net net;
    private final DatagramPorts<PingSock> byIdent = new DatagramPorts<>(1, 0xffff);

    private PingTable(Net net) { this.net = net; }

    /** The stack's ping table, made on first use by the socket side or the receive side. */
    static PingTable of(InetContext ctx) { return ctx.generic(PingTable.class, c -> new PingTable(c.net())); }

    /** ping_get_port: reserves {@code ident} (0 = pick a free one); {@code -EADDRINUSE} when taken. */
    int getPort(PingSock sk, int ident) { return byIdent.getPort(sk, ident); }

    void unhash(PingSock sk) { byIdent.unhash(sk); }

    /** ping_rcv: an echo reply (data at the ICMP header) for the socket owning its identifier. Takes ownership. */
    void rcv(PacketBuffer b) {
        PingSock sk = byIdent.lookup(IcmpHeader.id(b, b.data()));
        int daddr = Ipv4Header.daddr(b, b.networkHeader());
        if (sk == null || (sk.rcvSaddr != 0 && sk.rcvSaddr != daddr)) {
            b.release();
            return;
        }
        sk.queueRcv(b);
    }

    /** ping_err: the ICMP error quoting our echo request at {@code inner} goes to its socket. */
    void err(PacketBuffer b, int inner, int ihl, int type, int code) {
        PingSock sk = byIdent.lookup(b.getShort(inner + ihl + 4));
        if (sk != null) sk.icmpError(Ipv4Header.daddr(b, inner), type, code, net.loop().clock().nanoTime());
    }
}
