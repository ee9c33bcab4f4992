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
import io.inet4j.netdev.NetdevFeatures;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockQueue;
import io.inet4j.tcp.cong.TcpCongestionOps;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;

/**
 * TCP output ({@code net/ipv4/tcp_output.c}): building and sending segments ({@code tcp_transmit_skb}), pushing
 * queued data within the congestion and receive windows ({@code tcp_write_xmit}, Nagle), ACKs, FIN, resets, the
 * SYN of {@code tcp_connect}, and the window we advertise ({@code tcp_select_window}).
 *
 * <p>Queued segments stay in the socket's queues for retransmission; what goes to IP is always a fresh pooled
 * buffer, because the link takes ownership of what it is given. When the route's device gathers fragments
 * ({@link NetdevFeatures#SG}) that buffer holds only the headers and references the queued payload, which it keeps
 * alive with a reference count of its own (an ACK may free the segment while the packet is still on its way);
 * otherwise the payload is copied in. Either way the user's bytes are copied once, into the send queue, before the
 * link.
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
        return transmitSkb(tcp, out, copyPayload(tcp, payload, 0, len), 0, 0);
    }

    /**
     * A buffer with headroom for the headers holding {@code len} bytes of {@code payload}'s data from {@code off}:
     * the one copy the data makes between the send queue and the wire.
     */
    private static PacketBuffer copyPayload(Tcp tcp, PacketBuffer payload, int off, int len) {
        PacketBuffer b = tcp.net.pool().allocate(len);
        if (len > 0) b.copyFrom(payload, payload.data() + off, b.put(len), len);
        return b;
    }

    /**
     * What carries {@code len} bytes of {@code payload}'s data from {@code off} to a device with {@code features}:
     * with {@link NetdevFeatures#SG} a header buffer referencing them ({@code skb_clone}'s shared data, no copy),
     * otherwise {@link #copyPayload}.
     */
    private static PacketBuffer payloadFor(Tcp tcp, PacketBuffer payload, int off, int len, int features) {
        if (len == 0 || (features & NetdevFeatures.SG) == 0) return copyPayload(tcp, payload, off, len);
        PacketBuffer b = tcp.net.pool().allocate(0);
        b.addFrag(payload, payload.data() + off, len);
        return b;
    }

    /**
     * The rest of tcp_transmit_skb once {@code b} holds the payload: header and options, the checksum (only its
     * pseudo-header part when the device finishes it, {@link NetdevFeatures#HW_CSUM}), IP output. A nonzero
     * {@code gsoSize} makes it a super-segment the device cuts into segments of that size (TSO).
     */
    private static int transmitSkb(Tcp tcp, TcpSegmentOut out, PacketBuffer b, int features, int gsoSize) {
        int segs = gsoSegs(b.length(), gsoSize);
        int th = b.push(out.headerLength());
        if ((features & NetdevFeatures.HW_CSUM) != 0) {
            out.emitPartial(b, th, b.length());
        } else {
            out.emit(b, th, b.length());
        }
        b.setTransportHeader(th);
        b.setGsoSize(gsoSize);
        tcp.mib.add(TcpMib.OutSegs, segs);
        if ((out.flags & RST) != 0) tcp.mib.inc(TcpMib.OutRsts);
        // ip_no_pmtu_disc = 0: TCP sets DF and lets ICMP "fragmentation needed" size its segments (RFC 1191).
        boolean df = tcp.ipv4.sysctls().ipNoPmtuDisc.get() == 0;
        return tcp.ipv4.output(b, out.saddr, out.daddr, IpProto.IPPROTO_TCP, out.tos, out.ttl, df);
    }

    /** tcp_skb_pcount of what goes out: one segment, or a super-segment's payload cut at {@code gsoSize}. */
    private static int gsoSegs(int payload, int gsoSize) {
        return gsoSize == 0 ? 1 : (payload + gsoSize - 1) / gsoSize;
    }

    /** tcp_transmit_skb for a socket: the segment {@code seq}/{@code flags} with {@code len} bytes of {@code skb}. */
    static int transmit(TcpSock tp, int seq, int flags, PacketBuffer skb, int len) {
        return transmit(tp, seq, flags, copyPayload(tp.tcp, skb, 0, len), false, 0, 0);
    }

    /**
     * tcp_transmit_skb for a socket with the payload in {@code b}; {@code newData}: payload sent for the first
     * time, which ECN marks ECT; {@code features} and {@code gsoSize} as {@link #transmitSkb}.
     */
    static int transmit(TcpSock tp, int seq, int flags, PacketBuffer b, boolean newData, int features, int gsoSize) {
        int len = b.length();
        int segs = gsoSegs(len, gsoSize);
        boolean synSent = tp.state == TcpState.SYN_SENT;
        if (!synSent) flags |= ACK;
        // A SYN's window is never scaled (RFC 7323 2.2): the initial window, as much of it as 16 bits carry.
        int window = (flags & SYN) != 0 ? Math.min(tp.rcvWnd, 65535) : selectWindow(tp);
        TcpSegmentOut out = tp.tcp.out.clear(tp.saddr, tp.daddr, tp.num, tp.dport, seq,
                (flags & ACK) != 0 ? tp.rcvNxt : 0, flags, window);
        out.tos = tp.tos;
        out.ttl = tp.ttl;
        if ((flags & SYN) != 0) {
            synOptions(tp, out);
        } else {
            establishedOptions(tp, out);
            out.flags = TcpEcn.send(tp, out, newData, flags);
        }
        tp.segsOut += segs;
        int err = transmitSkb(tp.tcp, out, b, features, gsoSize);
        if ((flags & ACK) != 0) TcpDelack.ackSent(tp);
        if (len > 0) {
            // __tcp_transmit_skb's accounting of data segments, and tcp_event_data_sent's lsndtime.
            tp.dataSegsOut += segs;
            tp.bytesSent += len;
            tp.lsndtime = TcpSock.jiffies32(tp.tcp.now());
            TcpDelack.dataSent(tp);
        }
        return err;
    }

    /** tcp_time_stamp_ts: the TCP timestamp clock, milliseconds of the stack clock ({@code TCP_TS_HZ} = 1000). */
    static int tcpTimeStamp(Tcp tcp) { return TcpSock.jiffies32(tcp.now()); }

    /**
     * secure_tcp_ts_off: the random offset of a connection's TSvals, per address pair, so that they tell nothing
     * of the host's uptime; none unless {@code tcp_timestamps} is 1.
     */
    static int secureTsOff(Tcp tcp, int saddr, int daddr) {
        return tcp.sysctls.timestamps.get() == 1 ? tcp.isn.secureTcpTsOff(saddr, daddr) : 0;
    }

    /** The TSval a segment of {@code tp} carries now: the clock plus the connection's offset. */
    static int tsVal(TcpSock tp) { return tcpTimeStamp(tp.tcp) + tp.rxOpt.tsOffset; }

    /**
     * tcp_syn_options: what our SYN (or the SYN-ACK of a simultaneous open) carries: MSS always, then as the
     * sysctls allow a timestamp echoing ts_recent (0 on an active SYN), our window scale and SACK-permitted (folded
     * into the timestamp's padding when both go). The SYN-ACK answering a crossing SYN carries only what that SYN
     * offered too (RFC 7323 1.3, 2.2: a SYN-ACK may carry these only if the SYN did), where Linux repeats its
     * SYN's. Returns the option bytes.
     */
    static int synOptions(TcpSock tp, TcpSegmentOut out) {
        out.mss = tp.advmss;
        int size = TcpOptions.TCPOLEN_MSS_ALIGNED;
        boolean synAck = tp.state == TcpState.SYN_RECV;
        if (tp.tcp.sysctls.timestamps.get() != 0 && (!synAck || tp.rxOpt.tstampOk)) {
            out.options |= TcpOptions.OPTION_TS;
            out.tsVal = tsVal(tp);
            out.tsEcr = tp.rxOpt.tsRecent;
            size += TcpOptions.TCPOLEN_TSTAMP_ALIGNED;
        }
        if (tp.tcp.sysctls.windowScaling.get() != 0 && (!synAck || tp.rxOpt.wscaleOk)) {
            out.options |= TcpOptions.OPTION_WSCALE;
            out.wscale = tp.rxOpt.rcvWscale;
            size += TcpOptions.TCPOLEN_WSCALE_ALIGNED;
        }
        if (tp.tcp.sysctls.sack.get() != 0 && (!synAck || tp.rxOpt.sackOk)) {
            out.options |= TcpOptions.OPTION_SACK_ADVERTISE;
            if ((out.options & TcpOptions.OPTION_TS) == 0) size += TcpOptions.TCPOLEN_SACKPERM_ALIGNED;
        }
        return size;
    }

    /**
     * tcp_established_options: the ONE place that chooses the options of a segment past the handshake (data,
     * ACK, FIN, RST of a socket) and counts their bytes, which it returns: the timestamp when the handshake agreed
     * on it (RFC 7323 3.2: then every segment carries one), TSval from our clock, TSecr the ts_recent of the peer;
     * then, with a SACK peer, the blocks of the out-of-order queue, a pending D-SACK block first, as many as fit
     * beside the timestamp (4 alone, 3 next to it). When {@code out} is given the options go into it and the
     * D-SACK is spent, as tcp_options_write does; {@code null} only sizes them.
     *
     * <p>Options every segment carries belong in {@link TcpSock#tcpHeaderLen}, which the send MSS
     * ({@link #sendMss}) already leaves room for; a segment whose options are larger than that has less room for
     * payload by the difference (tcp_current_mss).
     */
    static int establishedOptions(TcpSock tp, TcpSegmentOut out) {
        int size = 0;
        if (tp.rxOpt.tstampOk) {
            if (out != null) {
                out.options |= TcpOptions.OPTION_TS;
                out.tsVal = tsVal(tp);
                out.tsEcr = tp.rxOpt.tsRecent;
            }
            size += TcpOptions.TCPOLEN_TSTAMP_ALIGNED;
        }
        int effSacks = tp.sacks.numSacks + (tp.sacks.dsack ? 1 : 0);
        if (effSacks > 0) {
            int n = Math.min(effSacks, TcpOptions.maxSackBlocks(size));
            if (out != null && n > 0) {
                int from = 0;
                if (tp.sacks.dsack) {
                    out.sackStart[0] = tp.sacks.dsackStart;
                    out.sackEnd[0] = tp.sacks.dsackEnd;
                    from = 1;
                    tp.sacks.dsack = false;
                }
                if (n > from) { // a lone D-SACK block: the socket may have no SACK blocks of its own yet
                    System.arraycopy(tp.sacks.sackStart, 0, out.sackStart, from, n - from);
                    System.arraycopy(tp.sacks.sackEnd, 0, out.sackEnd, from, n - from);
                }
                out.numSacks = n;
            }
            size += TcpOptions.sackBlocksLength(n);
        }
        return size;
    }

    /**
     * tcp_current_mss: the payload the next segment may carry, {@code mss_cache} less what its options take
     * beyond those every segment carries ({@code tcp_header_len}: the timestamp once negotiated, which the send
     * MSS already leaves room for), i.e. the SACK blocks while our out-of-order queue holds data, so that header
     * and options still fit the path.
     */
    static int currentMss(TcpSock tp) {
        int everySegment = tp.rxOpt.tstampOk ? TcpOptions.TCPOLEN_TSTAMP_ALIGNED : 0;
        return tp.mssCache - (establishedOptions(tp, null) - everySegment);
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
        return tp.opts.userMss > 0 && tp.opts.userMss < mss ? tp.opts.userMss : mss;
    }

    /**
     * tcp_sync_mss: the send MSS, the peer's MSS option capped by the path MTU, what we advertise and TCP_MAXSEG,
     * floored at {@code tcp_min_snd_mss}, less the options every segment carries ({@code tcp_header_len}: 12
     * bytes with timestamps, as tcp_mtu_to_mss takes them), bounded by half the peer's largest window.
     */
    static int sendMss(TcpSock tp) {
        int path = tp.pmtuCookie > 0 ? Math.min(mtuToMss(tp.pmtuCookie), tp.advmss) : tp.advmss;
        int ours = tp.opts.userMss > 0 ? Math.min(tp.opts.userMss, path) : path;
        int mss = Math.max(Math.min(tp.peerMss, ours), tp.tcp.sysctls.minSndMss.get())
                - (tp.tcpHeaderLen - TcpHeader.MIN_LENGTH);
        return boundToHalfWnd(tp, mss);
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

    /** The largest window {@code tp}'s 16-bit header field can announce: {@code 65535 << rcv_wscale}. */
    static int maxWindowField(TcpSock tp) { return 65535 << tp.rxOpt.rcvWscale; }

    /** What {@link #selectInitialWindow} decides: the first window, the largest one ever, and our shift. */
    record InitialWindow(int rcvWnd, int windowClamp, int rcvWscale) {}

    /**
     * tcp_select_initial_window: the first window is {@code space} (the whole receive buffer's window) within
     * {@code windowClamp} (0: none), rounded down to whole segments of {@code mss}. With window scaling the
     * shift is the smallest that lets the window grow as far as the buffer ever may ({@code max(tcp_rmem[2],
     * rmem_max)}, within the clamp, which is where a SO_RCVBUF lock shows), at most 14; the clamp ends at the
     * largest window the shift can announce.
     */
    static InitialWindow selectInitialWindow(Tcp tcp, int space, int mss, int windowClamp, boolean wscaleOk) {
        long clamp = windowClamp == 0 ? 65535L << TcpOptions.TCP_MAX_WSCALE : Integer.toUnsignedLong(windowClamp);
        long s = Math.min(clamp, Math.max(space, 0));
        if (s > mss) s -= s % mss;
        int rcvWnd = (int) s;
        int wscale = 0;
        if (wscaleOk) {
            s = Math.max(s, tcp.sysctls.rmem.get(2));
            s = Math.max(s, tcp.net.coreSysctls().rmemMax.get());
            s = Math.min(s, clamp);
            // ilog2(space) - 15: the shift that brings the largest window under 64 KiB.
            wscale = Math.max(0, Math.min(63 - Long.numberOfLeadingZeros(Math.max(s, 1)) - 15, TcpOptions.TCP_MAX_WSCALE));
        }
        return new InitialWindow(rcvWnd, (int) Math.min(65535L << wscale, clamp), wscale);
    }

    /**
     * The window clamp a SO_RCVBUF lock imposes before the initial window is chosen ({@code tcp_connect_init},
     * {@code tcp_openreq_init_rwin}): a user who fixed the buffer gets no window beyond it.
     */
    static int rcvbufLockedClamp(TcpSock tp, int windowClamp) {
        int full = rcvSpace(tp);
        boolean locked = (tp.userlocks & io.inet4j.socket.Sock.SOCK_RCVBUF_LOCK) != 0;
        return locked && (windowClamp == 0 || Integer.compareUnsigned(windowClamp, full) > 0) ? full : windowClamp;
    }

    /**
     * tcp_select_window: free receive space as the queues' real memory leaves it, within {@code rcv_ssthresh},
     * with receiver-side silly window avoidance (RFC 1122 4.2.3.3: no window smaller than an MSS unless it is a
     * large part of the buffer), never shrinking the right edge we already offered (RFC 9293 3.8.6.2.2).
     * Returns the header field: the window shifted right by {@code rcv_wscale}. With a shift the window is a
     * multiple of {@code 1 << rcv_wscale} (__tcp_select_window): rounded down while space is short, so the shift
     * does not make it larger than the room left, else up, so the shift does not make it 0; unscaled, a multiple
     * of the MSS.
     */
    static int selectWindow(TcpSock tp) {
        int wscale = tp.rxOpt.rcvWscale;
        int win = newWindow(tp);
        int cur = receiveWindow(tp);
        if (cur > win) win = align(cur, wscale);
        win = Math.min(win, maxWindowField(tp));
        tp.rcvWnd = win;
        tp.rcvWup = tp.rcvNxt;
        return win >>> wscale;
    }

    /**
     * __tcp_select_window: the window the free space offers now, in bytes, before {@link #selectWindow} keeps the
     * right edge from shrinking; 0 when too little is free to offer any (silly window avoidance).
     */
    static int newWindow(TcpSock tp) {
        int full = tp.windowClamp > 0 ? Math.min(tp.windowClamp, rcvSpace(tp)) : rcvSpace(tp);
        int free = space(tp);
        int mss = Math.max(tp.advmss, 1);
        int wscale = tp.rxOpt.rcvWscale;
        if (free < (full >> 1)) free &= -(1 << wscale);
        if (free < (full >> 1) && free < mss) return 0;
        free = Math.min(free, tp.rcvSsthresh);
        return wscale != 0 ? align(free, wscale) : free > mss ? free - free % mss : free;
    }

    /** {@code ALIGN(win, 1 << wscale)}: rounded up to what the shifted field can say. */
    private static int align(int win, int wscale) {
        int unit = (1 << wscale) - 1;
        return (int) Math.min((win + (long) unit) & ~unit, Integer.MAX_VALUE);
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
        TcpEcn.sendSyn(tp, syn);
        tp.sndUna = tp.iss;
        tp.sndSml = tp.iss;
        tp.sndNxt = tp.iss + 1;
        tp.writeSeq = tp.iss + 1;
        long now = tp.tcp.now();
        tp.retransStamp = TcpSock.jiffies32(now);
        sent(tp, syn, 0, now);
        TcpTimers.resetRetransmit(tp, tp.rto.rto());
    }

    /** tcp_send_fin: the FIN rides on the last unsent segment, or goes alone. */
    static void sendFin(TcpSock tp) {
        TcpSkb tail = tp.writeQueue.peekLast();
        if (tail != null) {
            tail.tcpFlags |= FIN;
            tail.endSeq++;
        } else {
            if (tp.writeQueue.isEmpty()) TcpChrono.start(tp, TcpChrono.BUSY);
            tp.writeQueue().add(tp.tcp.allocSkb(0, tp.writeSeq, FIN));
        }
        tp.writeSeq++;
        tp.finQueued = true;
        push(tp, true);
    }

    /** tcp_push: send what the windows allow; {@code force} overrides Nagle for the last small segment. */
    static void push(TcpSock tp, boolean force) {
        // TCP_NODELAY's TCP_NAGLE_OFF does not override TCP_CORK; a forced push (TCP_NAGLE_PUSH) does.
        writeXmit(tp, force || tp.nodelay && !tp.cork);
        if (!tp.writeQueue.isEmpty() && tp.rtxQueue.isEmpty() && !TcpSock.pending(tp.retransmitTimer)) {
            // Nothing in flight and we may not send: the peer's window is closed, so probe it (tcp_check_probe_timer).
            TcpTimers.resetProbe(tp);
        }
    }

    /**
     * tcp_write_xmit: moves segments from the write queue to the wire while the congestion window (in segments,
     * {@code tcp_cwnd_test}) and the send window allow.
     */
    static void writeXmit(TcpSock tp, boolean nonagle) {
        writeXmit(tp, nonagle, false);
    }

    /** tcp_write_xmit with {@code push_one} = 2: a tail loss probe of new data, one segment, cwnd or not. */
    static void writeXmitProbe(TcpSock tp) {
        writeXmit(tp, true, true);
    }

    private static void writeXmit(TcpSock tp, boolean nonagle, boolean lossProbe) {
        if (tp.writeQueue.isEmpty()) return; // tcp_push_pending_frames: nothing to send, nothing to learn
        boolean sent = false;
        int sentPkts = 0;
        boolean cwndLimited = false;
        boolean rwndLimited = false;
        int mssNow = currentMss(tp);
        TcpTso tso = tp.tcp.tso;
        // The route's device features, looked up once for the whole call (sk_route_caps), not once per segment.
        int features = tp.tcp.ipv4.routeFeatures(tp.daddr);
        boolean gso = !lossProbe && tso.begin(tp, features, mssNow);
        // tcp_mstamp_refresh: one clock read stamps every segment this call sends, as tp->tcp_mstamp does.
        long now = tp.tcp.now();
        while (!tp.writeQueue.isEmpty()) {
            if (lossProbe && sent) break;
            // tcp_cwnd_test: the segments the window has room for; a loss probe goes as one, cwnd or not.
            int quota = lossProbe ? 1 : tp.sndCwnd - tp.packetsInFlight();
            if (quota <= 0) {
                cwndLimited = true;
                break;
            }
            TcpSkb skb = tp.writeQueue.peek();
            int len = skb.length();
            if (len > mssNow && mssNow < tp.mssCache) {
                // Queued before SACK blocks took room in the header: tcp_write_xmit cuts it at mss_now.
                fragment(tp, tp.writeQueue, 0, skb, mssNow);
                len = mssNow;
            }
            int limit = splitPoint(tp, skb, len, quota, mssNow, nonagle);
            if (limit < 0) {
                rwndLimited = true;
                break;
            }
            // tso_fragment: what the windows do not take yet stays queued, as the next skb.
            if (limit < len) {
                fragment(tp, tp.writeQueue, 0, skb, limit);
                len = limit;
            }
            if (tp.writeQueue.size() == 1 && nagleCheck(tp, skb, len, nonagle, mssNow)) break;
            tp.writeQueue.poll();
            tp.sndNxt = skb.endSeq;
            // tcp_mark_push: PSH lives in the control block, so a retransmission carries it again.
            if (tp.writeQueue.isEmpty() && len > 0) skb.tcpFlags |= PSH;
            if (gso && tso.fits(skb)) {
                enterFlight(tp, skb, now);
                stamp(tp, skb, now);
                tso.add(skb);
            } else {
                if (gso) tso.flush();
                sent(tp, skb, features, now);
            }
            tp.tcp.ext.add(io.inet4j.mib.TcpExtMib.TCPOrigDataSent, skb.pcount);
            sent = true;
            sentPkts += skb.pcount;
        }
        if (gso) tso.flush();
        if (sentPkts > 0 && TcpSack.inCwndReduction(tp)) tp.ownLoss().prrOut += sentPkts; // PRR counts new data too
        // A window filled to the last segment is cwnd-limited too, even when the queue ran dry at that moment.
        cwndLimited |= tp.packetsInFlight() >= tp.sndCwnd;
        if (rwndLimited) TcpChrono.start(tp, TcpChrono.RWND_LIMITED);
        else TcpChrono.stop(tp, TcpChrono.RWND_LIMITED);
        if (sent || cwndLimited) TcpCong.validate(tp, cwndLimited);
        if (sent && !TcpSock.pending(tp.retransmitTimer) || sent && tp.timerPending == TcpTimers.PROBE) {
            TcpTimers.resetRetransmit(tp, tp.rto.rto());
        } else if (sent && tp.timerPending == TcpTimers.LOSS_PROBE) {
            TcpTimers.rearmRto(tp); // tcp_event_new_data_sent
        }
        // One loss probe per tail loss episode.
        if (sent && !lossProbe) TcpTlp.scheduleLossProbe(tp, false);
    }

    /**
     * tcp_mss_split_point: how much of the head skb's {@code len} bytes may go now, -1 for nothing (the receive
     * window is the limit). At most {@code quota} segments (the congestion window); within the peer's window whole
     * segments, or, with nothing in flight, the part of one that fits (a window smaller than a segment); and a short
     * last segment that Nagle would hold back is left queued on its own, so that it waits as it would alone.
     */
    private static int splitPoint(TcpSock tp, TcpSkb skb, int len, int quota, int mssNow, boolean nonagle) {
        int limit = (long) quota * mssNow < len ? quota * mssNow : len;
        int allowed = tp.sndUna + tp.sndWnd - skb.seq;
        if (len > 0 && allowed < limit) {
            int whole = allowed / mssNow * mssNow;
            if (whole > 0) return whole;
            if (allowed <= 0 || (allowed < tp.mssCache && tp.inFlight() > 0)) return -1;
            return allowed;
        }
        int partial = limit % mssNow;
        if (limit == len && limit > mssNow && partial != 0 && tp.writeQueue.size() == 1 && !nonagle
                && !skb.has(FIN) && (tp.cork || minshallCheck(tp))) {
            return limit - partial;
        }
        return limit;
    }

    /** tcp_minshall_check: a short segment sent earlier is not acknowledged yet. */
    private static boolean minshallCheck(TcpSock tp) {
        return TcpSeq.after(tp.sndSml, tp.sndUna) && !TcpSeq.after(tp.sndSml, tp.sndNxt);
    }

    /**
     * tcp_nagle_test / tcp_nagle_check with Minshall's variant: the last queued segment, if short and no FIN,
     * waits while an earlier short segment is unacknowledged (tcp_minshall_check); full segments in flight do
     * not hold it back, so the short tail of a write goes out right behind them.
     */
    private static boolean nagleCheck(TcpSock tp, TcpSkb skb, int len, boolean nonagle, int mssNow) {
        if (len >= mssNow || skb.has(FIN) || nonagle) return false;
        if (tp.cork) return true; // TCP_NAGLE_CORK holds a partial segment whatever is in flight
        if (tp.packetsOut == 0) return false;
        return minshallCheck(tp);
    }

    /** tcp_event_new_data_sent: the segment joins the retransmission queue and the flight, then goes out. */
    private static void sent(TcpSock tp, TcpSkb skb, int features, long now) {
        enterFlight(tp, skb, now);
        transmitQueued(tp, skb, features, now);
    }

    /** tcp_event_new_data_sent's accounting: the segment joins the retransmission queue and the flight. */
    private static void enterFlight(TcpSock tp, TcpSkb skb, long now) {
        skb.setPcount(tp.mssCache);
        // tcp_minshall_update: the end of the last sub-MSS segment sent, for Nagle.
        if (skb.length() < skb.pcount * currentMss(tp)) tp.sndSml = skb.endSeq;
        if (skb.length() > 0) eventDataSent(tp, now);
        tp.rtxQueue().add(skb);
        tp.packetsOut += skb.pcount;
    }

    /**
     * Sends a queued segment with its control block's flags, stamping the block with the time. One queued before
     * the path MTU shrank leaves as {@code pcount} segments of at most the current MSS, as GSO cuts a large skb;
     * PSH and FIN ride on the last. {@code features} are the route's device's ({@link NetdevFeatures}). Returns 0 or
     * the first error IP reported.
     */
    private static int transmitQueued(TcpSock tp, TcpSkb skb, int features, long now) {
        stamp(tp, skb, now);
        int flags = skb.tcpFlags;
        int len = skb.length();
        int mss = tp.mssCache;
        boolean newData = len > 0 && (skb.sacked & TcpSkb.TCPCB_EVER_RETRANS) == 0;
        // Only SG is taken from the route: the checksum stays in software, as for every single segment.
        int sg = features & NetdevFeatures.SG;
        if (len <= mss) return transmit(tp, skb.seq, flags, payloadFor(tp.tcp, skb.skb, skb.off, len, sg), newData, 0, 0);
        int err = 0;
        for (int off = 0; off < len; off += mss) {
            int n = Math.min(mss, len - off);
            int r = transmit(tp, skb.seq + off, off + n < len ? flags & ~(FIN | PSH) : flags,
                    payloadFor(tp.tcp, skb.skb, skb.off + off, n, sg), newData, 0, 0);
            if (err == 0) err = r;
        }
        return err;
    }

    /** The segment leaves now: its send times, its rate-sample state and its place in the transmission order. */
    private static void stamp(TcpSock tp, TcpSkb skb, long now) {
        boolean first = skb.firstTxNanos == 0;
        if (first) skb.firstTxNanos = now;
        skb.txNanos = now;
        // A first transmission is in packets_out already (tcp_event_new_data_sent ran); the sample wants the flight before it.
        TcpRate.skbSent(tp, skb, first ? tp.packetsOut - skb.pcount : tp.packetsOut, now);
        tp.txOrder += skb.pcount;
        skb.txOrder = tp.txOrder;
    }

    /**
     * tcp_write_wakeup's sending half: the persist timer found the window open for the head of the write queue
     * (data held back by TCP_CORK), so that head goes, with PSH, cut to the window and the MSS.
     */
    static void writeWakeup(TcpSock tp) {
        TcpSkb skb = tp.writeQueue.peek();
        int segSize = tp.sndUna + tp.sndWnd - skb.seq;
        if (segSize < skb.endSeq - skb.seq || skb.length() > tp.mssCache) {
            fragment(tp, tp.writeQueue, 0, skb, Math.min(segSize, tp.mssCache));
        }
        skb.tcpFlags |= PSH;
        tp.writeQueue.poll();
        tp.sndNxt = skb.endSeq;
        sent(tp, skb, tp.tcp.ipv4.routeFeatures(tp.daddr), tp.tcp.now());
        tp.tcp.ext.add(io.inet4j.mib.TcpExtMib.TCPOrigDataSent, skb.pcount);
        TcpTimers.resetRetransmit(tp, tp.rto.rto());
    }

    /**
     * tcp_fragment: cuts {@code skb}, the {@code index}th of {@code queue}, after {@code len} bytes; the rest becomes
     * the next skb of the queue, sharing the buffer (no copy). FIN and PSH move to the second part; in the
     * retransmission queue both parts keep the first's send state and scoreboard bits (each part its share of the
     * transmission order), and the segment counts follow their new pcounts ({@code tcp_adjust_pcount}).
     */
    static TcpSkb fragment(TcpSock tp, SockQueue<TcpSkb> queue, int index, TcpSkb skb, int len) {
        TcpSkb tail = tp.tcp.cloneSkb(skb, len);
        tail.endSeq = skb.endSeq;
        skb.len = len;
        skb.endSeq = skb.seq + len;
        skb.tcpFlags &= ~(FIN | PSH);
        queue.insert(index + 1, tail);
        if (queue == tp.writeQueue) return tail;
        tail.sentWith(skb);
        int old = skb.pcount;
        skb.setPcount(tp.mssCache);
        tail.setPcount(tp.mssCache);
        tail.txOrder = skb.txOrder;
        skb.txOrder -= tail.pcount;
        adjustPcount(tp, skb, old - skb.pcount - tail.pcount);
        return tail;
    }

    /** tcp_adjust_pcount: {@code skb}'s part of the counts shrank by {@code decr} segments (negative: grew). */
    private static void adjustPcount(TcpSock tp, TcpSkb skb, int decr) {
        if (decr == 0) return;
        tp.packetsOut -= decr;
        if ((skb.sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) tp.sackedOut -= decr;
        if ((skb.sacked & TcpSkb.TCPCB_SACKED_RETRANS) != 0) tp.retransOut -= decr;
        if ((skb.sacked & TcpSkb.TCPCB_LOST) != 0) tp.lostOut -= decr;
    }

    /**
     * __tcp_retransmit_skb's cut: a retransmission of {@code skb}, the {@code index}th of the retransmission queue,
     * carries at most {@code segs} segments (what the congestion window has room for) within the peer's window;
     * the rest stays behind as an skb of its own, to go when its turn comes.
     */
    static void trimForRetransmit(TcpSock tp, int index, TcpSkb skb, int segs) {
        int mss = tp.mssCache;
        if (skb.length() <= mss) return;
        int availWnd = tp.sndUna + tp.sndWnd - skb.seq;
        if (availWnd <= 0) availWnd = mss;
        int len = (long) mss * segs < skb.length() ? mss * segs : skb.length();
        if (len > availWnd) {
            len = availWnd / mss * mss;
            if (len == 0) len = availWnd;
        }
        if (len < skb.length()) fragment(tp, tp.rtxQueue, index, skb, len);
    }

    /** tcp_retransmit_skb: the head of the retransmission queue again. */
    static void retransmitHead(TcpSock tp) {
        TcpSkb skb = tp.rtxQueue.peek();
        if (skb == null) return;
        trimForRetransmit(tp, 0, skb, 1);
        retransmit(tp, skb);
    }

    /**
     * The congestion half of tcp_event_data_sent, before the segment joins the flight: data leaving with nothing in
     * flight is the first after a pause (CA_EVENT_TX_START, which CUBIC reads {@code lsndtime} for), and its time
     * is the new {@code lsndtime}. SYN and FIN alone are not data.
     */
    private static void eventDataSent(TcpSock tp, long now) {
        if (tp.packetsInFlight() == 0) TcpCong.caEvent(tp, TcpCongestionOps.CA_EVENT_TX_START);
        tp.lsndtime = TcpSock.jiffies32(now);
    }

    /** tcp_retransmit_skb: sends {@code skb} again; a retransmission in flight counts in {@code retrans_out}. */
    static void retransmit(TcpSock tp, TcpSkb skb) {
        if ((skb.sacked & TcpSkb.TCPCB_SACKED_RETRANS) == 0) tp.retransOut += skb.pcount;
        skb.sacked |= TcpSkb.TCPCB_RETRANS;
        if (tp.retransStamp == 0) tp.retransStamp = TcpSock.jiffies32(tp.tcp.now());
        // Each retransmission may come back D-SACKed; undo needs all of them to.
        if (tp.loss.undoRetrans < 0) tp.ownLoss().undoRetrans = 0;
        tp.ownLoss().undoRetrans += skb.pcount;
        retransmitSkb(tp, skb);
    }

    /**
     * __tcp_retransmit_skb: the segment goes again, counted as a retransmission, without joining
     * {@code retrans_out} (a tail loss probe's resend is not believed to repair a known loss). Returns 0 or the
     * error IP reported.
     */
    static int retransmitSkb(TcpSock tp, TcpSkb skb) {
        long now = tp.tcp.now();
        if (skb.length() > 0) eventDataSent(tp, now);
        skb.sacked |= TcpSkb.TCPCB_EVER_RETRANS;
        tp.tcp.mib.inc(TcpMib.RetransSegs);
        if (skb.has(SYN)) {
            tp.tcp.ext.inc(io.inet4j.mib.TcpExtMib.TCPSynRetrans);
            TcpEcn.clearSyn(tp, skb);
        }
        // tcp_retransmit_skb: a retransmission IP refused is counted; the timer still backs off and gives up.
        int err = transmitQueued(tp, skb, tp.tcp.ipv4.routeFeatures(tp.daddr), now);
        if (err < 0) {
            tp.tcp.ext.inc(io.inet4j.mib.TcpExtMib.TCPRetransFail);
        } else {
            tp.ownLoss().totalRetrans += skb.pcount;
            tp.ownLoss().bytesRetrans += skb.length();
        }
        if (TcpSockOps.wanted(tp, SockOp.RETRANS_CB_FLAG)) TcpSockOps.call(tp, SockOp.RETRANS_CB, skb.seq, skb.pcount, err);
        return err;
    }

    /**
     * tcp_xmit_retransmit_queue: segments presumed lost, neither SACKed nor already resent in this episode, go
     * again in order while the window has room, until as many retransmissions are in flight as segments are
     * lost: every hole the scoreboard marked goes in one round trip. In recovery they count in PRR's
     * {@code prr_out} and as TCPFastRetrans. Resending the head restarts the retransmission timer, in place of a
     * loss probe or of an RTO counted from an older transmission, unless RACK's reordering timer is running (its
     * handler re-arms the RTO itself).
     */
    static void xmitRetransmitQueue(TcpSock tp) {
        TcpSkb rtxHead = tp.rtxQueue.peek();
        boolean rearmTimer = false;
        // Indexed: a retransmission cut to the window puts the rest of its skb behind it.
        for (int i = 0; i < tp.rtxQueue.size(); i++) {
            TcpSkb skb = tp.rtxQueue.get(i);
            int segs = tp.sndCwnd - tp.packetsInFlight();
            if (segs <= 0) break;
            if (tp.retransOut >= tp.lostOut) break;
            if ((skb.sacked & (TcpSkb.TCPCB_LOST | TcpSkb.TCPCB_SACKED_RETRANS | TcpSkb.TCPCB_SACKED_ACKED))
                    != TcpSkb.TCPCB_LOST) {
                continue;
            }
            trimForRetransmit(tp, i, skb, segs);
            retransmit(tp, skb);
            if (tp.caState != io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_LOSS) {
                tp.tcp.ext.add(io.inet4j.mib.TcpExtMib.TCPFastRetrans, skb.pcount);
            }
            if (TcpSack.inCwndReduction(tp)) tp.ownLoss().prrOut += skb.pcount;
            if (skb == rtxHead && tp.timerPending != TcpTimers.REO_TIMEOUT) rearmTimer = true;
        }
        if (rearmTimer) TcpTimers.resetRetransmit(tp, tp.rto.rto());
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
