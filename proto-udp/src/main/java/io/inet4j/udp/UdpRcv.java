package io.inet4j.udp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.ipv4.icmp.Icmp;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.mib.IcmpMib;
import io.inet4j.mib.MibCounters;
import io.inet4j.mib.UdpMib;
import io.inet4j.protocol.NetProtocol;
import io.inet4j.protocol.NetProtocolHandler;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.udp.wire.UdpHeader;

/**
 * UDP's receive side ({@code udp_protocol}: {@code udp_rcv} and {@code udp_err} in {@code net/ipv4/udp.c}).
 * Datagrams are checked (length, checksum: bad ones dropped and counted), then queued on the socket
 * {@link UdpTable#lookup} finds; with none, {@code NoPorts} and an ICMP port unreachable. Broadcasts go to every
 * matching socket. ICMP errors about our datagrams become a connected socket's next error, as Linux does
 * without IP_RECVERR.
 */
@NetProtocol(protocol = IpProto.IPPROTO_UDP)
public final class UdpRcv implements NetProtocolHandler {
    private final InetContext ctx;
    private final UdpTable table;
    private final MibCounters<UdpMib> mib;

    public UdpRcv(InetContext ctx) {
        this.ctx = ctx;
        this.table = UdpTable.of(ctx);
        this.mib = ctx.mibs().udp;
    }

    /** __udp4_lib_rcv: {@code b}'s data at the UDP header. Takes ownership; never throws on bad input. */
    @Override
    public void receive(PacketBuffer b) {
        int at = b.data();
        int len = b.length();
        if (len < UdpHeader.LENGTH) {
            drop(b, UdpMib.InErrors);
            return;
        }
        int ulen = UdpHeader.length(b, at);
        if (ulen > len || ulen < UdpHeader.LENGTH) {
            drop(b, UdpMib.InErrors); // short_packet
            return;
        }
        b.trim(ulen);
        int ip = b.networkHeader();
        int saddr = Ipv4Header.saddr(b, ip);
        int daddr = Ipv4Header.daddr(b, ip);
        if (!b.csumUnnecessary() && !UdpHeader.checksumOk(b, at, ulen, saddr, daddr)) {
            mib.inc(UdpMib.InCsumErrors);
            drop(b, UdpMib.InErrors);
            return;
        }
        int sport = UdpHeader.source(b, at);
        int dport = UdpHeader.dest(b, at);
        if (daddr == -1 || Ipv4.isMulticast(daddr) || ctx.devinet().isBroadcast(b.ifindex(), daddr)) {
            mcastDeliver(b, saddr, sport, daddr, dport);
            return;
        }
        UdpSock sk = table.lookup(saddr, sport, daddr, dport, b.ifindex());
        if (sk == null) {
            mib.inc(UdpMib.NoPorts);
            ctx.icmp().send(b, IcmpHeader.DEST_UNREACH, IcmpHeader.PORT_UNREACH, 0);
            b.release();
            return;
        }
        queueRcv(sk, b);
    }

    /**
     * __udp4_lib_mcast_deliver: a copy to every socket on the port whose bound address and peer allow it
     * ({@code __udp_is_mcast_sock}); none: {@code IgnoredMulti}, and no ICMP about a broadcast.
     */
    private void mcastDeliver(PacketBuffer b, int saddr, int sport, int daddr, int dport) {
        UdpSock first = null;
        for (UdpSock sk = table.chain(dport); sk != null; sk = sk.hashNext) {
            if (!isMcastSock(sk, saddr, sport, daddr, dport, b.ifindex())) continue;
            if (first != null) queueRcv(first, b.copy());
            first = sk;
        }
        if (first == null) {
            drop(b, UdpMib.IgnoredMulti);
            return;
        }
        queueRcv(first, b);
    }

    private static boolean isMcastSock(UdpSock sk, int saddr, int sport, int daddr, int dport, int dif) {
        return sk.num == dport && (sk.daddr == 0 || sk.daddr == saddr) && (sk.dport == 0 || sk.dport == sport)
                && (sk.rcvSaddr == 0 || sk.rcvSaddr == daddr) && (sk.boundDevIf == 0 || sk.boundDevIf == dif);
    }

    /** __udp_queue_rcv_skb: the payload onto the socket's queue, or dropped and counted when it is full. */
    private void queueRcv(UdpSock sk, PacketBuffer b) {
        // udp_queue_rcv_one_skb: a connected socket follows its peer's device, an unconnected one keeps its first.
        if (sk.daddr != 0) sk.markNapiId(b.ifindex());
        else sk.markNapiIdOnce(b.ifindex());
        b.pull(UdpHeader.LENGTH);
        if (!sk.enqueue(b)) {
            sk.drops++;
            mib.inc(UdpMib.RcvbufErrors);
            drop(b, UdpMib.InErrors);
        }
    }

    /**
     * __udp4_lib_err: {@code b}'s data at the IP header we sent, quoted by an ICMP error. Only a hard error
     * (port or protocol unreachable, parameter problem, ...) on a connected socket is reported, in {@code sk_err}
     * for its next call; without IP_RECVERR Linux tells an unconnected socket nothing. A "fragmentation needed"
     * lowers the path MTU, and is EMSGSIZE for a connected socket unless {@code ip_no_pmtu_disc} says DONT.
     */
    @Override
    public void error(PacketBuffer b, int type, int code, int info) {
        int at = b.data();
        if (b.length() < Ipv4Header.MIN_LENGTH) return;
        int ihl = Ipv4Header.headerLength(b, at);
        if (ihl < Ipv4Header.MIN_LENGTH || b.length() < ihl + UdpHeader.LENGTH) return;
        int local = Ipv4Header.saddr(b, at);
        int remote = Ipv4Header.daddr(b, at);
        int uh = at + ihl;
        UdpSock sk = table.lookup(remote, UdpHeader.dest(b, uh), local, UdpHeader.source(b, uh), b.ifindex());
        if (sk == null) {
            ctx.mibs().icmp.inc(IcmpMib.InErrors);
            return;
        }
        int err;
        boolean hard;
        switch (type) {
            case IcmpHeader.PARAMETER_PROB -> {
                err = Errno.EPROTO.number();
                hard = true;
            }
            case IcmpHeader.TIME_EXCEEDED -> {
                err = Errno.EHOSTUNREACH.number();
                hard = false;
            }
            case IcmpHeader.DEST_UNREACH -> {
                if (code == IcmpHeader.FRAG_NEEDED) {
                    // The path MTU is learned either way; under IP_PMTUDISC_DONT the socket is told nothing.
                    ctx.ip().updatePmtu(remote, info);
                    if (!pmtuDiscovery(ctx)) return;
                    err = Errno.EMSGSIZE.number();
                    hard = true;
                } else {
                    err = Icmp.unreachErrno(code);
                    hard = fatal(code);
                }
            }
            default -> {
                return;
            }
        }
        if (!hard || sk.state != SockStates.TCP_ESTABLISHED) return;
        sk.err = err;
        sk.errorReport();
    }

    /** A UDP socket's {@code pmtudisc}: IP_PMTUDISC_WANT while {@code net.ipv4.ip_no_pmtu_disc} is 0, else DONT. */
    static boolean pmtuDiscovery(InetContext ctx) { return ctx.ip().sysctls().ipNoPmtuDisc.get() == 0; }

    /** icmp_err_convert[code].fatal: the unreachable codes that end a conversation. */
    private static boolean fatal(int code) {
        return switch (code) {
            case 2, 3, 6, 7, 8, 9, 10, 13, 14, 15 -> true;
            default -> false;
        };
    }

    private void drop(PacketBuffer b, UdpMib counter) {
        mib.inc(counter);
        b.release();
    }
}
