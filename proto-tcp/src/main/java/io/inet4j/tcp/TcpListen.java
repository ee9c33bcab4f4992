package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.TcpSeq.before;
import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;

import io.inet4j.hook.SockOp;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.mib.TcpMib;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;

/**
 * The passive side of the handshake ({@code tcp_v4_conn_request}, {@code tcp_check_req},
 * {@code tcp_v4_syn_recv_sock}, {@code tcp_create_openreq_child}): a SYN to a listener becomes a request sock
 * in its SYN queue and a SYN-ACK; the final ACK turns it into an established child on the accept queue.
 *
 * <p>Queue limits follow Linux: a SYN is dropped when the SYN queue holds
 * {@code roundup_pow_of_two(min(backlog, somaxconn, tcp_max_syn_backlog) + 1)} (at least 16) requests or the
 * accept queue is full; a final ACK that finds the accept queue full is dropped (ListenOverflows) and the
 * SYN-ACK retransmission gives the peer another try, unless {@code tcp_abort_on_overflow} asks for a RST.
 *
 * <p>With {@code tcp_syncookies} (1, Linux's default) a SYN that finds the SYN queue full is answered anyway, with
 * a cookie ISN and no request kept ({@link TcpSyncookies}); the final ACK that returns the cookie creates the child.
 */
final class TcpListen {
    private static final System.Logger LOG = System.getLogger(TcpListen.class.getName());

    private TcpListen() {}

    /** A segment for a listening socket; takes ownership of the buffer. */
    static void rcv(TcpSock listener, TcpSegment seg) {
        TcpRequestSock req = listener.synq.table.get(new TcpRequestSock.Key(seg.daddr, seg.saddr, seg.sport));
        if (req != null) {
            checkReq(listener, req, seg);
            return;
        }
        if (seg.has(RST)) {
            seg.skb.release();
            return;
        }
        if (seg.has(ACK)) {
            // tcp_v4_cookie_check: an ACK nobody waits for may be the answer to a cookie.
            if (!seg.has(SYN) && cookieCheck(listener, seg)) return;
            TcpOutput.sendResetFor(listener.tcp, seg);
            seg.skb.release();
            return;
        }
        // tcp_rcv_state_process, LISTEN: a SYN that also says FIN is nonsense and is discarded (TCP_FLAGS).
        if (seg.has(SYN) && !seg.has(FIN)) connRequest(listener, seg);
        seg.skb.release();
    }

    /** tcp_conn_request: answer a SYN with a SYN-ACK, remembering the request. */
    private static void connRequest(TcpSock listener, TcpSegment seg) {
        Tcp tcp = listener.tcp;
        if (tcp.toBroadcastOrMulticast(seg.daddr)) {
            // tcp_v4_conn_request: a connection is with one host, never with a broadcast or multicast group.
            tcp.ext.inc(TcpExtMib.ListenDrops);
            return;
        }
        long max = ListenBacklog.synQueueLength(listener.maxAckBacklog, tcp.net.coreSysctls().somaxconn.get(),
                tcp.sysctls.maxSynBacklog.get());
        int isn = seg.twIsn;
        int syncookies = tcp.sysctls.syncookies.get();
        boolean wantCookie = false;
        // A SYN that ends a TIME_WAIT is no flood: tcp_conn_request lets it past a full SYN queue.
        if (isn == 0 && (syncookies == 2 || listener.synq.table.size() >= max)) {
            wantCookie = synFloodAction(listener, syncookies);
            if (!wantCookie) {
                tcp.ext.inc(TcpExtMib.ListenDrops);
                return;
            }
        }
        if (listener.acceptQueueFull()) {
            tcp.ext.inc(TcpExtMib.ListenOverflows);
            tcp.ext.inc(TcpExtMib.ListenDrops);
            return;
        }
        if (isn == 0) {
            isn = wantCookie ? tcp.syncookies.initSequence(listener, seg)
                    : tcp.isn.secureTcpSeq(seg.daddr, seg.saddr, seg.dport, seg.sport);
        }
        TcpRequestSock req = new TcpRequestSock(listener, seg, isn, wantCookie);
        openreqInit(req, seg);
        // Only a timestamp can bring the other options back with a cookie's final ACK: without one, none are offered.
        if (wantCookie && !req.rxOpt.sawTstamp) TcpSyncookies.clearOptions(req.rxOpt);
        openreqInitRwin(req, TcpOutput.advmss(listener, req.raddr));
        req.ecnOk = TcpEcn.createRequest(tcp, seg) && (!wantCookie || req.rxOpt.tstampOk);
        if (wantCookie) {
            sendSynack(req); // the request itself is forgotten: the cookie is all that remains of it
            return;
        }
        listener.addRequest(req);
        sendSynack(req);
        listener.net.loop().schedule(req.timer, RtoEstimator.TCP_TIMEOUT_INIT);
    }

    /**
     * tcp_syn_flood_action: the SYN queue is full (or {@code tcp_syncookies} = 2 answers every SYN with a cookie);
     * true when a cookie should answer. The first time, a listener says so in the log (once per listener).
     */
    private static boolean synFloodAction(TcpSock listener, int syncookies) {
        Tcp tcp = listener.tcp;
        boolean wantCookie = syncookies != 0;
        tcp.ext.inc(wantCookie ? TcpExtMib.TCPReqQFullDoCookies : TcpExtMib.TCPReqQFullDrop);
        if (!listener.synq.synfloodWarned && syncookies != 2) {
            listener.ownSynq().synfloodWarned = true;
            LOG.log(System.Logger.Level.INFO, "TCP: Possible SYN flooding on port "
                    + SockAddrIn.formatAddress(listener.rcvSaddr) + ":" + listener.num + ". "
                    + (wantCookie ? "Sending cookies" : "Dropping request") + ".  Check SNMP counters.");
        }
        return wantCookie;
    }

    /**
     * cookie_v4_check: an ACK without a request may carry one of our cookies. False when it does not (or cookies
     * are off, or this listener sent none within their lifetime: {@code tcp_synq_no_recent_overflow}), and the
     * caller resets it like any stray ACK; true when it was taken, by a new child or dropped.
     */
    private static boolean cookieCheck(TcpSock listener, TcpSegment seg) {
        Tcp tcp = listener.tcp;
        if (tcp.sysctls.syncookies.get() == 0 || seg.has(RST)
                || TcpSyncookies.synqNoRecentOverflow(listener, tcp.now())) {
            return false;
        }
        int mss = tcp.syncookies.check(seg);
        if (mss == 0) {
            tcp.ext.inc(TcpExtMib.SyncookiesFailed);
            return false;
        }
        tcp.ext.inc(TcpExtMib.SyncookiesRecv);
        TcpRequestSock req = TcpRequestSock.fromCookie(listener, seg, mss);
        if (!tcp.syncookies.decodeOptions(req, seg)) return false;
        // cookie_v4_check redoes tcp_v4_send_synack's window choice, for the MSS the cookie carried.
        openreqInitRwin(req, mss);
        if (listener.acceptQueueFull()) {
            // tcp_v4_syn_recv_sock's exit_overflow: no child, and the ACK is dropped.
            tcp.ext.inc(TcpExtMib.ListenOverflows);
            tcp.ext.inc(TcpExtMib.ListenDrops);
            seg.skb.release();
            return true;
        }
        TcpSock child = createChild(listener, req, seg);
        listener.acceptQueueAdd(child);
        TcpInput.rcv(child, seg);
        return true;
    }

    /**
     * tcp_openreq_init: the options of the SYN the request accepts, as the sysctls allow (window scaling,
     * timestamps with the SYN's TSval to echo and our offset for this address pair).
     */
    private static void openreqInit(TcpRequestSock req, TcpSegment syn) {
        TcpSock l = req.listener;
        Tcp tcp = l.tcp;
        TcpRxOpt rx = req.rxOpt;
        // tcp_parse_options: SYN options count only while their sysctl is on.
        rx.sackOk = syn.opts.sackPermitted() && tcp.sysctls.sack.get() != 0;
        rx.wscaleOk = syn.opts.sawWscale() && tcp.sysctls.windowScaling.get() != 0;
        rx.sndWscale = (byte) (rx.wscaleOk ? syn.opts.wscale() : 0);
        rx.parseTimestamp(syn.opts, tcp.sysctls.timestamps.get() != 0);
        rx.tstampOk = rx.sawTstamp;
        rx.tsRecent = rx.sawTstamp ? rx.rcvTsval : 0;
        rx.tsOffset = rx.tstampOk ? TcpOutput.secureTsOff(tcp, req.laddr, req.raddr) : 0;
    }

    /**
     * tcp_openreq_init_rwin: the request's window, clamp and shift from the listener's buffer. With timestamps the
     * window is a multiple of {@code mss} less their 12 bytes, the payload a full segment will carry.
     */
    private static void openreqInitRwin(TcpRequestSock req, int mss) {
        TcpSock l = req.listener;
        Tcp tcp = l.tcp;
        TcpRxOpt rx = req.rxOpt;
        TcpOutput.InitialWindow iw = TcpOutput.selectInitialWindow(tcp, TcpOutput.rcvSpace(l),
                mss - (rx.tstampOk ? TcpOptions.TCPOLEN_TSTAMP_ALIGNED : 0),
                TcpOutput.rcvbufLockedClamp(l, l.windowClamp), rx.wscaleOk);
        req.rcvWnd = iw.rcvWnd();
        req.windowClamp = iw.windowClamp();
        rx.rcvWscale = (byte) iw.rcvWscale();
    }

    /**
     * tcp_make_synack with tcp_synack_options: MSS, then only what the SYN offered and we accepted, window scale
     * and the timestamp echoing the SYN's TSval. The window is not scaled (RFC 7323 2.2).
     */
    private static void sendSynack(TcpRequestSock req) {
        TcpSock l = req.listener;
        int advmss = TcpOutput.advmss(l, req.raddr);
        TcpSegmentOut out = l.tcp.out.clear(req.laddr, req.raddr, req.lport, req.rport, req.sndIsn,
                req.rcvIsn + 1, SYN | ACK | TcpEcn.synackFlags(req.ecnOk), Math.min(req.rcvWnd, 65535));
        out.mss = advmss;
        TcpRxOpt rx = req.rxOpt;
        if (rx.wscaleOk) {
            out.options |= TcpOptions.OPTION_WSCALE;
            out.wscale = rx.rcvWscale;
        }
        if (rx.tstampOk) {
            // A cookie's TSval carries the options the request would have kept (cookie_init_timestamp).
            int now = TcpOutput.tcpTimeStamp(l.tcp);
            out.options |= TcpOptions.OPTION_TS;
            out.tsVal = (req.syncookie ? TcpSyncookies.initTimestamp(rx, req.ecnOk, now) : now) + rx.tsOffset;
            out.tsEcr = rx.tsRecent;
        }
        if (rx.sackOk) out.options |= TcpOptions.OPTION_SACK_ADVERTISE;
        out.tos = l.tos;
        out.ttl = l.ttl;
        if (req.sntSynack == 0) req.sntSynack = l.tcp.now();
        TcpOutput.transmitSkb(l.tcp, out, null, 0);
    }

    /**
     * reqsk_timer_handler: retransmit the SYN-ACK with backoff, or give up after tcp_synack_retries. Under
     * TCP_DEFER_ACCEPT a request whose handshake a bare ACK completed is kept, silent, until the defer count; the
     * last timeout in it sends the SYN-ACK again, whose ACK then makes the connection ({@code syn_ack_recalc}).
     */
    static void synackTimer(TcpRequestSock req) {
        TcpSock l = req.listener;
        if (l.synq.table.get(req.key()) != req) return;
        int maxRetries = l.tcp.sysctls.synackRetries.get();
        int defer = l.opts.deferAccept;
        boolean expire = req.retransmits >= maxRetries && (defer == 0 || !req.acked || req.retransmits >= defer);
        boolean resend = defer == 0 || !req.acked || req.retransmits >= defer - 1;
        if (expire) {
            l.synq.table.remove(req.key());
            return;
        }
        if (resend) rtxSynack(req);
        req.retransmits++;
        l.net.loop().schedule(req.timer, timeout(req));
    }

    /** secs_to_retrans: TCP_DEFER_ACCEPT's seconds as the SYN-ACK timeouts (1 s doubling, at most 120 s) they span. */
    static int secsToRetrans(int seconds) {
        int res = 0;
        if (seconds > 0) {
            int timeout = SYNACK_TIMEOUT_INIT_SECS;
            int period = timeout;
            res = 1;
            while (seconds > period && res < 255) {
                res++;
                timeout = Math.min(timeout << 1, SYNACK_RTO_MAX_SECS);
                period += timeout;
            }
        }
        return res;
    }

    /** retrans_to_secs: the seconds {@code retrans} SYN-ACK timeouts span, what TCP_DEFER_ACCEPT reads back. */
    static int retransToSecs(int retrans) {
        int period = 0;
        if (retrans > 0) {
            int timeout = SYNACK_TIMEOUT_INIT_SECS;
            period = timeout;
            while (--retrans > 0) {
                timeout = Math.min(timeout << 1, SYNACK_RTO_MAX_SECS);
                period += timeout;
            }
        }
        return period;
    }

    private static final int SYNACK_TIMEOUT_INIT_SECS = (int) (RtoEstimator.TCP_TIMEOUT_INIT / 1_000_000_000L);
    private static final int SYNACK_RTO_MAX_SECS = (int) (RtoEstimator.TCP_RTO_MAX / 1_000_000_000L);

    /** reqsk_timeout: the initial RTO doubled per timeout so far, at most TCP_RTO_MAX. */
    private static long timeout(TcpRequestSock req) {
        return Math.min(RtoEstimator.TCP_TIMEOUT_INIT << req.retransmits, RtoEstimator.TCP_RTO_MAX);
    }

    /** tcp_rtx_synack: the SYN-ACK again, counted as a retransmission. */
    private static void rtxSynack(TcpRequestSock req) {
        Tcp tcp = req.listener.tcp;
        req.numRetrans++;
        tcp.mib.inc(TcpMib.RetransSegs);
        tcp.ext.inc(TcpExtMib.TCPSynRetrans);
        sendSynack(req);
    }

    /** tcp_check_req: the segment after our SYN-ACK, checked as RFC 793 checks one in SYN-RECEIVED. */
    private static void checkReq(TcpSock listener, TcpRequestSock req, TcpSegment seg) {
        Tcp tcp = listener.tcp;
        int flg = seg.flags & (RST | SYN | ACK);
        // RFC 7323 PAWS against the SYN's TSval; the request keeps no time for it, so its age is guessed as the
        // longest the request may have waited (reqsk_timeout).
        TcpRxOpt rx = req.rxOpt;
        rx.parseTimestamp(seg.opts, tcp.sysctls.timestamps.get() != 0);
        boolean pawsReject = false;
        if (rx.sawTstamp) {
            rx.tsRecentStamp = (int) (tcp.seconds() - timeout(req) / 1_000_000_000L);
            pawsReject = rx.pawsReject((flg & RST) != 0, tcp.seconds());
        }
        if (seg.seq == req.rcvIsn && flg == SYN && !pawsReject) {
            // The peer did not get our SYN-ACK: it goes again, at most once per tcp_invalid_ratelimit, and the
            // retransmission timer starts over from it, as after a fast retransmit.
            if (!req.oow.limited(tcp, seg, TcpExtMib.TCPACKSkippedSynRecv)) {
                rtxSynack(req);
                if (req.timer.isPending()) listener.net.loop().schedule(req.timer, timeout(req));
            }
            seg.skb.release();
            return;
        }
        if ((flg & ACK) != 0 && seg.ack != req.sndIsn + 1) {
            TcpOutput.sendResetFor(tcp, seg); // an unacceptable ACK: the listener answers with a RST
            seg.skb.release();
            return;
        }
        int rcvNxt = req.rcvIsn + 1;
        if (pawsReject || !inWindow(seg.seq, seg.endSeq(), rcvNxt, rcvNxt + req.rcvWnd)) {
            // Out of the window our SYN-ACK offered: a RST is blind and goes, anything else hears where we are.
            if ((flg & RST) == 0 && !req.oow.limited(tcp, seg, TcpExtMib.TCPACKSkippedSynRecv)) sendAck(req);
            if (pawsReject) tcp.ext.inc(TcpExtMib.PAWSEstab);
            seg.skb.release();
            return;
        }
        if (rx.sawTstamp && !after(seg.seq, rcvNxt)) rx.tsRecent = rx.rcvTsval;
        if (seg.seq == req.rcvIsn) flg &= ~SYN; // the SYN itself lies before the window
        if ((flg & (RST | SYN)) != 0) {
            // embryonic_reset: an in-window RST ends the request, an in-window SYN earns a RST and ends it too.
            tcp.mib.inc(TcpMib.AttemptFails);
            if ((flg & RST) == 0) TcpOutput.sendResetFor(tcp, seg);
            req.drop();
            listener.synq.table.remove(req.key());
            tcp.ext.inc(TcpExtMib.EmbryonicRsts);
            seg.skb.release();
            return;
        }
        if ((flg & ACK) == 0) {
            seg.skb.release();
            return;
        }
        // TCP_DEFER_ACCEPT: a bare ACK makes no connection while the defer period lasts; data will, or the
        // SYN-ACK sent at its end (synackTimer) asks for another ACK.
        if (req.retransmits < listener.opts.deferAccept && seg.endSeq() == req.rcvIsn + 1) {
            req.acked = true;
            tcp.ext.inc(TcpExtMib.TCPDeferAcceptDrop);
            seg.skb.release();
            return;
        }
        if (listener.acceptQueueFull()) {
            tcp.ext.inc(TcpExtMib.ListenOverflows);
            tcp.ext.inc(TcpExtMib.ListenDrops);
            if (tcp.sysctls.abortOnOverflow.get() != 0) {
                req.drop();
                listener.synq.table.remove(req.key());
                TcpOutput.sendResetFor(tcp, seg);
            }
            seg.skb.release();
            return;
        }
        req.drop();
        listener.synq.table.remove(req.key());
        TcpSock child = createChild(listener, req, seg);
        listener.acceptQueueAdd(child);
        TcpInput.rcv(child, seg);
    }

    /** tcp_in_window: does {@code [seq, endSeq)} touch the window {@code [sWin, eWin]}? */
    private static boolean inWindow(int seq, int endSeq, int sWin, int eWin) {
        if (seq == sWin) return true;
        if (after(endSeq, sWin) && before(seq, eWin)) return true;
        return seq == eWin && seq == endSeq;
    }

    /** tcp_v4_reqsk_send_ack: an ACK from the request, as a SYN-ACK's successor would carry it. */
    private static void sendAck(TcpRequestSock req) {
        TcpSock l = req.listener;
        TcpSegmentOut out = l.tcp.out.clear(req.laddr, req.raddr, req.lport, req.rport, req.sndIsn + 1,
                req.rcvIsn + 1, ACK, req.rcvWnd >>> req.rxOpt.rcvWscale);
        // tcp_v4_send_ack: a timestamp when there is a TSval to echo.
        if (req.rxOpt.tsRecent != 0) {
            out.options |= TcpOptions.OPTION_TS;
            out.tsVal = TcpOutput.tcpTimeStamp(l.tcp) + req.rxOpt.tsOffset;
            out.tsEcr = req.rxOpt.tsRecent;
        }
        out.tos = l.tos;
        out.ttl = l.ttl;
        TcpOutput.transmitSkb(l.tcp, out, null, 0);
    }

    /** tcp_create_openreq_child: a full socket for the request, established, hashed, inheriting the port. */
    private static TcpSock createChild(TcpSock l, TcpRequestSock req, TcpSegment seg) {
        Tcp tcp = l.tcp;
        TcpSock c = new TcpSock(l.prot, tcp, l.type);
        c.inheritFrom(l);
        c.state = TcpState.SYN_RECV; // inet_csk_clone_lock: the child starts in SYN_RECV, not through tcp_set_state
        c.rcvSaddr = c.saddr = req.laddr;
        c.num = req.lport;
        c.daddr = req.raddr;
        c.dport = req.rport;
        TcpCong.dstInit(c); // tcp_ca_openreq_child: the route back to the peer may name the algorithm
        c.iss = req.sndIsn;
        c.sndUna = c.sndNxt = c.writeSeq = c.sndSml = req.sndIsn + 1;
        TcpRxOpt rx = req.rxOpt;
        c.rxOpt.wscaleOk = rx.wscaleOk;
        c.rxOpt.sndWscale = rx.wscaleOk ? rx.sndWscale : 0;
        c.rxOpt.rcvWscale = rx.wscaleOk ? rx.rcvWscale : 0;
        c.windowClamp = rx.wscaleOk ? req.windowClamp : Math.min(req.windowClamp, 65535);
        // The ACK that completes the handshake carries the first scaled window.
        c.sndWnd = c.maxWindow = seg.window << c.rxOpt.sndWscale;
        c.rxOpt.tstampOk = rx.tstampOk;
        c.rxOpt.tsOffset = rx.tsOffset;
        if (rx.tstampOk) {
            c.rxOpt.tsRecent = rx.tsRecent;
            c.rxOpt.tsRecentStamp = (int) tcp.seconds();
            c.tcpHeaderLen = TcpHeader.MIN_LENGTH + TcpOptions.TCPOLEN_TSTAMP_ALIGNED;
        }
        c.sndWl1 = req.rcvIsn;
        c.sndWl2 = c.sndUna;
        c.irs = req.rcvIsn;
        c.rcvNxt = c.rcvWup = c.copiedSeq = req.rcvIsn + 1;
        c.pmtuCookie = tcp.ipv4.routeMtu(req.raddr);
        c.advmss = (char) TcpOutput.advmss(req.listener, req.raddr);
        c.rcvWnd = req.rcvWnd;
        c.rcvSsthresh = c.rcvWnd;
        c.peerMss = req.peerMss;
        c.ecnFlags = (byte) (req.ecnOk ? TcpEcn.TCP_ECN_OK : 0); // tcp_ecn_openreq_child
        c.rxOpt.sackOk = req.rxOpt.sackOk;
        c.mssCache = TcpOutput.sendMss(c);
        TcpDelack.initRcvMss(c);
        c.sndCwnd = Tcp.TCP_INIT_CWND;
        TcpSockOps.call(c, SockOp.PASSIVE_ESTABLISHED_CB); // tcp_init_transfer, still in SYN_RECV as in the kernel
        TcpCong.init(c);
        TcpInput.initBufferSpace(c);
        c.done = true;
        c.ackLrcvtime = TcpSock.jiffies32(tcp.now()); // tcp_create_openreq_child: icsk_ack.lrcvtime
        // tcp_synack_rtt_meas: the final ACK times the SYN-ACK, unless it was sent more than once (Karn).
        // With timestamps the echo times it even then (tcp_ack_update_rtt); a cookie's SYN-ACK left no send time.
        long rtt = req.numRetrans == 0 && !req.syncookie ? tcp.now() - req.sntSynack : TcpInput.tsRttNanos(tcp, rx);
        if (rtt >= 0) {
            TcpInput.updateRttMin(c, rtt);
            c.rto.onAck(rtt, c.sndUna, c.sndNxt);
        }
        // tcp_create_openreq_child: SYN-ACK timeouts count as the connection's first timeout recovery.
        if (req.retransmits > 0) {
            c.ownLoss().totalRto = req.retransmits;
            c.ownLoss().totalRtoRecoveries = 1;
            c.ownLoss().totalRtoTime = tcp.now() - req.sntSynack;
        }
        c.delivered++; // tcp_rcv_state_process in SYN_RECV: the SYN-ACK's delivery, which tcp_ack does not see
        c.lsndtime = c.rcvTstamp = TcpSock.jiffies32(tcp.now());
        c.segsIn = 1; // tcp_create_openreq_child: the SYN; the final ACK that makes the child is not counted
        tcp.hashes.inheritPort(l, c);
        tcp.hashes.ehashInsert(c);
        TcpSock.setState(c, TcpState.ESTABLISHED);
        tcp.mib.inc(TcpMib.PassiveOpens);
        tcp.track(c);
        if (c.keepOpen) TcpTimers.resetKeepalive(c);
        return c;
    }
}
