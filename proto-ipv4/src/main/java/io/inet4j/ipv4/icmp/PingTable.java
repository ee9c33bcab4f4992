package io.inet4j.ipv4.icmp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.net.Net;
import io.inet4j.socket.Errno;
import java.util.HashMap;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The ping socket hash ({@code ping_table} in {@code net/ipv4/ping.c}): echo identifiers to sockets, so echo
 * replies and the errors quoting our echo requests reach the socket that sent them.
 */
@Singleton
public final class PingTable {
    private final Net net;
    private final Map<Integer, PingSock> byIdent = new HashMap<>();
    private int rover = 1;

    @Inject
    public PingTable(Net net) { this.net = net; }

    /** ping_get_port: reserves {@code ident} (0 = pick a free one); {@code -EADDRINUSE} when taken. */
    int getPort(PingSock sk, int ident) {
        if (ident == 0) {
            for (int i = 0; i < 65535; i++) {
                int candidate = rover;
                rover = rover == 65535 ? 1 : rover + 1;
                if (!byIdent.containsKey(candidate)) {
                    ident = candidate;
                    break;
                }
            }
            if (ident == 0) return Errno.EADDRINUSE.neg();
        } else if (byIdent.containsKey(ident)) {
            return Errno.EADDRINUSE.neg();
        }
        sk.num = ident;
        byIdent.put(ident, sk);
        return 0;
    }

    void unhash(PingSock sk) {
        if (sk.num != 0 && byIdent.get(sk.num) == sk) byIdent.remove(sk.num);
        sk.num = 0;
    }

    /** ping_rcv: an echo reply (data at the ICMP header) for the socket owning its identifier. Takes ownership. */
    void rcv(PacketBuffer b) {
        PingSock sk = byIdent.get(IcmpHeader.id(b, b.data()));
        int daddr = Ipv4Header.daddr(b, b.networkHeader());
        if (sk == null || (sk.rcvSaddr != 0 && sk.rcvSaddr != daddr)) {
            b.release();
            return;
        }
        sk.queueRcv(b);
    }

    /** ping_err: the ICMP error quoting our echo request at {@code inner} goes to its socket. */
    void err(PacketBuffer b, int inner, int ihl, int type, int code) {
        PingSock sk = byIdent.get(b.getShort(inner + ihl + 4));
        if (sk != null) sk.icmpError(Ipv4Header.daddr(b, inner), type, code, net.loop().clock().nanoTime());
    }
}
