package io.inet4j.ipv4.icmp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.InetChecksum;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.mib.IcmpMib;
import io.inet4j.mib.MibCounters;
import io.inet4j.net.Net;
import io.inet4j.protocol.NetProtocol;
import io.inet4j.protocol.NetProtocolHandler;
import io.inet4j.socket.IpProto;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * ICMP input ({@code icmp_rcv} and its per-type handlers in {@code net/ipv4/icmp.c}), registered in
 * {@code inet_protos[IPPROTO_ICMP]} through the generated table like any other protocol. Answers echo and
 * timestamp requests, hands echo replies to ping sockets, and passes errors to the protocol of the datagram
 * they quote.
 */
@NetProtocol(protocol = IpProto.IPPROTO_ICMP)
public final class IcmpRcv implements NetProtocolHandler {
    private final Net net;
    private final Icmp icmp;
    private final Ipv4 ipv4;
    private final PingTable ping;
    private final DevInet devinet;
    private final MibCounters<IcmpMib> mib;

    public IcmpRcv(InetContext ctx) {
        this.net = ctx.net();
        this.icmp = ctx.icmp();
        this.ipv4 = ctx.ip();
        this.ping = PingTable.of(ctx);
        this.devinet = ctx.devinet();
        this.mib = ctx.mibs().icmp;
    }

    @Override
    public void receive(PacketBuffer b) {
        int at = b.data();
        int len = b.length();
        if (len < IcmpHeader.LENGTH) {
            drop(b);
            return;
        }
        if (InetChecksum.compute(b, at, len) != 0) {
            mib.inc(IcmpMib.InCsumErrors);
            drop(b);
            return;
        }
        mib.inc(IcmpMib.InMsgs);
        int type = IcmpHeader.type(b, at);
        int ipAt = b.networkHeader();
        int daddr = Ipv4Header.daddr(b, ipAt);
        boolean toBroadcast = Ipv4.isMulticast(daddr) || devinet.isBroadcast(0, daddr);
        switch (type) {
            case IcmpHeader.ECHO -> {
                mib.inc(IcmpMib.InEchos);
                if (icmp.sysctls().echoIgnoreAll.get() != 0
                        || (toBroadcast && icmp.sysctls().echoIgnoreBroadcasts.get() != 0)) {
                    b.release();
                } else {
                    icmp.reply(b, IcmpHeader.ECHO_REPLY);
                }
            }
            case IcmpHeader.ECHO_REPLY -> {
                mib.inc(IcmpMib.InEchoReps);
                ping.rcv(b);
            }
            case IcmpHeader.TIMESTAMP -> {
                mib.inc(IcmpMib.InTimestamps);
                timestamp(b, at, toBroadcast);
            }
            case IcmpHeader.TIMESTAMP_REPLY -> {
                mib.inc(IcmpMib.InTimestampReps);
                b.release();
            }
            case IcmpHeader.DEST_UNREACH, IcmpHeader.TIME_EXCEEDED, IcmpHeader.PARAMETER_PROB,
                    IcmpHeader.SOURCE_QUENCH, IcmpHeader.REDIRECT -> unreach(b, at, type);
            default -> b.release(); // RFC 1122: unknown types are silently discarded
        }
    }

    /** icmp_timestamp: answers with milliseconds since midnight UTC. */
    private void timestamp(PacketBuffer b, int at, boolean toBroadcast) {
        if (b.length() < IcmpHeader.LENGTH + 12 || toBroadcast) {
            if (!toBroadcast) mib.inc(IcmpMib.InErrors);
            b.release();
            return;
        }
        long now = Instant.now().atZone(ZoneOffset.UTC).toLocalTime().toNanoOfDay() / 1_000_000L;
        b.setInt(at + 12, (int) now); // receive timestamp
        b.setInt(at + 16, (int) now); // transmit timestamp
        b.trim(IcmpHeader.LENGTH + 12);
        icmp.reply(b, IcmpHeader.TIMESTAMP_REPLY);
    }

    /** icmp_unreach and friends: checks the quoted header, then calls that protocol's error handler. */
    private void unreach(PacketBuffer b, int at, int type) {
        mib.inc(switch (type) {
            case IcmpHeader.DEST_UNREACH -> IcmpMib.InDestUnreachs;
            case IcmpHeader.TIME_EXCEEDED -> IcmpMib.InTimeExcds;
            case IcmpHeader.PARAMETER_PROB -> IcmpMib.InParmProbs;
            case IcmpHeader.SOURCE_QUENCH -> IcmpMib.InSrcQuenchs;
            default -> IcmpMib.InRedirects;
        });
        int inner = at + IcmpHeader.LENGTH;
        if (b.tail() - inner < Ipv4Header.MIN_LENGTH) {
            drop(b);
            return;
        }
        int ihl = Ipv4Header.headerLength(b, inner);
        if (Ipv4Header.version(b, inner) != 4 || ihl < Ipv4Header.MIN_LENGTH || b.tail() - inner < ihl + 8) {
            drop(b);
            return;
        }
        int protocol = Ipv4Header.protocol(b, inner);
        NetProtocolHandler h = ipv4.protocol(protocol);
        int code = IcmpHeader.code(b, at);
        int info = IcmpHeader.rest(b, at);
        if (type == IcmpHeader.DEST_UNREACH && code == IcmpHeader.FRAG_NEEDED) {
            // icmp_unreach: what net.ipv4.ip_no_pmtu_disc lets through; 3 trusts only TCP, which checks the
            // quoted sequence number (icmp_strict_tag_validation).
            int mode = ipv4.sysctls().ipNoPmtuDisc.get();
            if (mode == 2 || mode == 3 && protocol != IpProto.IPPROTO_TCP) {
                b.release();
                return;
            }
            info = mode == 1 ? 0 : info & 0xffff;
        }
        if (h != null) {
            b.pull(IcmpHeader.LENGTH);
            h.error(b, type, code, info);
        }
        b.release();
    }

    /** Errors about our own ICMP messages: the quoted echo request belongs to a ping socket (ping_err). */
    @Override
    public void error(PacketBuffer b, int type, int code, int info) {
        int inner = b.data();
        int ihl = Ipv4Header.headerLength(b, inner);
        if (b.getByte(inner + ihl) == IcmpHeader.ECHO) {
            ping.err(b, inner, ihl, type, code);
        }
    }

    private void drop(PacketBuffer b) {
        mib.inc(IcmpMib.InErrors);
        b.release();
    }
}
