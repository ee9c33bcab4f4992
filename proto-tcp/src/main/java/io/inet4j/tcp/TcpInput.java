package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.TcpSeq.before;
import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static io.inet4j.tcp.wire.TcpHeader.URG;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.Sock;

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
        // Step 1: sequence number, Linux's tcp_sequence: looser than RFC 9293's table, so that a segment at
        // rcv_nxt passes a zero window (tcp_data_queue then takes only a bare FIN from it).
        if (before(seg.endSeq(), tp.rcvWup) || after(seg.seq, tp.rcvNxt + TcpOutput.receiveWindow(tp))) {
            // An out-of-window SYN is challenged like an in-window one (tcp_validate_incoming's syn_challenge).
            if (seg.has(SYN) && !seg.has(RST)) challengeAck(tp);
            else if (!seg.has(RST)) TcpOutput.sendAck(tp); // tcp_send_dupack
            else if (resetCheck(tp, seg)) reset(tp);
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
        // Step 4: a SYN in a synchronized state (RFC 5961 4.2).
        if (seg.has(SYN)) {
            challengeAck(tp);
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
            establish(tp, seg);
        }
        if (before(seg.ack, tp.sndUna - tp.maxWindow)) {
            // RFC 5961 section 5: an ACK older than anything the peer could still have in flight is blind
            // (tcp_ack's TCP_TOO_OLD_ACK); the whole segment goes and the peer hears our view.
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
        ackSndCheck(tp);
        TcpOutput.push(tp, false);
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
        if (seg.has(ACK)) {
            if (!after(seg.ack, tp.iss) || after(seg.ack, tp.sndNxt)) {
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
            tp.sndWnd = seg.window;
            tp.sndWl1 = seg.seq;
            tp.sndWl2 = seg.ack;
            ack(tp, seg);
            establish(tp, seg);
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
            tp.sndWnd = seg.window;
            tp.sndWl1 = seg.seq;
            tp.sndWl2 = tp.sndUna;
            TcpSock.setState(tp, TcpState.SYN_RECV);
            TcpOutput.transmit(tp, tp.iss, SYN, null, 0);
        }
        seg.skb.release();
    }

    private static void initFromSyn(TcpSock tp, TcpSegment seg) {
        tp.irs = seg.seq;
        tp.rcvNxt = seg.seq + 1;
        tp.rcvWup = tp.rcvNxt;
        tp.copiedSeq = tp.rcvNxt;
        tp.peerMss = seg.peerMss();
        tp.mssCache = TcpOutput.sendMss(tp);
    }

    /** tcp_finish_connect / the SYN_RECV -> ESTABLISHED step: the connection is up. */
    private static void establish(TcpSock tp, TcpSegment seg) {
        TcpSock.setState(tp, TcpState.ESTABLISHED);
        tp.done = true;
        tp.sndCwnd = Tcp.TCP_INIT_CWND;
        TcpCong.init(tp);
        if ((tp.userlocks & Sock.SOCK_SNDBUF_LOCK) == 0) {
            // tcp_sndbuf_expand: room for a few windows' worth of data, within tcp_wmem[2].
            tp.sndbuf = Math.max(tp.sndbuf,
                    Math.min(tp.tcp.sysctls.wmem.get(2), 4 * Math.max(TcpOutput.maxWindowField(), seg.window)));
        }
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

    private static void challengeAck(TcpSock tp) {
        tp.tcp.ext.inc(TcpExtMib.TCPChallengeACK);
        TcpOutput.sendAck(tp);
    }

    /** tcp_ack: window update, acknowledged data, RTT, congestion control, fast retransmit. */
    private static void ack(TcpSock tp, TcpSegment seg) {
        int ackSeq = seg.ack;
        if (before(ackSeq, tp.sndUna)) return; // an old duplicate: nothing to learn
        boolean windowChanged = false;
        if (after(seg.seq, tp.sndWl1) || (seg.seq == tp.sndWl1 && !before(ackSeq, tp.sndWl2))
                || (ackSeq == tp.sndWl2 && seg.window > tp.sndWnd)) {
            windowChanged = seg.window != tp.sndWnd;
            tp.sndWnd = seg.window;
            tp.sndWl1 = seg.seq;
            tp.sndWl2 = ackSeq;
            tp.maxWindow = Math.max(tp.maxWindow, tp.sndWnd);
            if (tp.sndWnd > 0 && tp.timerPending == TcpTimers.PROBE) {
                // tcp_ack_probe: the window opened, probing and its backoff end.
                tp.net.loop().cancel(tp.retransmitTimer);
                tp.probeBackoff = 0;
            }
        }
        // tcp_ack: any acceptable ACK, a bare answer to a probe included, shows the peer is alive (RFC 1122
        // 4.2.2.17: a sender probing a zero window stays open while the receiver answers).
        tp.probesOut = 0;
        tp.lastReceived = tp.tcp.now();
        int acked = ackSeq - tp.sndUna;
        if (acked > 0) {
            int priorInFlight = tp.packetsInFlight();
            tp.sndUna = ackSeq; // tcp_snd_una_update, before the queue is cleaned and the RTT estimator runs
            int segs = cleanRtxQueue(tp, ackSeq);
            TcpCong.removeRenoSacks(tp, segs);
            tp.retransmits = 0;
            TcpCong.onAck(tp, ackSeq, segs, priorInFlight, tp.tcp.ackSample.caRttNanos);
            if (tp.rtxQueue.isEmpty()) {
                if (tp.timerPending == TcpTimers.RETRANS) tp.net.loop().cancel(tp.retransmitTimer);
            } else {
                TcpTimers.resetRetransmit(tp, tp.rto.rto());
            }
            tp.writeSpace();
        } else if (seg.payloadLen == 0 && !seg.has(FIN) && !windowChanged && !tp.rtxQueue.isEmpty()) {
            TcpCong.onDupAck(tp);
        }
    }

    /**
     * tcp_clean_rtx_queue: frees what the ACK covers and takes it out of the flight counts, trims a partly
     * covered head, and takes the RTT sample ({@code tcp_ack_update_rtt}): from the send time of the oldest
     * newly acknowledged segment, only when none of the acknowledged ones was ever retransmitted (Karn's rule);
     * the newest one's gives the congestion control's sample ({@code ca_rtt_us}), left in the stack's ACK sample.
     * Returns the segments acknowledged ({@code pkts_acked}).
     */
    private static int cleanRtxQueue(TcpSock tp, int ackSeq) {
        int pktsAcked = 0;
        long firstAckt = 0;
        long lastAckt = 0;
        boolean retransAcked = false;
        TcpSkb skb;
        while ((skb = tp.rtxQueue.peek()) != null) {
            boolean whole = !after(skb.endSeq, ackSeq);
            int covered = ackSeq - skb.seq;
            if (!whole && (covered <= 0 || covered > skb.length())) break;
            if ((skb.sacked & TcpSkb.TCPCB_EVER_RETRANS) != 0) {
                retransAcked = true;
            } else {
                lastAckt = skb.txNanos;
                if (firstAckt == 0) firstAckt = lastAckt;
            }
            if (!whole) {
                int payload = Math.max(covered - (skb.has(SYN) ? 1 : 0), 0);
                skb.skb.pull(payload);
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
        long now = tp.tcp.now();
        boolean valid = firstAckt != 0 && !retransAcked;
        tp.tcp.ackSample.caRttNanos = valid ? now - lastAckt : -1;
        if (valid) tp.rto.onAck(now - firstAckt, tp.sndUna, tp.sndNxt);
        return pktsAcked;
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
                    if (tp.orphan) TcpTimers.resetFinWait2(tp);
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
                tp.urgData = TcpSock.TCP_URG_VALID | seg.skb.getByte(seg.th + seg.hdrLen + off);
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
            if (head.length() == 0) tp.receiveQueue.poll().release();
            tp.rmemAlloc--;
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
        if (tp.state != TcpState.ESTABLISHED && tp.state != TcpState.FIN_WAIT1 && tp.state != TcpState.FIN_WAIT2) {
            // CLOSE_WAIT, CLOSING, LAST_ACK: the peer already sent its FIN; anything more is ignored.
            skb.release();
            return;
        }
        if ((tp.shutdown & Sock.RCV_SHUTDOWN) != 0 && tp.orphan && seg.payloadLen > 0) {
            // Data for a socket nobody will read (tcp_rcv_state_process, TCPAbortOnData).
            tp.tcp.ext.inc(TcpExtMib.TCPAbortOnData);
            TcpOutput.sendActiveReset(tp);
            TcpSock.done(tp);
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
            TcpOutput.sendAck(tp);
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
            queueAndOut(tp, skb);
        } else if (after(seg.seq, tp.rcvNxt)) {
            ofoInsert(tp, skb);
            TcpOutput.sendAck(tp); // a duplicate ACK tells the sender about the hole
        } else {
            // Starts before rcv_nxt: keep only the new part, if any.
            int old = tp.rcvNxt - seg.seq;
            if (old >= skb.length() && !(fin && old == skb.length())) {
                skb.release();
                TcpOutput.sendAck(tp);
                return;
            }
            skb.pull(Math.min(old, skb.length()));
            skb.cb0 = tp.rcvNxt & 0xffff_ffffL;
            queueAndOut(tp, skb);
        }
    }

    /**
     * tcp_data_queue's queue_and_out: in-order data in, then whatever out-of-order data it made in-order. An ACK
     * is owed at once while a hole remains and when the last hole was just filled (RFC 5681 4.2, ICSK_ACK_NOW),
     * so that the sender in recovery learns it without waiting for the delayed-ACK timer.
     */
    private static void queueAndOut(TcpSock tp, PacketBuffer skb) {
        boolean holes = !tp.ofoQueue.isEmpty();
        queueInOrder(tp, skb);
        ofoDrain(tp);
        tp.unackedSegs++;
        if (holes) {
            tp.ackPending = true;
            if (tp.ofoQueue.isEmpty()) tp.ackNow = true;
        }
    }

    private static void queueInOrder(TcpSock tp, PacketBuffer skb) {
        int len = skb.length();
        boolean fin = (skb.cb1 & FIN) != 0;
        tp.rcvNxt += len;
        if (len > 0) {
            tp.lastReceived = tp.tcp.now(); // tcp_event_data_recv: icsk_ack.lrcvtime
            tp.receiveQueue.add(skb);
            tp.rmemAlloc += len;
            tp.dataReady();
        } else {
            skb.release();
        }
        if (fin) fin(tp);
    }

    private static void ofoInsert(TcpSock tp, PacketBuffer skb) {
        tp.tcp.ext.inc(TcpExtMib.TCPOFOQueue);
        int seq = TcpSock.seq(skb);
        int i = tp.ofoQueue.size();
        while (i > 0 && after(TcpSock.seq(tp.ofoQueue.get(i - 1)), seq)) i--;
        if (i > 0) {
            PacketBuffer prev = tp.ofoQueue.get(i - 1);
            if (!after(seq + skb.length(), TcpSock.seq(prev) + prev.length()) && (skb.cb1 & FIN) == 0) {
                tp.tcp.ext.inc(TcpExtMib.TCPOFODrop);
                skb.release(); // wholly inside what we already hold
                return;
            }
        }
        if (tp.rmemAlloc + ofoBytes(tp) + skb.length() > TcpOutput.rcvSpace(tp) + tp.advmss) {
            tp.tcp.ext.inc(TcpExtMib.TCPOFODrop);
            skb.release();
            return;
        }
        tp.ofoQueue.add(i, skb);
    }

    private static int ofoBytes(TcpSock tp) {
        int n = 0;
        for (PacketBuffer b : tp.ofoQueue) n += b.length();
        return n;
    }

    /** tcp_ofo_queue: moves segments that became in-order to the receive queue. */
    private static void ofoDrain(TcpSock tp) {
        while (!tp.ofoQueue.isEmpty()) {
            PacketBuffer skb = tp.ofoQueue.get(0);
            int seq = TcpSock.seq(skb);
            if (after(seq, tp.rcvNxt)) return;
            tp.ofoQueue.remove(0);
            int old = tp.rcvNxt - seq;
            boolean fin = (skb.cb1 & FIN) != 0;
            if (old >= skb.length() && !(fin && old == skb.length())) {
                skb.release();
                continue;
            }
            skb.pull(Math.min(old, skb.length()));
            queueInOrder(tp, skb);
            if (tp.state == TcpState.CLOSE) return;
        }
    }

    /** tcp_fin: the peer will send nothing more. */
    private static void fin(TcpSock tp) {
        tp.rcvNxt++;
        tp.shutdown |= Sock.RCV_SHUTDOWN;
        // Nothing lies beyond the peer's end of stream: tcp_fin drops whatever waits out of order after it.
        TcpSock.purgeOfo(tp);
        tp.ackPending = true;
        tp.unackedSegs = 2; // acknowledge at once
        switch (tp.state) {
            case TcpState.SYN_RECV, TcpState.ESTABLISHED -> TcpSock.setState(tp, TcpState.CLOSE_WAIT);
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

    /**
     * tcp_ack_snd_check: ACK at once after two full segments, out-of-order data or a FIN; otherwise within the
     * delayed-ACK time.
     */
    private static void ackSndCheck(TcpSock tp) {
        if (tp.state == TcpState.CLOSE || tp.state == TcpState.TIME_WAIT) return;
        if (tp.unackedSegs >= 2 || tp.ackNow || tp.ackPending && !tp.ofoQueue.isEmpty()) {
            TcpOutput.sendAck(tp);
        } else if (tp.unackedSegs > 0 || tp.ackPending) {
            tp.ackPending = true;
            if (!tp.delackTimer.isPending()) tp.net.loop().schedule(tp.delackTimer, Tcp.TCP_DELACK_MIN);
        }
    }
}
