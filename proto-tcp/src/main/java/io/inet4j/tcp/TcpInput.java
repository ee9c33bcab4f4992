package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.TcpSeq.before;
import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static io.inet4j.tcp.wire.TcpHeader.URG;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.hook.SockOp;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockQueue;

/**
 * TCP input for a socket past LISTEN ({@code tcp_rcv_state_process}, {@code tcp_rcv_synsent_state_process},
 * {@code tcp_ack}, {@code tcp_data_queue}, {@code tcp_fin} in {@code net/ipv4/tcp_input.c}), following the
 * segment-arrival steps of RFC 9293 §3.10.7.4 with Linux's RFC 5961 hardening (challenge ACKs for in-window
 * RST and SYN). Takes ownership of the segment's buffer.
 */
final class TcpInput {
    private TcpInput() {}

    static void rcv(TcpSock tp, TcpSegment seg) {
        if (tp.state == TcpState.SYN_SENT) {
            synSent(tp, seg);
            return;
        }
        if (tp.state == TcpState.CLOSE) {
            TcpOutput.sendResetFor(tp.tcp, seg);
            seg.skb.release();
            return;
        }
        // tcp_validate_incoming: RFC 7323 PAWS comes first. An old timestamp means an old duplicate, dropped and
        // answered like any out-of-window segment; a RST is taken whatever its timestamp, a SYN is challenged.
        tp.rxOpt.parseTimestamp(seg.opts, tp.rxOpt.tstampOk);
        if (tp.rxOpt.sawTstamp && pawsDiscard(tp, seg) && !seg.has(RST)) {
            if (seg.has(SYN)) {
                synChallenge(tp);
            } else {
                tp.tcp.ext.inc(TcpExtMib.PAWSEstab);
                if (!tp.oow().limited(tp.tcp, seg, TcpExtMib.TCPACKSkippedPAWS)) sendDupack(tp, seg);
            }
            seg.skb.release();
            return;
        }
        // Step 1: sequence number, Linux's tcp_sequence: looser than RFC 9293's table, so that a segment at
        // rcv_nxt passes a zero window (tcp_data_queue then takes only a bare FIN from it).
        if (before(seg.endSeq(), tp.rcvWup) || after(seg.seq, tp.rcvNxt + TcpOutput.receiveWindow(tp))) {
            // An out-of-window SYN is challenged like an in-window one (tcp_validate_incoming's syn_challenge);
            // anything else but a RST hears where we are, at most once per tcp_invalid_ratelimit unless it
            // carries data (tcp_send_dupack after tcp_oow_rate_limited).
            if (seg.has(SYN) && !seg.has(RST)) synChallenge(tp);
            else if (!seg.has(RST)) {
                if (!tp.oow().limited(tp.tcp, seg, TcpExtMib.TCPACKSkippedSeq)) sendDupack(tp, seg);
            } else if (resetCheck(tp, seg)) reset(tp);
            seg.skb.release();
            return;
        }
        // Step 2: RST. Only an exact match resets; anything else in the window earns a challenge ACK (RFC 5961 3.2).
        if (seg.has(RST)) {
            if (seg.seq == tp.rcvNxt || resetCheck(tp, seg)) reset(tp);
            else challengeAck(tp);
            seg.skb.release();
            return;
        }
        // Step 4: a SYN in a synchronized state (RFC 5961 4.2), except the SYN-ACK that completes a simultaneous
        // open (RFC 9293 3.5; tcp_validate_incoming lets it pass for an active-open SYN_RECV socket).
        boolean crossedSynAck = tp.state == TcpState.SYN_RECV && seg.has(SYN) && seg.has(ACK)
                && seg.endSeq() == seg.seq + 1 && seg.seq + 1 == tp.rcvNxt && seg.ack == tp.sndNxt;
        if (seg.has(SYN) && !crossedSynAck) {
            synChallenge(tp);
            seg.skb.release();
            return;
        }
        // Step 5: ACK.
        if (!seg.has(ACK)) {
            seg.skb.release();
            return;
        }
        if (tp.state == TcpState.SYN_RECV) {
            if (before(seg.ack, tp.sndUna) || after(seg.ack, tp.sndNxt)) {
                TcpOutput.sendResetFor(tp.tcp, seg);
                seg.skb.release();
                return;
            }
            // tcp_rcv_state_process in SYN_RECV (a simultaneous open here) says PASSIVE_ESTABLISHED_CB.
            establish(tp, SockOp.PASSIVE_ESTABLISHED_CB);
            if (crossedSynAck) {
                // tcp_rcv_state_process consumes it: the handshake is complete and needs no ACK of its own.
                ack(tp, seg);
                seg.skb.release();
                TcpOutput.push(tp, false);
                return;
            }
        }
        if (before(seg.ack, tp.sndUna - (int) Math.min(tp.maxWindow, tp.bytesAcked))) {
            // RFC 5961 section 5: an ACK older than anything the peer could still have in flight is blind
            // (tcp_ack's TCP_TOO_OLD_ACK); the whole segment goes and the peer hears our view. Not older than
            // what the peer ever acknowledged, either: bytes we never sent cannot be acknowledged (Linux 6.7).
            challengeAck(tp);
            seg.skb.release();
            return;
        }
        if (after(seg.ack, tp.sndNxt)) {
            // An ACK for something not yet sent (tcp_ack, TCP_ACK_UNSENT_DATA) is dropped. tcp_rcv_established
            // says nothing, so two desynchronised ends cannot ACK each other forever; tcp_rcv_state_process, for
            // the other states, sends a challenge ACK.
            if (tp.state != TcpState.ESTABLISHED) challengeAck(tp);
            seg.skb.release();
            return;
        }
        ack(tp, seg);
        if (!ourFinAcked(tp, seg)) return;
        // Step 6: the urgent pointer; steps 7 and 8: data and FIN.
        urg(tp, seg);
        dataQueue(tp, seg);
        TcpDelack.ackSndCheck(tp);
        dataSndCheck(tp);
    }

    /**
     * tcp_paws_discard: the segment's TSval is older than ts_recent by more than {@link TcpRxOpt#TCP_PAWS_WINDOW},
     * and it is not a disordered duplicate ACK (those are harmless and may carry an older TSval).
     */
    private static boolean pawsDiscard(TcpSock tp, TcpSegment seg) {
        return !tp.rxOpt.pawsCheck(TcpRxOpt.TCP_PAWS_WINDOW, tp.tcp.seconds()) && !disorderedAck(tp, seg);
    }

    /**
     * tcp_disordered_ack: a pure duplicate ACK at rcv_nxt that would not update the window, whose TSval is within
     * an RTO of ts_recent ({@code rto * 1024 / HZ} ticks): ACKs reordered on the way, not a replay.
     */
    private static boolean disorderedAck(TcpSock tp, TcpSegment seg) {
        long rtoMs = tp.rto.rto() / 1_000_000L;
        return seg.has(ACK) && seg.seqLen() == 0 && seg.seq == tp.rcvNxt
                && seg.ack == tp.sndUna
                && !mayUpdateWindow(tp, seg.ack, seg.seq, seg.window << tp.rxOpt.sndWscale)
                && tp.rxOpt.tsRecent - tp.rxOpt.rcvTsval <= rtoMs * 1024 / 1000;
    }

    /** tcp_may_update_window: the rule by which an ACK may set the send window. */
    private static boolean mayUpdateWindow(TcpSock tp, int ack, int ackSeq, int nwin) {
        return after(ack, tp.sndUna) || after(ackSeq, tp.sndWl1)
                || ackSeq == tp.sndWl1 && (Integer.compareUnsigned(nwin, tp.sndWnd) > 0 || nwin == 0);
    }

    /**
     * tcp_replace_ts_recent: an acceptable segment that starts at or before the window we last advertised
     * ({@code rcv_wup}) gives the TSval to echo, unless it is older than the one we have (the PAWS check without
     * slack); called once the segment is known to be in the window (tcp_ack).
     */
    private static void replaceTsRecent(TcpSock tp, int seq) {
        if (tp.rxOpt.sawTstamp && !after(seq, tp.rcvWup) && tp.rxOpt.pawsCheck(0, tp.tcp.seconds())) {
            tp.rxOpt.storeTsRecent(tp.tcp.seconds());
        }
    }

    /**
     * The RTT a timestamp echo gives (tcp_ack_update_rtt's RTTM rule, RFC 7323 4.1): now less the TSecr of the
     * segment that acknowledged new data, at least one tick; -1 when there is none or it is not plausible.
     */
    static long tsRttNanos(Tcp tcp, TcpRxOpt rx) {
        if (!rx.sawTstamp || rx.rcvTsecr == 0) return -1;
        int delta = TcpOutput.tcpTimeStamp(tcp) - rx.rcvTsecr;
        if (delta < 0 || delta >= Integer.MAX_VALUE / 1000) return -1;
        return Math.max(delta, 1) * 1_000_000L;
    }

    /** tcp_data_snd_check: send what the ACK made room for, then see whether a writer waits for space. */
    private static void dataSndCheck(TcpSock tp) {
        TcpOutput.push(tp, false);
        if (tp.nospace) newSpace(tp);
    }

    /**
     * tcp_new_space: an ACK freed send space a writer waits for. If the buffer, not the window, is what held the
     * sender back, it grows first; then the writer is woken once a third of the buffer is free and the unsent
     * bytes are below half of TCP_NOTSENT_LOWAT ({@code sk_stream_write_space}).
     */
    private static void newSpace(TcpSock tp) {
        if (shouldExpandSndbuf(tp)) sndbufExpand(tp);
        if (TcpProt.streamIsWriteable(tp)) {
            tp.nospace = false;
            TcpChrono.stop(tp, TcpChrono.SNDBUF_LIMITED); // tcp_check_space
            tp.writeSpace();
        }
    }

    /**
     * tcp_should_expand_sndbuf: not when the user set SO_SNDBUF, not when TCP's memory is short ({@link TcpMem}),
     * and not when cwnd is full: then the network, not the buffer, is the limit.
     */
    private static boolean shouldExpandSndbuf(TcpSock tp) {
        if ((tp.userlocks & Sock.SOCK_SNDBUF_LOCK) != 0) return false;
        if (TcpMem.underPressure(tp) || TcpMem.aboveLow(tp.tcp)) return false;
        return tp.packetsInFlight() < tp.sndCwnd;
    }

    /**
     * tcp_sndbuf_expand: room for two congestion windows (fast recovery sends up to one more while the other is
     * being repaired), at least TCP_INIT_CWND or reordering + 1 segments, within {@code tcp_wmem[2]}. Linux
     * prices a segment at its skb's memory; this stack counts queued payload against the send buffer, so a
     * segment costs its MSS and the buffer holds as many segments as Linux's does.
     */
    private static void sndbufExpand(TcpSock tp) {
        int mssClamp = tp.opts.userMss > 0 ? Math.min(tp.peerMss, tp.opts.userMss) : tp.peerMss;
        long perMss = Math.max(mssClamp, tp.mssCache);
        long nrSegs = Math.max(Math.max(Tcp.TCP_INIT_CWND, tp.sndCwnd), tp.reordering + 1);
        long sndmem = 2 * nrSegs * perMss;
        if (tp.sndbuf < sndmem) tp.sndbuf = (int) Math.min(sndmem, tp.tcp.sysctls.wmem.get(2));
    }

    /** tcp_init_buffer_space: a new connection's send buffer fits its initial window; the receive side's start. */
    static void initBufferSpace(TcpSock tp) {
        if ((tp.userlocks & Sock.SOCK_SNDBUF_LOCK) == 0) sndbufExpand(tp);
        TcpRcvSpace.initBufferSpace(tp);
    }

    /**
     * tcp_reset_check: once the peer's FIN is in, its RST may carry the FIN's own sequence number (a peer that
     * resets before it saw our ACK of the FIN), which must still reset.
     */
    private static boolean resetCheck(TcpSock tp, TcpSegment seg) {
        return seg.seq == tp.rcvNxt - 1 && (tp.state == TcpState.CLOSE_WAIT || tp.state == TcpState.LAST_ACK
                || tp.state == TcpState.CLOSING);
    }

    /** tcp_rcv_synsent_state_process: the answer to our SYN. */
    private static void synSent(TcpSock tp, TcpSegment seg) {
        tp.rxOpt.parseTimestamp(seg.opts, tp.tcp.sysctls.timestamps.get() != 0);
        if (seg.has(ACK)) {
            if (!after(seg.ack, tp.iss) || after(seg.ack, tp.sndNxt)) {
                TcpOutput.sendResetFor(tp.tcp, seg);
                seg.skb.release();
                return;
            }
            // RFC 7323 PAWS for an active open: the echo must be of a TSval our SYN(s) carried, sent between the
            // first SYN and now; anything else is an old SYN-ACK, refused with a RST.
            int first = tp.retransStamp;
            if (tp.rxOpt.sawTstamp && tp.rxOpt.rcvTsecr != 0
                    && Integer.compareUnsigned(tp.rxOpt.rcvTsecr - first, TcpOutput.tcpTimeStamp(tp.tcp) - first) > 0) {
                tp.tcp.ext.inc(TcpExtMib.PAWSActive);
                TcpOutput.sendResetFor(tp.tcp, seg);
                seg.skb.release();
                return;
            }
            if (seg.has(RST)) {
                reset(tp);
                seg.skb.release();
                return;
            }
            if (!seg.has(SYN)) {
                seg.skb.release();
                return;
            }
            initFromSyn(tp, seg);
            TcpEcn.rcvSynack(tp, seg);
            tp.sndWnd = seg.window; // a SYN-ACK's window is never scaled (RFC 7323 2.2)
            tp.sndWl1 = seg.seq;
            tp.sndWl2 = seg.ack;
            ack(tp, seg);
            establish(tp, SockOp.ACTIVE_ESTABLISHED_CB);
            // Data (or a FIN) on a SYN-ACK is not taken: tcp_rcv_state_process frees the segment after
            // tcp_rcv_synsent_state_process and our ACK of the SYN alone makes the peer send it again.
            seg.skb.release();
            TcpOutput.sendAck(tp);
            TcpOutput.push(tp, false);
            return;
        }
        if (seg.has(RST)) {
            seg.skb.release();
            return;
        }
        if (seg.has(SYN)) {
            // Simultaneous open (RFC 9293 3.5): answer with SYN-ACK from the same ISS and wait for the ACK.
            initFromSyn(tp, seg);
            TcpEcn.rcvSyn(tp, seg);
            tp.sndWnd = seg.window;
            tp.sndWl1 = seg.seq;
            tp.sndWl2 = tp.sndUna;
            TcpSock.setState(tp, TcpState.SYN_RECV);
            TcpOutput.transmit(tp, tp.iss, SYN | TcpEcn.synackFlags((tp.ecnFlags & TcpEcn.TCP_ECN_OK) != 0), null, 0);
        }
        seg.skb.release();
    }

    private static void initFromSyn(TcpSock tp, TcpSegment seg) {
        tp.irs = seg.seq;
        tp.rcvNxt = seg.seq + 1;
        tp.rcvWup = tp.rcvNxt;
        tp.copiedSeq = tp.rcvNxt;
        tp.peerMss = seg.peerMss();
        synOptionsReceived(tp, seg);
        tp.mssCache = TcpOutput.sendMss(tp);
    }

    /**
     * tcp_rcv_synsent_state_process: what the peer's SYN-ACK (or crossing SYN) agreed to. Window scaling needs both
     * SYNs to carry it: without it neither side shifts and our window stays within 16 bits. Timestamps likewise;
     * with them every segment carries 12 more option bytes ({@code tcp_header_len}) and the peer's TSval is the
     * first to echo.
     */
    private static void synOptionsReceived(TcpSock tp, TcpSegment seg) {
        TcpRxOpt rx = tp.rxOpt;
        rx.sackOk = seg.opts.sackPermitted() && tp.tcp.sysctls.sack.get() != 0;
        rx.wscaleOk = seg.opts.sawWscale() && tp.tcp.sysctls.windowScaling.get() != 0;
        if (rx.wscaleOk) {
            rx.sndWscale = (byte) seg.opts.wscale();
        } else {
            rx.sndWscale = rx.rcvWscale = 0;
            tp.windowClamp = Math.min(tp.windowClamp, 65535);
        }
        rx.tstampOk = rx.sawTstamp;
        if (rx.tstampOk) {
            tp.tcpHeaderLen = io.inet4j.tcp.wire.TcpHeader.MIN_LENGTH + io.inet4j.tcp.wire.TcpOptions.TCPOLEN_TSTAMP_ALIGNED;
            rx.storeTsRecent(tp.tcp.seconds());
        } else {
            tp.tcpHeaderLen = io.inet4j.tcp.wire.TcpHeader.MIN_LENGTH;
        }
    }

    /**
     * tcp_finish_connect / the SYN_RECV -> ESTABLISHED step: the connection is up. As in tcp_init_transfer the
     * SOCK_OPS hooks hear of it ({@code op}) between the initial cwnd and the start of the congestion control, so
     * a TCP_CONGESTION they set is the one that starts.
     */
    private static void establish(TcpSock tp, SockOp op) {
        TcpSock.setState(tp, TcpState.ESTABLISHED);
        tp.done = true;
        tp.lsndtime = tp.ackLrcvtime = TcpSock.jiffies32(tp.tcp.now()); // tcp_finish_connect
        tp.sndCwnd = Tcp.TCP_INIT_CWND;
        TcpSockOps.call(tp, op);
        TcpCong.init(tp);
        initBufferSpace(tp);
        TcpDelack.initRcvMss(tp);
        // The SYN's retransmit timer goes with the handshake: an idle connection keeps none, the first send makes one.
        if (!TcpSock.pending(tp.retransmitTimer)) tp.retransmitTimer = null;
        if (tp.rtxQueue.isEmpty()) tp.rtxQueue = SockQueue.none(); // and so does the queue that held the SYN
        if (tp.keepOpen) TcpTimers.resetKeepalive(tp);
        tp.stateChange();
        tp.writeSpace();
    }

    /** tcp_reset: the peer reset the connection. */
    static void reset(TcpSock tp) {
        tp.err = switch (tp.state) {
            case TcpState.SYN_SENT -> Errno.ECONNREFUSED.number();
            case TcpState.CLOSE_WAIT -> Errno.EPIPE.number();
            default -> Errno.ECONNRESET.number();
        };
        tp.errorReport();
        TcpSock.done(tp);
    }

    /** tcp_send_dupack: old data means our ACK was lost, so ACKs go quickly for a while (DelayedACKLost). */
    private static void sendDupack(TcpSock tp, TcpSegment seg) {
        if (seg.seqLen() != 0 && before(seg.seq, tp.rcvNxt)) {
            tp.tcp.ext.inc(TcpExtMib.DelayedACKLost);
            TcpDelack.enterQuickackMode(tp, TcpDelack.TCP_MAX_QUICKACKS);
            TcpSackRcv.dsackSet(tp, seg.seq, after(seg.endSeq(), tp.rcvNxt) ? tp.rcvNxt : seg.endSeq());
        }
        TcpOutput.sendAck(tp);
    }

    /** tcp_validate_incoming's syn_challenge: a SYN on a synchronized connection (RFC 5961 4.2). */
    private static void synChallenge(TcpSock tp) {
        tp.tcp.ext.inc(TcpExtMib.TCPSYNChallenge);
        challengeAck(tp);
    }

    /**
     * tcp_send_challenge_ack (RFC 5961 section 7, ACK throttling): at most one per {@code tcp_invalid_ratelimit}
     * from this socket, and within the stack's {@code tcp_challenge_ack_limit} per second.
     */
    private static void challengeAck(TcpSock tp) {
        if (tp.oow().limited(tp.tcp, TcpExtMib.TCPACKSkippedChallenge)) return;
        if (!tp.tcp.challengeAckAllowed()) return;
        tp.tcp.ext.inc(TcpExtMib.TCPChallengeACK);
        TcpOutput.sendAck(tp);
    }

    /**
     * tcp_ack: window update, acknowledged data, RTT, congestion control, fast retransmit. With a SACK peer the
     * scoreboard and recovery are {@link TcpSack}'s; without, NewReno counts duplicate ACKs ({@link TcpCong}).
     */
    private static void ack(TcpSock tp, TcpSegment seg) {
        int ackSeq = seg.ack;
        TcpRate.Sample rs = tp.tcp.rateSample;
        rs.reset();
        boolean sackBlocks = tp.rxOpt.sackOk && seg.opts.numSacks() > 0;
        if (before(ackSeq, tp.sndUna)) {
            // old_ack: an ACK overtaken by a newer one may still carry news in its SACK blocks.
            if (sackBlocks && tp.packetsOut > 0) {
                int flag = TcpSack.sacktagWriteQueue(tp, seg, tp.sndUna);
                TcpSack.oldAck(tp, flag);
            }
            return;
        }
        // The segment is acceptable: its TSval may become the one we echo (tcp_ack, FLAG_UPDATE_TS_RECENT).
        replaceTsRecent(tp, seg.seq);
        // tcp_ack_update_window: the field means window << snd_wscale, except on a SYN (RFC 7323 2.2).
        int nwin = seg.has(SYN) ? seg.window : seg.window << tp.rxOpt.sndWscale;
        boolean windowChanged = false;
        if (after(seg.seq, tp.sndWl1) || (seg.seq == tp.sndWl1 && !before(ackSeq, tp.sndWl2))
                || (ackSeq == tp.sndWl2 && nwin > tp.sndWnd)) {
            windowChanged = nwin != tp.sndWnd;
            tp.sndWnd = nwin;
            tp.sndWl1 = seg.seq;
            tp.sndWl2 = ackSeq;
            if (tp.sndWnd > tp.maxWindow) {
                // tcp_ack_update_window: a larger window may allow larger segments (tcp_bound_to_half_wnd).
                tp.maxWindow = tp.sndWnd;
                tp.mssCache = TcpOutput.sendMss(tp);
            }
            if (tp.sndWnd > 0 && tp.timerPending == TcpTimers.PROBE) {
                // tcp_ack_probe: the window opened, probing and its backoff end.
                tp.cancel(tp.retransmitTimer);
                tp.probeBackoff = 0;
                tp.probesTstamp = 0;
            }
        }
        // tcp_ack: any acceptable ACK, a bare answer to a probe included, shows the peer is alive (RFC 1122
        // 4.2.2.17: a sender probing a zero window stays open while the receiver answers).
        tp.probesOut = 0;
        tp.rcvTstamp = TcpSock.jiffies32(tp.tcp.now());
        int acked = ackSeq - tp.sndUna;
        boolean sack = tp.rxOpt.sackOk;
        int priorSndUna = tp.sndUna;
        int priorInFlight = tp.packetsInFlight();
        int priorPacketsOut = tp.packetsOut;
        int priorSackedOut = tp.sackedOut;
        int priorFack = TcpSack.highestSackSeq(tp);
        int priorDelivered = tp.delivered;
        // tcp_snd_una_update, before the SACK blocks are read, the queue is cleaned and the RTT estimator runs
        if (acked > 0) tp.sndUna = ackSeq;
        int flag = sackBlocks ? TcpSack.sacktagWriteQueue(tp, seg, priorSndUna) : 0;
        boolean ece = TcpEcn.rcvEcnEcho(tp, seg);
        if (ece) flag |= TcpSack.FLAG_ECE;
        if (acked > 0) {
            tp.bytesAcked += acked;
            int segs = cleanRtxQueue(tp, ackSeq, priorFack);
            tp.retransmits = 0;
            if (sack) {
                flag |= TcpSack.FLAG_SND_UNA_ADVANCED | (segs > 0 ? TcpSack.FLAG_DATA_ACKED : 0);
                if (tp.tcp.ackSample.origAcked) flag |= TcpSack.FLAG_ORIG_SACK_ACKED;
                // A SACKed head left after the cumulative ACK: the receiver dropped what it had SACKed.
                TcpSkb head = tp.rtxQueue.peek();
                if (head != null && (head.sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) flag |= TcpSack.FLAG_SACK_RENEGING;
                TcpCong.pktsAcked(tp, segs, priorInFlight, tp.tcp.ackSample.caRttNanos);
            } else {
                TcpCong.removeRenoSacks(tp, segs);
                TcpCong.onAck(tp, ackSeq, segs, priorInFlight, tp.tcp.ackSample.caRttNanos, ece);
            }
            if (tp.rtxQueue.isEmpty()) {
                if (tp.timerPending != TcpTimers.PROBE) tp.cancel(tp.retransmitTimer);
            } else if (sack) {
                flag |= TcpSack.FLAG_SET_XMIT_TIMER; // after recovery, which may arm RACK's timer instead
            } else {
                TcpTimers.resetRetransmit(tp, tp.rto.rto());
            }
        } else if (!sack && seg.payloadLen == 0 && !seg.has(FIN) && !windowChanged && !tp.rtxQueue.isEmpty()) {
            TcpCong.onDupAck(tp, ece);
        }
        boolean dupack = acked == 0 && seg.payloadLen == 0 && !seg.has(FIN) && !windowChanged
                && (flag & TcpSack.FLAG_DSACKING_ACK) == 0;
        if (sack && priorPacketsOut == 0) TcpSack.noQueueAck(tp, ackSeq, flag, dupack);
        if (sack && priorPacketsOut > 0) {
            int ackedSacked = priorPacketsOut - tp.packetsOut + tp.sackedOut - priorSackedOut;
            tp.delivered += ackedSacked; // tcp_count_delivered, of tcp_sacktag_one and tcp_clean_rtx_queue
            TcpSack.ack(tp, ackSeq, priorSndUna, flag, ackedSacked, dupack);
        }
        if (priorPacketsOut > 0) {
            TcpRate.gen(tp, tp.delivered - priorDelivered, (flag & TcpSack.FLAG_SACK_RENEGING) != 0, rs, tp.tcp.now());
        }
    }

    /**
     * tcp_clean_rtx_queue: frees what the ACK covers and takes it out of the flight counts, trims a partly
     * covered head, and takes the RTT sample ({@code tcp_ack_update_rtt}): from the send time of the oldest
     * newly acknowledged segment, only when none of the acknowledged ones was ever retransmitted (Karn's rule),
     * else from the timestamp echo ({@link #tsRttNanos}); the newest one's gives the congestion control's sample ({@code ca_rtt_us}), left in the stack's ACK sample.
     * Returns the segments acknowledged ({@code pkts_acked}).
     */
    private static int cleanRtxQueue(TcpSock tp, int ackSeq, int priorFack) {
        int pktsAcked = 0;
        long firstAckt = 0;
        long lastAckt = 0;
        int reord = tp.sndNxt;
        boolean retransAcked = false;
        boolean origAcked = false;
        TcpSkb skb;
        while ((skb = tp.rtxQueue.peek()) != null) {
            boolean whole = !after(skb.endSeq, ackSeq);
            int covered = ackSeq - skb.seq;
            if (!whole && (covered <= 0 || covered > skb.length())) break;
            if ((skb.sacked & TcpSkb.TCPCB_SACKED_ACKED) == 0 && tp.rxOpt.sackOk && !spuriousRetrans(tp, skb)) {
                TcpRack.advance(tp, skb, skb.sacked);
            }
            if ((skb.sacked & TcpSkb.TCPCB_EVER_RETRANS) != 0) {
                retransAcked = true;
            } else if ((skb.sacked & TcpSkb.TCPCB_SACKED_ACKED) == 0) {
                lastAckt = skb.txNanos;
                if (firstAckt == 0) firstAckt = lastAckt;
                if (before(skb.seq, reord)) reord = skb.seq;
                if (!after(skb.endSeq, tp.highSeq)) origAcked = true;
            }
            TcpRate.skbDelivered(tp, skb, tp.tcp.rateSample);
            if (!whole) {
                int payload = Math.max(covered - (skb.has(SYN) ? 1 : 0), 0);
                // tcp_trim_head: the block moves past what was acknowledged; the buffer may be shared.
                skb.off += payload;
                skb.len -= payload;
                skb.seq = ackSeq;
                skb.tcpFlags &= ~SYN;
                tp.wmemQueued -= payload;
                pktsAcked += tsoAcked(tp, skb);
                break;
            }
            tp.rtxQueue.poll();
            tp.wmemQueued -= skb.length();
            pktsAcked += skb.pcount;
            unaccount(tp, skb, skb.pcount);
            tp.tcp.freeSkb(skb);
        }
        if (tp.rtxQueue.isEmpty()) TcpChrono.stop(tp, TcpChrono.BUSY);
        // A hole filled by its original transmission, below what was SACKed before: reordering.
        if (tp.rxOpt.sackOk && before(reord, priorFack)) TcpSack.checkSackReordering(tp, reord, false);
        long now = tp.tcp.now();
        boolean valid = firstAckt != 0 && !retransAcked;
        long seqRtt = valid ? now - firstAckt : -1;
        long caRtt = valid ? now - lastAckt : -1;
        if (seqRtt < 0) {
            // tcp_ack_update_rtt: Karn's rule leaves no sample from the send times, the timestamp echo still
            // gives one (RFC 7323 4.1: it tells which transmission was acknowledged).
            seqRtt = caRtt = tsRttNanos(tp.tcp, tp.rxOpt);
        }
        tp.tcp.ackSample.caRttNanos = caRtt;
        tp.tcp.ackSample.origAcked = origAcked;
        if (caRtt >= 0) updateRttMin(tp, caRtt);
        if (seqRtt >= 0) tp.rto.onAck(seqRtt, tp.sndUna, tp.sndNxt);
        return pktsAcked;
    }

    /**
     * tcp_skb_spurious_retrans: a retransmitted segment whose ACK echoes a timestamp from before its last
     * transmission was delivered by an earlier one.
     */
    private static boolean spuriousRetrans(TcpSock tp, TcpSkb skb) {
        return (skb.sacked & TcpSkb.TCPCB_RETRANS) != 0 && TcpSack.tsoptEcrBefore(tp, skb.txNanos);
    }

    /** {@code tcp_min_rtt_wlen}'s default: the minimum RTT is the least of the last 300 s. */
    private static final long MIN_RTT_WLEN = 300_000_000_000L;

    /**
     * tcp_update_rtt_min: the congestion control's RTT sample (the newest acknowledged segment's) feeds the
     * windowed minimum, in microseconds, at least 1. (Linux also skips a sample above the minimum from an ACK that
     * may have been delayed, FLAG_ACK_MAYBE_DELAYED, which needs the delivery-rate sampling not built here.)
     */
    static void updateRttMin(TcpSock tp, long caRttNanos) {
        int us = (int) Math.min(Math.max(caRttNanos / 1000, 1), 0xffff_ffffL);
        WinMinmax.runningMin(tp, MIN_RTT_WLEN, tp.tcp.now(), us);
    }

    /** tcp_tso_acked: a trimmed head makes fewer segments; the difference leaves the flight. */
    private static int tsoAcked(TcpSock tp, TcpSkb skb) {
        int old = skb.pcount;
        skb.setPcount(tp.mssCache);
        int acked = old - skb.pcount;
        unaccount(tp, skb, acked);
        return acked;
    }

    /** {@code packets} segments of {@code skb} left the network: out of packets_out and of its sacked counts. */
    private static void unaccount(TcpSock tp, TcpSkb skb, int packets) {
        tp.packetsOut -= packets;
        if ((skb.sacked & TcpSkb.TCPCB_SACKED_RETRANS) != 0) tp.retransOut -= packets;
        if ((skb.sacked & TcpSkb.TCPCB_LOST) != 0) tp.lostOut -= packets;
        if ((skb.sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) tp.sackedOut -= packets;
    }

    /**
     * What the acknowledgment of our FIN does to the state (RFC 9293 step 5 per state). Returns false when the
     * segment's processing ends here.
     */
    private static boolean ourFinAcked(TcpSock tp, TcpSegment seg) {
        boolean finAcked = tp.finQueued && tp.sndUna == tp.writeSeq;
        switch (tp.state) {
            case TcpState.FIN_WAIT1 -> {
                if (finAcked) {
                    TcpSock.setState(tp, TcpState.FIN_WAIT2);
                    tp.shutdown |= Sock.SEND_SHUTDOWN;
                    tp.stateChange();
                    if (tp.orphan) {
                        // tcp_rcv_state_process: TCP_LINGER2 < 0 lets an orphan go as soon as its FIN is acked.
                        if (tp.opts.linger2 < 0) {
                            tp.tcp.ext.inc(TcpExtMib.TCPAbortOnData);
                            TcpSock.done(tp);
                            return false;
                        }
                        TcpTimers.resetFinWait2(tp);
                    }
                }
            }
            case TcpState.CLOSING -> {
                if (finAcked) {
                    TcpTimewait.enter(tp, TcpState.TIME_WAIT);
                    seg.skb.release();
                    return false;
                }
            }
            case TcpState.LAST_ACK -> {
                if (finAcked) {
                    TcpSock.done(tp);
                    seg.skb.release();
                    return false;
                }
            }
            default -> {
                // Other states: nothing changes on the ACK alone.
            }
        }
        return true;
    }

    /**
     * tcp_urg: a new urgent pointer, and the urgent byte itself once the segment holding it arrives. Without
     * SO_OOBINLINE the byte is kept here for MSG_OOB and skipped in the stream by recvmsg.
     */
    private static void urg(TcpSock tp, TcpSegment seg) {
        if (seg.has(URG)) checkUrg(tp, seg);
        if (tp.urgData == TcpSock.TCP_URG_NOTYET) {
            int off = tp.urgSeq - seg.seq;
            if (off >= 0 && off < seg.payloadLen) {
                tp.urgData = (short) (TcpSock.TCP_URG_VALID | seg.skb.getByte(seg.th + seg.hdrLen + off));
                tp.dataReady();
            }
        }
    }

    /** tcp_check_urg: where the urgent byte is, unless it was seen already or a newer one is known. */
    private static void checkUrg(TcpSock tp, TcpSegment seg) {
        int ptr = seg.urgPtr;
        if (ptr != 0) ptr--; // tcp_stdurg = 0: BSD's pointer, one past the urgent byte
        ptr += seg.seq;
        if (after(tp.copiedSeq, ptr) || before(ptr, tp.rcvNxt)) return;
        if (tp.urgData != 0 && !after(ptr, tp.urgSeq)) return;
        if (tp.urgSeq == tp.copiedSeq && tp.urgData != 0 && !tp.urginline && tp.copiedSeq != tp.rcvNxt) {
            // The reader sits on the old urgent byte, which is out of band: step over it, or it would be read
            // as data once the mark moves on.
            PacketBuffer head = tp.receiveQueue.peek();
            head.pull(1);
            if (head.length() == 0) TcpSock.rfree(tp, tp.receiveQueue.poll());
            tp.rcvQueued--;
            tp.copiedSeq++;
        }
        tp.urgData = TcpSock.TCP_URG_NOTYET;
        tp.urgSeq = ptr;
    }

    /** tcp_data_queue + tcp_fin: in-order data to the receive queue, the rest to the out-of-order queue. */
    private static void dataQueue(TcpSock tp, TcpSegment seg) {
        PacketBuffer skb = seg.skb;
        boolean fin = seg.has(FIN);
        if (seg.payloadLen == 0 && !fin) {
            skb.release();
            return;
        }
        TcpEcn.acceptCwr(tp, seg);
        if (tp.state != TcpState.ESTABLISHED && tp.state != TcpState.FIN_WAIT1 && tp.state != TcpState.FIN_WAIT2
                && !before(seg.seq, tp.rcvNxt)) {
            // CLOSE_WAIT, CLOSING, LAST_ACK: the peer already sent its FIN, so nothing at or past rcv_nxt can be
            // taken. A segment that starts below it (a FIN retransmitted because our ACK was lost) goes on, as
            // tcp_rcv_state_process lets it, to the duplicate check below, which answers it: ignored, its
            // sender would retransmit the FIN until it gives up.
            skb.release();
            return;
        }
        if ((tp.shutdown & Sock.RCV_SHUTDOWN) != 0 && tp.state != TcpState.ESTABLISHED && seg.payloadLen > 0
                && after(seg.endSeq() - (fin ? 1 : 0), tp.rcvNxt)) {
            // New data after close() or shutdown(SHUT_RD) in FIN_WAIT1/2, which nobody will read: RFC 1122 says
            // reset. tcp_rcv_state_process resets the socket and answers the segment itself (tcp_v4_send_reset).
            tp.tcp.ext.inc(TcpExtMib.TCPAbortOnData);
            TcpOutput.sendResetFor(tp.tcp, seg);
            reset(tp);
            skb.release();
            return;
        }
        int rwin = TcpOutput.receiveWindow(tp);
        boolean bareFinAtNext = seg.payloadLen == 0 && seg.seq == tp.rcvNxt;
        if (!bareFinAtNext && (!before(seg.seq, tp.rcvNxt + rwin)
                || rwin == 0 && after(seg.seq + seg.payloadLen, tp.rcvNxt))) {
            // tcp_data_queue: no room for it. A closed window still takes a bare FIN at rcv_nxt, since some
            // stacks send one in a loop against a zero window; new data is dropped (TCPZeroWindowDrop) and
            // acknowledged at once.
            if (rwin == 0 && !after(seg.seq, tp.rcvNxt)) tp.tcp.ext.inc(TcpExtMib.TCPZeroWindowDrop);
            skb.release();
            outOfWindow(tp);
            return;
        }
        skb.pull(seg.hdrLen);
        skb.cb0 = seg.seq & 0xffff_ffffL;
        skb.cb1 = fin ? FIN : 0;
        // Trim what lies beyond the window we offered (RFC 9293: data beyond the window is not accepted).
        int wndEnd = tp.rcvNxt + rwin;
        if (after(seg.seq + skb.length(), wndEnd)) {
            skb.trim(Math.max(0, wndEnd - seg.seq));
            skb.cb1 = 0;
            fin = false;
        }
        if (seg.seq == tp.rcvNxt) {
            queueAndOut(tp, seg, skb);
        } else if (after(seg.seq, tp.rcvNxt)) {
            TcpEcn.checkCe(tp, seg); // tcp_data_queue_ofo
            TcpRcvQueue.queueOfo(tp, skb);
            tp.ackPending = true; // with a hole, tcp_ack_snd_check answers at once: the sender learns of it
        } else {
            // Starts before rcv_nxt: keep only the new part, if any.
            int old = tp.rcvNxt - seg.seq;
            if (old >= skb.length() && !(fin && old == skb.length())) {
                // A retransmission of what we have: our ACK was lost (tcp_data_queue, DelayedACKLost).
                tp.tcp.ext.inc(TcpExtMib.DelayedACKLost);
                TcpSackRcv.dsackSet(tp, seg.seq, seg.endSeq());
                skb.release();
                outOfWindow(tp);
                return;
            }
            TcpSackRcv.dsackSet(tp, seg.seq, tp.rcvNxt); // the part we had
            skb.pull(Math.min(old, skb.length()));
            skb.cb0 = tp.rcvNxt & 0xffff_ffffL;
            queueAndOut(tp, seg, skb);
        }
    }

    /**
     * tcp_data_queue's queue_and_out: in-order data in (and whatever the out-of-order queue can now give, see
     * {@link TcpRcvQueue#queueInOrder}), the delayed-ACK engine told of it; a filled gap is acknowledged at once.
     */
    private static void queueAndOut(TcpSock tp, TcpSegment seg, PacketBuffer skb) {
        boolean data = skb.length() > 0;
        boolean holes = !tp.ofoQueue.isEmpty();
        TcpRcvQueue.queueInOrder(tp, skb);
        if (data) TcpDelack.dataRecv(tp, seg);
        // RFC 5681 4.2: the gap is filled, say so at once.
        if (holes && tp.ofoQueue.isEmpty()) tp.ackNow = true;
    }

    /** tcp_data_queue's out_of_window: a segment we cannot take is answered at once, and quick ACKs follow. */
    private static void outOfWindow(TcpSock tp) {
        TcpDelack.enterQuickackMode(tp, TcpDelack.TCP_MAX_QUICKACKS);
        tp.ackPending = true;
    }

    /** tcp_fin: the peer will send nothing more. */
    static void fin(TcpSock tp) {
        tp.rcvNxt++;
        tp.bytesReceived++; // tcp_rcv_nxt_update moves over the FIN's sequence number too
        tp.shutdown |= Sock.RCV_SHUTDOWN;
        // Nothing lies beyond the peer's end of stream: tcp_fin drops whatever waits out of order after it.
        TcpSock.purgeOfo(tp);
        TcpSackRcv.reset(tp);
        tp.ackPending = true; // inet_csk_schedule_ack: owed, not owed at once
        switch (tp.state) {
            case TcpState.SYN_RECV, TcpState.ESTABLISHED -> {
                TcpSock.setState(tp, TcpState.CLOSE_WAIT);
                // inet_csk_enter_pingpong_mode: the application's answer (its own FIN, usually) is expected
                // soon, so the ACK waits to ride on it instead of going alone.
                tp.pingpong = TcpDelack.TCP_PINGPONG_THRESH;
            }
            case TcpState.FIN_WAIT1 -> {
                // Simultaneous close: our FIN is not acknowledged yet.
                TcpOutput.sendAck(tp);
                TcpSock.setState(tp, TcpState.CLOSING);
            }
            case TcpState.FIN_WAIT2 -> {
                TcpOutput.sendAck(tp);
                TcpTimewait.enter(tp, TcpState.TIME_WAIT);
                return;
            }
            default -> {
                // CLOSE_WAIT, CLOSING, LAST_ACK: a retransmitted FIN; the ACK below answers it.
            }
        }
        tp.dataReady();
        tp.stateChange();
    }
}
