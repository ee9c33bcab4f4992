package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.PSH;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.hook.SockOp;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.mib.TcpMib;
import io.inet4j.socket.IpProto;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;

/**
 * TCP output ({@code net/ipv4/tcp_output.c}): building and sending segments ({@code tcp_transmit_skb}), pushing
 * queued data within the congestion and receive windows ({@code tcp_write_xmit}, Nagle), ACKs, FIN, resets, the
 * SYN of {@code tcp_connect}, and the window we advertise ({@code tcp_select_window}).
 *
 * <p>Queued segments stay in the socket's queues for retransmission; what goes to IP is always a fresh pooled
 * buffer with the payload copied in, because the link takes ownership of what it is given.
 */
final class TcpOutput {
    /** {@code ip_rt_min_advmss}: the smallest MSS a route advertises (256). */
    private static final int IP_RT_MIN_ADVMSS = 256;

    private TcpOutput() {}

    /**
     * tcp_transmit_skb: emits {@code out} (header, options, checksum) in front of {@code len} payload bytes from
     * {@code payload}'s data (or none), then IP output. The one sender of every segment, socket or not.
     */
    static int transmitSkb(Tcp tcp, TcpSegmentOut out, PacketBuffer payload, int len) {
        return transmitSkb(tcp, out, payload, 0, len);
    }

    /** {@link #transmitSkb} with the payload starting {@code off} bytes into {@code payload}'s data. */
    private static int transmitSkb(Tcp tcp, TcpSegmentOut out, PacketBuffer payload, int off, int len) {
        PacketBuffer b = tcp.net.pool().allocate(len);
        if (len > 0) b.copyFrom(payload, payload.data() + off, b.put(len), len);
        int th = b.push(out.headerLength());
        out.emit(b, th, b.length());
        b.setTransportHeader(th);
        tcp.mib.inc(TcpMib.OutSegs);
        if ((out.flags & RST) != 0) tcp.mib.inc(TcpMib.OutRsts);
        // ip_no_pmtu_disc = 0: TCP sets DF and lets ICMP "fragmentation needed" size its segments (RFC 1191).
        boolean df = tcp.ipv4.sysctls().ipNoPmtuDisc.get() == 0;
        return tcp.ipv4.output(b, out.saddr, out.daddr, IpProto.IPPROTO_TCP, out.tos, out.ttl, df);
    }

    /** tcp_transmit_skb for a socket: the segment {@code seq}/{@code flags} with {@code len} bytes of {@code skb}. */
    static int transmit(TcpSock tp, int seq, int flags, PacketBuffer skb, int len) {
        return transmit(tp, seq, flags, skb, 0, len);
    }

    private static int transmit(TcpSock tp, int seq, int flags, PacketBuffer skb, int off, int len) {
        boolean synSent = tp.state == TcpState.SYN_SENT;
        if (!synSent) flags |= ACK;
        int window = (flags & SYN) != 0 ? Math.min(initialWindow(tp), maxWindowField()) : selectWindow(tp);
        TcpSegmentOut out = tp.tcp.out.clear(tp.saddr, tp.daddr, tp.num, tp.dport, seq,
                (flags & ACK) != 0 ? tp.rcvNxt : 0, flags, window);
        out.tos = tp.tos;
        out.ttl = tp.ttl;
        if ((flags & SYN) != 0) out.mss = tp.advmss;
        tp.segsOut++;
        int err = transmitSkb(tp.tcp, out, skb, off, len);
        if ((flags & ACK) != 0) TcpDelack.ackSent(tp);
        if (len > 0) {
            // __tcp_transmit_skb's accounting of data segments, and tcp_event_data_sent's lsndtime.
            tp.dataSegsOut++;
            tp.bytesSent += len;
            tp.lsndtime = tp.tcp.now();
            TcpDelack.dataSent(tp);
        }
        return err;
    }

    /** tcp_mtu_to_mss: what a path MTU leaves for payload after the IPv4 and TCP headers (no options). */
    static int mtuToMss(int pmtu) { return pmtu - Tcp.HEADERS; }

    /**
     * ipv4_default_advmss and tcp_mss_clamp: the MSS {@code tp} (or a child of the listener {@code tp}) advertises
     * towards {@code daddr}, the route's MTU less headers, at least {@code min_adv_mss} and at most what fits in the
     * largest IPv4 datagram, capped by TCP_MAXSEG.
     */
    static int advmss(TcpSock tp, int daddr) {
        int mss = Math.min(Math.max(mtuToMss(tp.tcp.ipv4.routeMtu(daddr)), IP_RT_MIN_ADVMSS), Ipv4.IP_MAX_MTU - Tcp.HEADERS);
        return tp.userMss > 0 && tp.userMss < mss ? tp.userMss : mss;
    }

    /**
     * tcp_sync_mss: the send MSS, the peer's MSS option capped by the path MTU, what we advertise and TCP_MAXSEG,
     * floored at {@code tcp_min_snd_mss}, bounded by half the peer's largest window.
     */
    static int sendMss(TcpSock tp) {
        int path = tp.pmtuCookie > 0 ? Math.min(mtuToMss(tp.pmtuCookie), tp.advmss) : tp.advmss;
        int ours = tp.userMss > 0 ? Math.min(tp.userMss, path) : path;
        return boundToHalfWnd(tp, Math.max(Math.min(tp.peerMss, ours), tp.tcp.sysctls.minSndMss.get()));
    }

    /**
     * tcp_bound_to_half_wnd: no segment larger than half the largest window the peer ever offered (all of it when
     * that is at most 536 bytes), so that at least two are in flight: with an MSS near the window (lo's or a
     * jumbo link's against an unscaled 64 KB window) one segment would fill it, and each would wait for the
     * receiver's delayed ACK.
     */
    private static int boundToHalfWnd(TcpSock tp, int mss) {
        int cutoff = tp.maxWindow > Tcp.TCP_MSS_DEFAULT ? tp.maxWindow >> 1 : tp.maxWindow;
        return cutoff > 0 && mss > cutoff ? Math.max(cutoff, 68 - TcpHeader.MIN_LENGTH) : mss;
    }

    /**
     * tcp_win_from_space: the part of {@code space} bytes of buffer offered as window, the rest being overhead as
     * {@code tcp_adv_win_scale} guesses it (half, by default).
     */
    static int winFromSpace(TcpSock tp, int space) {
        int scale = tp.tcp.sysctls.advWinScale.get();
        return scale <= 0 ? space >> -scale : space - (space >> scale);
    }

    /** tcp_full_space: the window the whole receive buffer makes. */
    static int rcvSpace(TcpSock tp) { return winFromSpace(tp, tp.rcvbuf); }

    /** tcp_space: the window what is left of the receive buffer makes, its queues counted by truesize. */
    static int space(TcpSock tp) { return winFromSpace(tp, Math.max(0, tp.rcvbuf - tp.rmemAlloc)); }

    /**
     * The largest window the 16-bit header field carries unscaled; window scaling (RFC 7323) will make this
     * per-socket ({@code 65535 << rcv_wscale}).
     */
    static int maxWindowField() { return 65535; }

    static int initialWindow(TcpSock tp) {
        int space = rcvSpace(tp);
        return space - space % Math.max(tp.advmss, 1);
    }

    /**
     * tcp_select_window: free receive space as the queues' real memory leaves it, within {@code rcv_ssthresh},
     * with receiver-side silly window avoidance (RFC 1122 4.2.3.3: no window smaller than an MSS unless it is a
     * large part of the buffer), never shrinking the right edge we already offered (RFC 9293 3.8.6.2.2).
     */
    static int selectWindow(TcpSock tp) {
        int full = tp.windowClamp > 0 ? Math.min(tp.windowClamp, rcvSpace(tp)) : rcvSpace(tp);
        int free = space(tp);
        int mss = Math.max(tp.advmss, 1);
        int win;
        if (free < (full >> 1) && free < mss) {
            win = 0;
        } else {
            free = Math.min(free, tp.rcvSsthresh);
            win = free > mss ? free - free % mss : free;
        }
        int cur = receiveWindow(tp);
        if (cur > win) win = cur;
        win = Math.min(win, maxWindowField());
        tp.rcvWnd = win;
        tp.rcvWup = tp.rcvNxt;
        return win;
    }

    /**
     * tcp_receive_window: what is left of the window last advertised, whose right edge is {@code rcv_wup +
     * rcv_wnd}; data taken since then ({@code rcv_nxt} moving on) uses it up.
     */
    static int receiveWindow(TcpSock tp) { return Math.max(tp.rcvWup + tp.rcvWnd - tp.rcvNxt, 0); }

    /** tcp_send_ack. */
    static void sendAck(TcpSock tp) {
        if (tp.state == TcpState.CLOSE) return;
        transmit(tp, tp.sndNxt, ACK, null, 0);
    }

    /**
     * tcp_xmit_probe_skb: an ACK with an old sequence number ({@code snd_una - 1}) that the peer must answer with
     * its current window; used for zero-window and keepalive probes.
     */
    static void sendProbe(TcpSock tp) {
        transmit(tp, tp.sndUna - 1, ACK, null, 0);
    }

    /** tcp_send_active_reset: RST for an abort (close with unread data, linger 0, user timeout). */
    static void sendActiveReset(TcpSock tp) {
        transmit(tp, tp.sndNxt, RST | ACK, null, 0);
    }

    /** tcp_connect: queues and sends the SYN, arms the retransmission timer. */
    static void connect(TcpSock tp) {
        TcpSkb syn = tp.tcp.allocSkb(0, tp.iss, SYN);
        tp.sndUna = tp.iss;
        tp.sndSml = tp.iss;
        tp.sndNxt = tp.iss + 1;
        tp.writeSeq = tp.iss + 1;
        tp.retransStamp = tp.tcp.now();
        sent(tp, syn);
        TcpTimers.resetRetransmit(tp, tp.rto.rto());
    }

    /** tcp_send_fin: the FIN rides on the last unsent segment, or goes alone. */
    static void sendFin(TcpSock tp) {
        TcpSkb tail = tp.writeQueue.peekLast();
        if (tail != null) {
            tail.tcpFlags |= FIN;
            tail.endSeq++;
        } else {
            tp.writeQueue.add(tp.tcp.allocSkb(0, tp.writeSeq, FIN));
        }
        tp.writeSeq++;
        tp.finQueued = true;
        push(tp, true);
    }

    /** tcp_push: send what the windows allow; {@code force} overrides Nagle for the last small segment. */
    static void push(TcpSock tp, boolean force) {
        // TCP_NODELAY's TCP_NAGLE_OFF does not override TCP_CORK; a forced push (TCP_NAGLE_PUSH) does.
        writeXmit(tp, force || tp.nodelay && !tp.cork);
        if (!tp.writeQueue.isEmpty() && tp.rtxQueue.isEmpty() && !tp.retransmitTimer.isPending()) {
            // Nothing in flight and we may not send: the peer's window is closed, so probe it (tcp_check_probe_timer).
            TcpTimers.resetProbe(tp);
        }
    }

    /**
     * tcp_write_xmit: moves segments from the write queue to the wire while the congestion window (in segments,
     * {@code tcp_cwnd_test}) and the send window allow.
     */
    static void writeXmit(TcpSock tp, boolean nonagle) {
        if (tp.writeQueue.isEmpty()) return; // tcp_push_pending_frames: nothing to send, nothing to learn
        boolean sent = false;
        boolean cwndLimited = false;
        while (!tp.writeQueue.isEmpty()) {
            if (tp.packetsInFlight() >= tp.sndCwnd) {
                cwndLimited = true;
                break;
            }
            TcpSkb skb = tp.writeQueue.peek();
            int seq = skb.seq;
            int len = skb.length();
            int wndEnd = tp.sndUna + tp.sndWnd;
            int allowed = wndEnd - seq;
            if (len > 0 && allowed < len) {
                if (allowed <= 0 || (allowed < tp.mssCache && tp.inFlight() > 0)) break;
                split(tp, skb, allowed);
                len = allowed;
            }
            if (tp.writeQueue.size() == 1 && nagleCheck(tp, skb, len, nonagle)) break;
            tp.writeQueue.poll();
            tp.sndNxt = skb.endSeq;
            // tcp_mark_push: PSH lives in the control block, so a retransmission carries it again.
            if (tp.writeQueue.isEmpty() && len > 0) skb.tcpFlags |= PSH;
            sent(tp, skb);
            tp.tcp.ext.inc(io.inet4j.mib.TcpExtMib.TCPOrigDataSent);
            sent = true;
        }
        // A window filled to the last segment is cwnd-limited too, even when the queue ran dry at that moment.
        cwndLimited |= tp.packetsInFlight() >= tp.sndCwnd;
        if (sent || cwndLimited) TcpCong.validate(tp, cwndLimited);
        if (sent && !tp.retransmitTimer.isPending() || sent && tp.timerPending == TcpTimers.PROBE) {
            TcpTimers.resetRetransmit(tp, tp.rto.rto());
        }
    }

    /**
     * tcp_nagle_test / tcp_nagle_check with Minshall's variant: the last queued segment, if short and no FIN,
     * waits while an earlier short segment is unacknowledged (tcp_minshall_check); full segments in flight do
     * not hold it back, so the short tail of a write goes out right behind them.
     */
    private static boolean nagleCheck(TcpSock tp, TcpSkb skb, int len, boolean nonagle) {
        if (len >= tp.mssCache || skb.has(FIN) || nonagle) return false;
        if (tp.cork) return true; // TCP_NAGLE_CORK holds a partial segment whatever is in flight
        if (tp.packetsOut == 0) return false;
        return TcpSeq.after(tp.sndSml, tp.sndUna) && !TcpSeq.after(tp.sndSml, tp.sndNxt);
    }

    /** tcp_event_new_data_sent: the segment joins the retransmission queue and the flight, then goes out. */
    private static void sent(TcpSock tp, TcpSkb skb) {
        skb.setPcount(tp.mssCache);
        // tcp_minshall_update: the end of the last sub-MSS segment sent, for Nagle.
        if (skb.length() < skb.pcount * tp.mssCache) tp.sndSml = skb.endSeq;
        tp.rtxQueue.add(skb);
        tp.packetsOut += skb.pcount;
        transmitQueued(tp, skb);
    }

    /**
     * Sends a queued segment with its control block's flags, stamping the block with the time. One queued before
     * the path MTU shrank leaves as {@code pcount} segments of at most the current MSS, as GSO cuts a large skb;
     * PSH and FIN ride on the last. Returns 0 or the first error IP reported.
     */
    private static int transmitQueued(TcpSock tp, TcpSkb skb) {
        long now = tp.tcp.now();
        if (skb.firstTxNanos == 0) skb.firstTxNanos = now;
        skb.txNanos = now;
        int flags = skb.tcpFlags;
        int len = skb.length();
        int mss = tp.mssCache;
        if (len <= mss) return transmit(tp, skb.seq, flags, skb.skb, 0, len);
        int err = 0;
        for (int off = 0; off < len; off += mss) {
            int n = Math.min(mss, len - off);
            int r = transmit(tp, skb.seq + off, off + n < len ? flags & ~(FIN | PSH) : flags, skb.skb, off, n);
            if (err == 0) err = r;
        }
        return err;
    }

    /**
     * tcp_write_wakeup's sending half: the persist timer found the window open for the head of the write queue
     * (data held back by TCP_CORK), so that head goes, with PSH, cut to the window and the MSS.
     */
    static void writeWakeup(TcpSock tp) {
        TcpSkb skb = tp.writeQueue.peek();
        int segSize = tp.sndUna + tp.sndWnd - skb.seq;
        if (segSize < skb.endSeq - skb.seq || skb.length() > tp.mssCache) split(tp, skb, Math.min(segSize, tp.mssCache));
        skb.tcpFlags |= PSH;
        tp.writeQueue.poll();
        tp.sndNxt = skb.endSeq;
        sent(tp, skb);
        tp.tcp.ext.inc(io.inet4j.mib.TcpExtMib.TCPOrigDataSent);
        TcpTimers.resetRetransmit(tp, tp.rto.rto());
    }

    /** tcp_fragment: cuts {@code skb} after {@code len} bytes; the rest becomes the next queued segment. */
    private static void split(TcpSock tp, TcpSkb skb, int len) {
        int rest = skb.length() - len;
        // FIN and PSH belong to the end of the data: they move to the tail.
        TcpSkb tail = tp.tcp.allocSkb(rest, skb.seq + len, skb.tcpFlags);
        tail.skb.copyFrom(skb.skb, skb.skb.data() + len, tail.skb.put(rest), rest);
        tail.endSeq = skb.endSeq;
        skb.skb.trim(len);
        skb.tcpFlags &= ~(FIN | PSH);
        skb.endSeq = skb.seq + len;
        // Insert right after the head: ArrayDeque has no insert, so rebuild the head pair.
        tp.writeQueue.poll();
        tp.writeQueue.addFirst(tail);
        tp.writeQueue.addFirst(skb);
    }

    /** tcp_retransmit_skb: the head of the retransmission queue again. */
    static void retransmitHead(TcpSock tp) {
        TcpSkb skb = tp.rtxQueue.peek();
        if (skb == null) return;
        retransmit(tp, skb);
    }

    /** tcp_retransmit_skb: sends {@code skb} again; a retransmission in flight counts in {@code retrans_out}. */
    static void retransmit(TcpSock tp, TcpSkb skb) {
        if ((skb.sacked & TcpSkb.TCPCB_SACKED_RETRANS) == 0) tp.retransOut += skb.pcount;
        skb.sacked |= TcpSkb.TCPCB_RETRANS;
        if (tp.retransStamp == 0) tp.retransStamp = tp.tcp.now();
        tp.tcp.mib.inc(TcpMib.RetransSegs);
        if (skb.has(SYN)) tp.tcp.ext.inc(io.inet4j.mib.TcpExtMib.TCPSynRetrans);
        // tcp_retransmit_skb: a retransmission IP refused is counted; the timer still backs off and gives up.
        int err = transmitQueued(tp, skb);
        if (err < 0) {
            tp.tcp.ext.inc(io.inet4j.mib.TcpExtMib.TCPRetransFail);
        } else {
            tp.totalRetrans += skb.pcount;
            tp.bytesRetrans += skb.length();
        }
        if (TcpSockOps.wanted(tp, SockOp.RETRANS_CB_FLAG)) TcpSockOps.call(tp, SockOp.RETRANS_CB, skb.seq, skb.pcount, err);
    }

    /**
     * The retransmission half of tcp_xmit_retransmit_queue: segments presumed lost and not yet resent in this
     * episode go again, below {@code high_seq}, while the window has room.
     */
    static void xmitRetransmitQueue(TcpSock tp) {
        for (TcpSkb skb : tp.rtxQueue) {
            if (tp.packetsInFlight() >= tp.sndCwnd) return;
            if (!TcpSeq.before(skb.seq, tp.highSeq)) return;
            if ((skb.sacked & (TcpSkb.TCPCB_LOST | TcpSkb.TCPCB_SACKED_RETRANS)) == TcpSkb.TCPCB_LOST) {
                retransmit(tp, skb);
            }
        }
    }

    /**
     * tcp_v4_mtu_reduced: ICMP said a hop on the way takes at most {@code mtuInfo} bytes. The route learns it
     * ({@code __ip_rt_update_pmtu}); when that leaves less than the MSS was computed for, the MSS follows
     * ({@code tcp_sync_mss}) and what was sent too large goes again in smaller segments at once
     * ({@code tcp_simple_retransmit}).
     */
    static void mtuReduced(TcpSock tp, int mtuInfo) {
        if (tp.state == TcpState.LISTEN || tp.state == TcpState.CLOSE) return;
        Tcp tcp = tp.tcp;
        int mtu = tcp.ipv4.updatePmtu(tp.daddr, mtuInfo);
        boolean pmtuDisc = tcp.ipv4.sysctls().ipNoPmtuDisc.get() == 0;
        // Something is about to go wrong: a soft error for the case this connection cannot recover.
        if (mtuInfo < mtu && pmtuDisc) tp.errSoft = io.inet4j.socket.Errno.EMSGSIZE.number();
        if (!pmtuDisc || tp.pmtuCookie <= mtu) return;
        tp.pmtuCookie = mtu;
        tp.mssCache = sendMss(tp);
        TcpCong.simpleRetransmit(tp);
    }

    /** tcp_v4_send_reset: the RST answering a segment no socket wants (never a RST to a RST). */
    static void sendResetFor(Tcp tcp, TcpSegment seg) {
        if (seg.has(RST)) return;
        TcpSegmentOut out = seg.has(ACK)
                ? tcp.out.clear(seg.daddr, seg.saddr, seg.dport, seg.sport, seg.ack, 0, RST, 0)
                : tcp.out.clear(seg.daddr, seg.saddr, seg.dport, seg.sport, 0, seg.endSeq(), RST | ACK, 0);
        transmitSkb(tcp, out, null, 0);
    }
}
