package io.inet4j.tcp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.icmp.Icmp;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.mib.TcpMib;
import io.inet4j.protocol.NetProtocol;
import io.inet4j.protocol.NetProtocolHandler;
import io.inet4j.socket.IpProto;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;

/**
 * TCP's entry from IPv4 ({@code tcp_v4_rcv} and {@code tcp_v4_err} in {@code net/ipv4/tcp_ipv4.c}): checks the
 * header and checksum (drops counted as {@code InErrs}/{@code InCsumErrors}), finds the socket — established or
 * TIME_WAIT entry first, then a listener — and hands the segment over; a segment nobody wants gets a RST.
 */
@NetProtocol(protocol = IpProto.IPPROTO_TCP)
public final class TcpV4Rcv implements NetProtocolHandler {
    private final Tcp tcp;

    public TcpV4Rcv(InetContext ctx) { this.tcp = Tcp.of(ctx); }

    @Override
    public void receive(PacketBuffer b) {
        TcpSegment seg = tcp.seg;
        int th = b.data();
        int len = b.length();
        if (len < TcpHeader.MIN_LENGTH) {
            b.release();
            return;
        }
        tcp.mib.inc(TcpMib.InSegs);
        int hl = TcpHeader.headerLength(b, th);
        if (hl < TcpHeader.MIN_LENGTH || hl > len) {
            tcp.mib.inc(TcpMib.InErrs);
            b.release();
            return;
        }
        int ip = b.networkHeader();
        int saddr = Ipv4Header.saddr(b, ip);
        int daddr = Ipv4Header.daddr(b, ip);
        if (!b.csumUnnecessary() && !TcpHeader.verifyChecksum(b, th, len, saddr, daddr)) {
            tcp.mib.inc(TcpMib.InCsumErrors);
            tcp.mib.inc(TcpMib.InErrs);
            b.release();
            return;
        }
        seg.skb = b;
        seg.th = th;
        seg.hdrLen = hl;
        seg.saddr = saddr;
        seg.daddr = daddr;
        seg.sport = TcpHeader.sourcePort(b, th);
        seg.dport = TcpHeader.destPort(b, th);
        seg.seq = TcpHeader.seq(b, th);
        seg.ack = TcpHeader.ackSeq(b, th);
        seg.flags = TcpHeader.flags(b, th);
        seg.window = TcpHeader.window(b, th);
        seg.payloadLen = len - hl;
        seg.urgPtr = TcpHeader.urgentPointer(b, th);
        seg.ipDsfield = Ipv4Header.tos(b, ip);
        seg.twIsn = 0;
        TcpOptions.parse(b, th, seg.opts);
        deliver(seg);
    }

    private void deliver(TcpSegment seg) {
        Object sk = tcp.hashes.lookupEstablished(seg.saddr, seg.sport, seg.daddr, seg.dport, seg.skb.ifindex());
        if (sk instanceof TcpTimewaitSock tw) {
            TcpTimewait.Status st = TcpTimewait.process(tcp, tw, seg);
            if (st == TcpTimewait.Status.TW_SYN) {
                TcpSock listener = tcp.hashes.lookupListener(seg.saddr, seg.sport, seg.daddr, seg.dport,
                        seg.skb.ifindex());
                if (listener != null) {
                    // tcp_v4_rcv, TCP_TW_SYN: the listener takes the new SYN and TIME_WAIT goes.
                    tcp.hashes.timewaitKill(tw);
                    TcpListen.rcv(listener, seg);
                    return;
                }
                st = TcpTimewait.Status.TW_ACK; // nobody to take it: TIME_WAIT stays and answers
            }
            if (st == TcpTimewait.Status.TW_ACK) TcpTimewait.sendAck(tcp, tw);
            seg.skb.release();
            return;
        }
        if (sk instanceof TcpSock tp) {
            tp.markNapiId(seg.skb.ifindex());
            // tcp_segs_in: a super-segment a TSO peer sent counts as the segments it was cut into.
            int gso = seg.skb.gsoSize();
            int segs = gso == 0 ? 1 : Math.max(1, (seg.payloadLen + gso - 1) / gso);
            tp.segsIn += segs;
            if (seg.payloadLen > 0) tp.dataSegsIn += segs;
            TcpInput.rcv(tp, seg);
            return;
        }
        TcpSock listener = tcp.hashes.lookupListener(seg.saddr, seg.sport, seg.daddr, seg.dport,
                seg.skb.ifindex());
        if (listener != null) {
            TcpListen.rcv(listener, seg);
            return;
        }
        // tcp_v4_send_reset without a socket: no RST for a segment that was not addressed to us alone.
        if (!tcp.toBroadcastOrMulticast(seg.daddr)) TcpOutput.sendResetFor(tcp, seg);
        seg.skb.release();
    }

    /**
     * tcp_v4_err: an ICMP error about one of our segments. While connecting it ends the attempt with the
     * error's errno (port unreachable: ECONNREFUSED, host unreachable: EHOSTUNREACH), as Linux does; on an
     * established connection it is kept as the soft error a later timeout reports. "Fragmentation needed" about
     * a segment in flight lowers the path MTU and the MSS instead ({@code tcp_v4_mtu_reduced}).
     */
    @Override
    public void error(PacketBuffer b, int type, int code, int info) {
        int ip = b.data();
        int ihl = Ipv4Header.headerLength(b, ip);
        int th = ip + ihl;
        if (b.tail() - th < 8) return;
        int raddr = Ipv4Header.daddr(b, ip);
        int rport = TcpHeader.destPort(b, th);
        int laddr = Ipv4Header.saddr(b, ip);
        int lport = TcpHeader.sourcePort(b, th);
        int seq = TcpHeader.seq(b, th);
        Object sk = tcp.hashes.lookupEstablished(raddr, rport, laddr, lport, 0);
        if (sk == null) {
            TcpSock listener = tcp.hashes.lookupListener(raddr, rport, laddr, lport, 0);
            TcpRequestSock req = listener == null ? null
                    : listener.synq.table.get(new TcpRequestSock.Key(laddr, raddr, rport));
            if (req != null) reqErr(req, seq, type, code);
            return;
        }
        if (!(sk instanceof TcpSock tp)) return;
        if (TcpSeq.before(seq, tp.sndUna) || TcpSeq.after(seq, tp.sndNxt)) {
            tcp.ext.inc(TcpExtMib.OutOfWindowIcmps);
            return;
        }
        int errno;
        if (type == IcmpHeader.DEST_UNREACH) {
            if (code == IcmpHeader.FRAG_NEEDED) {
                // RFC 1191 path MTU discovery; the MTU is in the low 16 bits of the ICMP header's rest.
                TcpOutput.mtuReduced(tp, info & 0xffff);
                return;
            }
            errno = Icmp.unreachErrno(code);
        } else if (type == IcmpHeader.TIME_EXCEEDED || type == IcmpHeader.PARAMETER_PROB) {
            errno = io.inet4j.socket.Errno.EHOSTUNREACH.number();
        } else {
            return;
        }
        if (tp.state == TcpState.SYN_SENT || tp.state == TcpState.SYN_RECV) {
            // Like tcp_v4_err: while connecting, any of these errors ends the attempt at once (a host that ARP
            // cannot find fails the connect in seconds, not after the SYN retries).
            TcpTimers.abort(tp, errno);
        } else {
            // Without IP_RECVERR Linux keeps a live connection through ICMP errors; a later timeout reports it.
            tp.errSoft = errno;
        }
    }

    /**
     * tcp_req_err: an ICMP error about our SYN-ACK. Only a hard routing error (net or host unreachable, time
     * exceeded, parameter problem) ends the request, silently, since accept() has nobody to report it to.
     */
    private void reqErr(TcpRequestSock req, int seq, int type, int code) {
        if (seq != req.sndIsn) {
            tcp.ext.inc(TcpExtMib.OutOfWindowIcmps);
            return;
        }
        boolean abort = type == IcmpHeader.PARAMETER_PROB || type == IcmpHeader.TIME_EXCEEDED
                || type == IcmpHeader.DEST_UNREACH && (code == IcmpHeader.NET_UNREACH || code == IcmpHeader.HOST_UNREACH);
        if (!abort) return;
        req.drop();
        req.listener.synq.table.remove(req.key());
        tcp.ext.inc(TcpExtMib.ListenDrops);
    }
}
