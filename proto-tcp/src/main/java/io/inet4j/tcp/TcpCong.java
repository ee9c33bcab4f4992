package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.TcpSeq.before;
import static io.inet4j.tcp.cong.TcpCongestionOps.CA_EVENT_CWND_RESTART;
import static io.inet4j.tcp.cong.TcpCongestionOps.CA_EVENT_LOSS;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_CWR;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_DISORDER;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_LOSS;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_OPEN;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_RECOVERY;

import io.inet4j.ipv4.route.RouteMetrics;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Errno;
import io.inet4j.tcp.cong.TcpAckSample;
import io.inet4j.tcp.cong.TcpCongestionTable;

/**
 * Where TCP meets its congestion control: choosing and switching the algorithm ({@code net/ipv4/tcp_cong.c}),
 * the calls into it from the ACK path ({@code tcp_cong_avoid}, {@code tcp_set_ca_state}, {@code pkts_acked}) and
 * the window moves that are TCP's own, whatever the algorithm: NewReno fast recovery (RFC 6582) and
 * {@code tcp_enter_loss} after a timeout. Everything in segments.
 */
final class TcpCong {
    /** The window's ceiling ({@code snd_cwnd_clamp}; Linux starts it at ~0, this keeps growth arithmetic safe). */
    static final int CWND_CLAMP = 1 << 20;

    private TcpCong() {}

    /** tcp_assign_congestion_control: a new socket takes the stack's default algorithm. */
    static void assign(TcpSock tp) {
        TcpCongestionTable t = tp.tcp.congs.find(tp.tcp.sysctls.congestionControl.get());
        tp.ca = t.newOps();
    }

    /**
     * The listener's half of tcp_ca_openreq_child: a child runs the algorithm TCP_CONGESTION chose for the
     * listener, in an instance of its own; otherwise the stack's default as it is now, not as it was at
     * {@code listen()}. The route's half is {@link #dstInit}, once the child knows its peer.
     */
    static void inherit(TcpSock child, TcpSock listener) {
        child.setCaFlag(TcpSock.CA_SETSOCKOPT, listener.caFlag(TcpSock.CA_SETSOCKOPT));
        if (listener.caFlag(TcpSock.CA_SETSOCKOPT)) child.ca = child.tcp.congs.find(listener.ca.name()).newOps();
        else assign(child);
    }

    /**
     * tcp_ca_dst_init (tcp_connect_init) and the route's half of tcp_ca_openreq_child: the route to the peer
     * names an algorithm ({@code ip route ... congctl NAME}, RTAX_CC_ALGO), which wins over the default and over
     * TCP_CONGESTION set before the connection; {@code congctl lock} also refuses TCP_CONGESTION afterwards.
     * Runs before the algorithm starts ({@link #init}).
     */
    static void dstInit(TcpSock tp) {
        RouteMetrics m = tp.tcp.ipv4.routeMetrics(tp.daddr);
        if (m.congctl() == null) return;
        TcpCongestionTable t = tp.tcp.congs.find(m.congctl());
        if (t == null) return;
        tp.setCaFlag(TcpSock.CA_DST_LOCKED, m.congctlLocked());
        if (!tp.ca.name().equals(t.name())) tp.ca = t.newOps();
    }

    /** tcp_init_congestion_control: the connection is up; the algorithm starts. */
    static void init(TcpSock tp) {
        tp.ca.init(tp);
        tp.setCaFlag(TcpSock.CA_INITIALIZED, true);
    }

    /** The algorithm's last call for this socket. */
    static void release(TcpSock tp) {
        if (tp.caFlag(TcpSock.CA_INITIALIZED)) tp.ca.release(tp);
        tp.setCaFlag(TcpSock.CA_INITIALIZED, false);
    }

    /**
     * tcp_set_congestion_control (TCP_CONGESTION): switch to {@code name}; ENOENT when no algorithm has that name,
     * EPERM when the route locked the choice ({@code congctl lock}).
     * A running connection releases the old one and starts the new one ({@code tcp_reinit_congestion_control}).
     */
    static int set(TcpSock tp, String name) {
        if (tp.caFlag(TcpSock.CA_DST_LOCKED)) return Errno.EPERM.neg();
        TcpCongestionTable t = tp.tcp.congs.find(name);
        if (t == null) return Errno.ENOENT.neg();
        tp.setCaFlag(TcpSock.CA_SETSOCKOPT, true);
        if (tp.ca.name().equals(name)) return 0;
        boolean running = tp.caFlag(TcpSock.CA_INITIALIZED);
        release(tp);
        tp.ca = t.newOps();
        if (running) init(tp);
        return 0;
    }

    /** tcp_ca_event: tells the algorithm of {@code event}, one of {@code CA_EVENT_*}. */
    static void caEvent(TcpSock tp, int event) {
        tp.ca.cwndEvent(tp, event);
    }

    /**
     * tcp_slow_start_after_idle_check, as tcp_skb_entail runs it for each new segment the application queues:
     * with {@code tcp_slow_start_after_idle} on and nothing in flight, a sender idle for longer than an RTO has
     * lost its picture of the path (RFC 5681 4.1, RFC 2861).
     */
    static void slowStartAfterIdleCheck(TcpSock tp) {
        if (tp.tcp.sysctls.slowStartAfterIdle.get() == 0 || tp.packetsOut != 0) return;
        long delta = TcpSock.sinceJiffies(tp.tcp.now(), tp.lsndtime);
        if (delta > tp.rto.rto()) cwndRestart(tp, delta);
    }

    /**
     * tcp_cwnd_restart: the algorithm hears CA_EVENT_CWND_RESTART, ssthresh keeps three quarters of the window,
     * and cwnd halves for each RTO of idleness, down to the initial window.
     */
    private static void cwndRestart(TcpSock tp, long delta) {
        int cwnd = tp.sndCwnd;
        tp.ca.cwndEvent(tp, CA_EVENT_CWND_RESTART);
        tp.sndSsthresh = TcpSack.currentSsthresh(tp);
        int restartCwnd = Math.min(Tcp.TCP_INIT_CWND, cwnd);
        while ((delta -= tp.rto.rto()) > 0 && cwnd > restartCwnd) cwnd >>= 1;
        tp.sndCwnd = Math.max(cwnd, restartCwnd);
    }

    /** tcp_set_ca_state: tell the algorithm first, then move. */
    static void setState(TcpSock tp, int state) {
        if (tp.caState == TCP_CA_LOSS && state != TCP_CA_LOSS) TcpTimers.updateRtoTime(tp);
        tp.ca.setState(tp, state);
        tp.caState = (byte) state;
    }

    /**
     * The congestion half of tcp_ack for {@code acked} newly acknowledged segments: pkts_acked, then per state
     * NewReno's end of recovery or partial ACK, or cong_avoid. Recovery and Loss end only when something above
     * {@code high_seq} is acknowledged: an ACK of exactly {@code high_seq} holds the state, as
     * tcp_try_undo_recovery does for Reno, so that duplicate ACKs there, which needless retransmissions can
     * cause, do not start a second fast retransmit (RFC 6582 3.2 step 1).
     */
    static void onAck(TcpSock tp, int ackSeq, int acked, int priorInFlight, long rttNanos, boolean ece) {
        pktsAcked(tp, acked, priorInFlight, rttNanos);
        switch (tp.caState) {
            case TCP_CA_RECOVERY -> {
                if (!before(ackSeq, tp.highSeq)) {
                    // tcp_reset_reno_sack, tcp_end_cwnd_reduction: the episode's window is ssthresh.
                    tp.sackedOut = 0;
                    tp.sndCwnd = Math.max(tp.sndSsthresh, 2);
                    if (after(ackSeq, tp.highSeq)) setState(tp, TCP_CA_OPEN);
                } else {
                    // Partial ACK (RFC 6582): the next hole is lost too. The segments it acknowledged left
                    // sacked_out already (removeRenoSacks), which is NewReno's deflation.
                    markHeadLost(tp);
                    TcpOutput.retransmitHead(tp);
                }
            }
            case TCP_CA_LOSS -> {
                boolean recovered = !before(ackSeq, tp.highSeq);
                // tcp_process_loss: first whether timestamps show the original arrived (tcp_try_undo_loss).
                int rexmit = TcpSack.tryUndoLoss(tp, false) ? TcpSack.REXMIT_NONE
                        : tp.loss.frto ? TcpFrto.renoAck(tp, recovered) : TcpSack.REXMIT_LOST;
                // tcp_reset_reno_sack: the duplicate ACKs counted in Loss are behind the cumulative ACK now.
                if (rexmit == TcpSack.REXMIT_LOST && !recovered) tp.sackedOut = 0;
                if (tp.caState == TCP_CA_LOSS && after(ackSeq, tp.highSeq)) setState(tp, TCP_CA_OPEN);
                tp.ca.congAvoid(tp, ackSeq, acked);
                if (rexmit == TcpSack.REXMIT_NEW && TcpFrto.sendNewData(tp)) break;
                if (rexmit != TcpSack.REXMIT_NONE) TcpOutput.xmitRetransmitQueue(tp);
            }
            default -> {
                tp.sackedOut = 0; // tcp_reset_reno_sack: in Open the cumulative ACK moved past the duplicates
                // ECN: CWR ends once the data sent at its start is acknowledged; an echo in Open starts it.
                if (tp.caState == TCP_CA_CWR && after(ackSeq, tp.highSeq)) {
                    TcpSack.endCwndReduction(tp);
                    setState(tp, TCP_CA_OPEN);
                }
                if (ece && tp.caState == TCP_CA_OPEN) TcpSack.enterCwr(tp);
                if (tp.caState == TCP_CA_CWR) TcpSack.cwndReduction(tp, acked, 0, TcpSack.FLAG_SND_UNA_ADVANCED);
                else tp.ca.congAvoid(tp, ackSeq, acked);
            }
        }
        // tcp_try_to_open / tcp_try_undo_recovery: back in Open (or holding at high_seq) with no retransmission
        // outstanding, the episode is over, so a later timeout measures its give-up time from its own first
        // retransmission.
        if ((tp.caState == TCP_CA_OPEN || ackSeq == tp.highSeq) && !anyRetransDone(tp)) tp.retransStamp = 0;
    }

    /** The algorithm's pkts_acked for {@code acked} segments newly acknowledged, with the ACK's RTT sample. */
    static void pktsAcked(TcpSock tp, int acked, int priorInFlight, long rttNanos) {
        Sample s = tp.tcp.ackSample;
        s.pktsAcked = acked;
        s.rttUs = rttNanos < 0 ? -1 : rttNanos / 1000;
        s.inFlight = priorInFlight;
        tp.ca.pktsAcked(tp, s);
    }

    /** tcp_any_retrans_done: a retransmission is in flight, or the head was retransmitted at some point. */
    private static boolean anyRetransDone(TcpSock tp) {
        if (tp.retransOut > 0) return true;
        TcpSkb head = tp.rtxQueue.peek();
        return head != null && (head.sacked & TcpSkb.TCPCB_EVER_RETRANS) != 0;
    }

    /**
     * A duplicate ACK, counted as Linux counts them without SACK: one more segment presumed to have left the network
     * ({@code tcp_add_reno_sack}), which lowers the flight and lets a new segment go, in Open as limited transmit
     * (RFC 3042) and in Recovery as NewReno's window inflation; in Open the {@code reordering}th (3, RFC 5681 3.2)
     * starts fast retransmit. Ignored in Loss, and in Recovery once {@code high_seq} is acknowledged, where
     * Linux holds the state until something above it is (RFC 6582 3.2 step 1).
     */
    static void onDupAck(TcpSock tp, boolean ece) {
        if (tp.caState == TCP_CA_LOSS) TcpFrto.renoDupAck(tp);
        if (tp.caState == TCP_CA_LOSS || tp.caState == TCP_CA_RECOVERY && !before(tp.sndUna, tp.highSeq)) return;
        if (ece && tp.caState == TCP_CA_OPEN) TcpSack.enterCwr(tp);
        addRenoSack(tp);
        if ((tp.caState == TCP_CA_OPEN || tp.caState == TCP_CA_CWR) && tp.sackedOut >= tp.reordering) {
            // tcp_enter_recovery: a reduction under way (CWR) keeps its ssthresh.
            if (tp.caState == TCP_CA_OPEN) {
                tp.priorCwnd = tp.sndCwnd;
                tp.sndSsthresh = tp.ca.ssthresh(tp);
            }
            // The window the flight must shrink to; the duplicate ACKs, as sacked_out, take their segments out of it.
            tp.sndCwnd = tp.sndSsthresh;
            tp.highSeq = tp.sndNxt;
            setState(tp, TCP_CA_RECOVERY);
            tp.tcp.ext.inc(TcpExtMib.TCPFastRetrans);
            markHeadLost(tp);
            TcpOutput.retransmitHead(tp);
        }
    }

    /**
     * tcp_add_reno_sack with tcp_limit_reno_sacked: never more duplicate ACKs counted than segments out beside the
     * holes (a duplicated segment makes an extra one).
     */
    static void addRenoSack(TcpSock tp) {
        int holes = Math.min(Math.max(tp.lostOut, 1), tp.packetsOut);
        int prior = tp.sackedOut;
        tp.sackedOut = Math.min(tp.sackedOut + 1, tp.packetsOut - holes);
        tp.delivered += tp.sackedOut - prior; // tcp_count_delivered: a duplicate ACK means one more got there
    }

    /**
     * tcp_remove_reno_sacks: {@code acked} segments newly acknowledged; all but the one that filled the hole were
     * among those the duplicate ACKs counted.
     */
    static void removeRenoSacks(TcpSock tp, int acked) {
        if (acked > 0) {
            tp.delivered += Math.max(acked - tp.sackedOut, 1); // tcp_count_delivered: the rest were counted as dupacks
            tp.sackedOut = Math.max(tp.sackedOut - (acked - 1), 0);
        }
    }

    /**
     * tcp_enter_loss after a retransmission timeout: every outstanding segment not SACKed presumed lost, except
     * with RACK those sent too recently ({@link #timeoutMarkLost}; a SACKed head means the receiver reneged, and
     * all SACKs are forgotten); a timeout in Open or Disorder after many SACKs means reordering was overestimated;
     * a new ssthresh, with the undo state saved, unless this window already set one (a Recovery, CWR or Loss
     * episode short of high_seq); cwnd what is left in flight plus one; F-RTO maybe ({@link TcpFrto}).
     */
    static void enterLoss(TcpSock tp) {
        boolean newRecovery = tp.caState < TCP_CA_RECOVERY;
        timeoutMarkLost(tp);
        int sysctlReordering = tp.tcp.sysctls.reordering.get();
        if (tp.caState <= TCP_CA_DISORDER && tp.sackedOut >= sysctlReordering) {
            tp.reordering = Math.min(tp.reordering, sysctlReordering);
        }
        // Reduce ssthresh unless this window already did: a timeout in Recovery or CWR before high_seq keeps the
        // reduction (and undo state) that episode made, as does a repeated timeout in Loss.
        if (tp.caState <= TCP_CA_DISORDER || !after(tp.highSeq, tp.sndUna)
                || tp.caState == TCP_CA_LOSS && tp.retransmits == 0) {
            tp.ownLoss().priorSsthresh = TcpSack.currentSsthresh(tp);
            tp.priorCwnd = tp.sndCwnd;
            tp.sndSsthresh = tp.ca.ssthresh(tp);
            tp.ca.cwndEvent(tp, CA_EVENT_LOSS);
            TcpSack.initUndo(tp);
        }
        // What is still in flight (not marked lost) keeps its place; one more segment may go: the head.
        tp.sndCwnd = tp.packetsInFlight() + 1;
        tp.sndCwndCnt = 0;
        setState(tp, TCP_CA_LOSS);
        tp.highSeq = tp.sndNxt;
        TcpEcn.queueCwr(tp);
        TcpFrto.enterLoss(tp, newRecovery);
    }

    /**
     * tcp_timeout_mark_lost: after a SACK reneging everything is lost; otherwise all but, with RACK, segments
     * (the head aside) sent too recently to be overdue yet by RACK's RTT.
     */
    private static void timeoutMarkLost(TcpSock tp) {
        boolean reneg = TcpSack.timeoutReneging(tp);
        if (!reneg && !tp.rxOpt.sackOk) tp.sackedOut = 0; // tcp_reset_reno_sack
        boolean rack = !reneg && TcpRack.isRack(tp);
        long now = tp.tcp.now();
        TcpSkb head = tp.rtxQueue.peek();
        for (TcpSkb s : tp.rtxQueue) {
            if (rack && s != head && TcpRack.skbTimeout(tp, s, 0, now) > 0) continue;
            markLost(tp, s);
        }
    }

    /**
     * tcp_simple_retransmit: after the path MTU shrank, every segment longer than the new MSS is lost (the
     * router dropped it) and is counted again in MSS-sized pieces (tcp_adjust_pcount); they go out at once, in
     * Loss state but with cwnd untouched, since the amount of data in the network did not grow, only its units.
     */
    static void simpleRetransmit(TcpSock tp) {
        int mss = tp.mssCache;
        for (TcpSkb s : tp.rtxQueue) {
            if (s.length() <= mss || (s.sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) continue;
            markLost(tp, s);
            int old = s.pcount;
            s.setPcount(mss);
            tp.packetsOut += s.pcount - old;
            tp.lostOut += s.pcount - old;
        }
        if (tp.lostOut == 0) return;
        if (tp.caState != TCP_CA_LOSS) {
            tp.highSeq = tp.sndNxt;
            tp.sndSsthresh = Math.max(tp.sndSsthresh, (tp.sndCwnd >> 1) + (tp.sndCwnd >> 2));
            setState(tp, TCP_CA_LOSS);
        }
        TcpOutput.xmitRetransmitQueue(tp);
    }

    /** tcp_newreno_mark_lost: the head is the hole the duplicate ACKs point at. */
    private static void markHeadLost(TcpSock tp) {
        TcpSkb head = tp.rtxQueue.peek();
        if (head == null) return;
        // Only the first segment is the hole; the rest of a large head skb is not known to be lost.
        if (head.pcount > 1) TcpOutput.fragment(tp, tp.rtxQueue, 0, head, tp.mssCache);
        markLost(tp, head);
    }

    /**
     * tcp_mark_skb_lost: a SACKed segment is not lost; a lost one whose retransmission is in flight lost that
     * too (TCPLostRetransmit), which is forgotten; otherwise it counts as lost once.
     */
    static void markLost(TcpSock tp, TcpSkb s) {
        if ((s.sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) return;
        if ((s.sacked & TcpSkb.TCPCB_LOST) != 0) {
            if ((s.sacked & TcpSkb.TCPCB_SACKED_RETRANS) != 0) {
                s.sacked &= ~TcpSkb.TCPCB_SACKED_RETRANS;
                tp.retransOut -= s.pcount;
                tp.tcp.ext.add(TcpExtMib.TCPLostRetransmit, s.pcount);
                tp.ownLoss().lost += s.pcount;
            }
        } else {
            s.sacked |= TcpSkb.TCPCB_LOST;
            tp.lostOut += s.pcount;
            tp.ownLoss().lost += s.pcount;
        }
    }

    /**
     * tcp_cwnd_validate: after sending, remember how full the window was; {@code cwndLimited} when sending
     * stopped because of cwnd.
     */
    static void validate(TcpSock tp, boolean cwndLimited) {
        if (!before(tp.sndUna, tp.cwndUsageSeq) || cwndLimited
                || !tp.isCwndLimited && tp.packetsOut > tp.maxPacketsOut) {
            tp.isCwndLimited = cwndLimited;
            tp.maxPacketsOut = tp.packetsOut;
            tp.cwndUsageSeq = tp.sndNxt;
        }
        // Not cwnd-limited, nothing left to send and a writer waiting for space: the send buffer starves the network.
        if (!isCwndLimited(tp) && tp.writeQueue.isEmpty() && tp.nospace
                && (tp.state == TcpState.ESTABLISHED || tp.state == TcpState.CLOSE_WAIT)) {
            TcpChrono.start(tp, TcpChrono.SNDBUF_LIMITED);
        }
    }

    /**
     * tcp_is_cwnd_limited: the window was full lately; or, in slow start, it is under twice the most that was in
     * flight (RFC 7661: an application-limited sender's window does not grow beyond what it used).
     */
    static boolean isCwndLimited(TcpSock tp) {
        if (tp.isCwndLimited) return true;
        if (tp.sndCwnd < tp.sndSsthresh) return tp.sndCwnd < 2 * tp.maxPacketsOut;
        return false;
    }

    /** The reused {@link TcpAckSample} of a stack: valid during one pkts_acked call. */
    static final class Sample implements TcpAckSample {
        /** The newest acknowledged segment's RTT, -1 for none ({@code ca_rtt_us}); set by tcp_clean_rtx_queue. */
        long caRttNanos = -1;
        /** Data never retransmitted was acknowledged ({@code FLAG_ORIG_SACK_ACKED}); set by tcp_clean_rtx_queue. */
        boolean origAcked;
        private int pktsAcked;
        private long rttUs;
        private int inFlight;

        @Override public int pktsAcked() { return pktsAcked; }

        @Override public long rttUs() { return rttUs; }

        @Override public int inFlight() { return inFlight; }
    }
}
