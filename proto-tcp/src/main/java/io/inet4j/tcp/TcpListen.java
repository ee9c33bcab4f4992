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

/**
 * The passive side of the handshake ({@code tcp_v4_conn_request}, {@code tcp_check_req},
 * {@code tcp_v4_syn_recv_sock}, {@code tcp_create_openreq_child}): a SYN to a listener becomes a request sock
 * in its SYN queue and a SYN-ACK; the final ACK turns it into an established child on the accept queue.
 *
 * <p>Queue limits follow Linux: a SYN is dropped when the SYN queue holds
 * {@code roundup_pow_of_two(min(backlog, somaxconn, tcp_max_syn_backlog) + 1)} (at least 16) requests or the
 * accept queue is full; a final ACK that finds the accept queue full is dropped (ListenOverflows) and the
 * SYN-ACK retransmission gives the peer another try, unless {@code tcp_abort_on_overflow} asks for a RST.
 */
final class TcpListen {
    private TcpListen() {}

    /** A segment for a listening socket; takes ownership of the buffer. */
    static void rcv(TcpSock listener, TcpSegment seg) {
        TcpRequestSock req = listener.synTable.get(new TcpRequestSock.Key(seg.daddr, seg.saddr, seg.sport));
        if (req != null) {
            checkReq(listener, req, seg);
            return;
        }
        if (seg.has(RST)) {
            seg.skb.release();
            return;
        }
        if (seg.has(ACK)) {
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
        // A SYN that ends a TIME_WAIT is no flood: tcp_conn_request lets it past a full SYN queue.
        if (isn == 0 && listener.synTable.size() >= max) {
            tcp.ext.inc(TcpExtMib.TCPReqQFullDrop);
            tcp.ext.inc(TcpExtMib.ListenDrops);
            return;
        }
        if (listener.acceptQueueFull()) {
            tcp.ext.inc(TcpExtMib.ListenOverflows);
            tcp.ext.inc(TcpExtMib.ListenDrops);
            return;
        }
        if (isn == 0) isn = tcp.isn.secureTcpSeq(seg.daddr, seg.saddr, seg.dport, seg.sport);
        TcpRequestSock req = new TcpRequestSock(listener, seg, isn);
        listener.synTable.put(req.key(), req);
        sendSynack(req);
        listener.net.loop().schedule(req.timer, RtoEstimator.TCP_TIMEOUT_INIT);
    }

    private static void sendSynack(TcpRequestSock req) {
        TcpSock l = req.listener;
        int advmss = TcpOutput.advmss(l, req.raddr);
        req.rcvWnd = Math.min(TcpOutput.rcvSpace(l) - TcpOutput.rcvSpace(l) % Math.max(advmss, 1),
                TcpOutput.maxWindowField());
        TcpSegmentOut out = l.tcp.out.clear(req.laddr, req.raddr, req.lport, req.rport, req.sndIsn,
                req.rcvIsn + 1, SYN | ACK, req.rcvWnd);
        out.mss = advmss;
        out.tos = l.tos;
        out.ttl = l.ttl;
        if (req.sntSynack == 0) req.sntSynack = l.tcp.now();
        TcpOutput.transmitSkb(l.tcp, out, null, 0);
    }

    /** reqsk_timer_handler: retransmit the SYN-ACK with backoff, or give up after tcp_synack_retries. */
    static void synackTimer(TcpRequestSock req) {
        TcpSock l = req.listener;
        if (l.synTable.get(req.key()) != req) return;
        if (req.retransmits >= l.tcp.sysctls.synackRetries.get()) {
            l.synTable.remove(req.key());
            return;
        }
        req.retransmits++;
        rtxSynack(req);
        l.net.loop().schedule(req.timer, timeout(req));
    }

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
        if (seg.seq == req.rcvIsn && flg == SYN) {
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
        if (!inWindow(seg.seq, seg.endSeq(), rcvNxt, rcvNxt + req.rcvWnd)) {
            // Out of the window our SYN-ACK offered: a RST is blind and goes, anything else hears where we are.
            if ((flg & RST) == 0 && !req.oow.limited(tcp, seg, TcpExtMib.TCPACKSkippedSynRecv)) sendAck(req);
            seg.skb.release();
            return;
        }
        if (seg.seq == req.rcvIsn) flg &= ~SYN; // the SYN itself lies before the window
        if ((flg & (RST | SYN)) != 0) {
            // embryonic_reset: an in-window RST ends the request, an in-window SYN earns a RST and ends it too.
            tcp.mib.inc(TcpMib.AttemptFails);
            if ((flg & RST) == 0) TcpOutput.sendResetFor(tcp, seg);
            req.drop();
            listener.synTable.remove(req.key());
            tcp.ext.inc(TcpExtMib.EmbryonicRsts);
            seg.skb.release();
            return;
        }
        if ((flg & ACK) == 0) {
            seg.skb.release();
            return;
        }
        if (listener.acceptQueueFull()) {
            tcp.ext.inc(TcpExtMib.ListenOverflows);
            tcp.ext.inc(TcpExtMib.ListenDrops);
            if (tcp.sysctls.abortOnOverflow.get() != 0) {
                req.drop();
                listener.synTable.remove(req.key());
                TcpOutput.sendResetFor(tcp, seg);
            }
            seg.skb.release();
            return;
        }
        req.drop();
        listener.synTable.remove(req.key());
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
                req.rcvIsn + 1, ACK, req.rcvWnd);
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
        c.iss = req.sndIsn;
        c.sndUna = c.sndNxt = c.writeSeq = c.sndSml = req.sndIsn + 1;
        c.sndWnd = c.maxWindow = req.window;
        c.sndWl1 = req.rcvIsn;
        c.sndWl2 = c.sndUna;
        c.irs = req.rcvIsn;
        c.rcvNxt = c.rcvWup = c.copiedSeq = req.rcvIsn + 1;
        c.pmtuCookie = tcp.ipv4.routeMtu(req.raddr);
        c.advmss = TcpOutput.advmss(req.listener, req.raddr);
        c.rcvWnd = TcpOutput.initialWindow(c);
        c.rcvSsthresh = c.rcvWnd;
        c.peerMss = req.peerMss;
        c.mssCache = TcpOutput.sendMss(c);
        TcpDelack.initRcvMss(c);
        c.sndCwnd = Tcp.TCP_INIT_CWND;
        TcpSockOps.call(c, SockOp.PASSIVE_ESTABLISHED_CB); // tcp_init_transfer, still in SYN_RECV as in the kernel
        TcpCong.init(c);
        TcpInput.initBufferSpace(c);
        c.done = true;
        c.lastReceived = tcp.now();
        // tcp_synack_rtt_meas: the final ACK times the SYN-ACK, unless it was sent more than once (Karn).
        if (req.numRetrans == 0) {
            TcpInput.updateRttMin(c, tcp.now() - req.sntSynack);
            c.rto.onAck(tcp.now() - req.sntSynack, c.sndUna, c.sndNxt);
        }
        // tcp_create_openreq_child: SYN-ACK timeouts count as the connection's first timeout recovery.
        if (req.retransmits > 0) {
            c.totalRto = req.retransmits;
            c.totalRtoRecoveries = 1;
            c.totalRtoTime = tcp.now() - req.sntSynack;
        }
        c.delivered++; // tcp_rcv_state_process in SYN_RECV: the SYN-ACK's delivery, which tcp_ack does not see
        c.lsndtime = c.rcvTstamp = tcp.now();
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
