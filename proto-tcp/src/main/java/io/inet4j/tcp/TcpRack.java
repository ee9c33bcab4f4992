package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.before;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_RECOVERY;

/**
 * RACK loss detection (RFC 8985) for a SACK connection, as {@code net/ipv4/tcp_recovery.c} builds it: a segment
 * is lost once a segment sent after it was delivered and more than the latest RTT plus a reordering window has
 * passed since it was sent ({@code tcp_rack_advance}, {@code tcp_rack_detect_loss}, {@code tcp_rack_mark_lost});
 * one that may still arrive arms the reordering timer ({@code ICSK_TIME_REO_TIMEOUT}, {@code tcp_rack_reo_timeout}).
 * The window is min_rtt/4, zero while no reordering was seen and a loss is evident ({@code tcp_rack_reo_wnd}),
 * and grows by a quarter min_rtt per round that D-SACKs show a spurious retransmission
 * ({@code tcp_rack_update_reo_wnd}). On by default ({@code tcp_recovery} = 1); with 0, {@link TcpSack}'s RFC 6675
 * duplicate threshold marks losses.
 */
final class TcpRack {
    /** {@code tcp_recovery} bits, Linux's. */
    static final int TCP_RACK_LOSS_DETECTION = 0x1;
    static final int TCP_RACK_STATIC_REO_WND = 0x2;
    static final int TCP_RACK_NO_DUPTHRESH = 0x4;
    /** {@code TCP_RACK_RECOVERY_THRESH}: recoveries a widened window outlives. */
    static final int TCP_RACK_RECOVERY_THRESH = 16;

    private TcpRack() {}

    /** tcp_is_rack. */
    static boolean isRack(TcpSock tp) {
        return (tp.tcp.sysctls.recovery.get() & TCP_RACK_LOSS_DETECTION) != 0;
    }

    /** tcp_skb_sent_after: sent later, or at the same instant but after in transmission order. */
    static boolean sentAfter(long t1, long t2, int order1, int order2) {
        return t1 > t2 || t1 == t2 && order1 - order2 > 0;
    }

    /** tcp_min_rtt in nanoseconds; none yet reads as the largest value, as Linux's ~0U. */
    private static long minRttNanos(TcpSock tp) {
        int us = WinMinmax.get(tp);
        return us == -1 ? Long.MAX_VALUE : (us & 0xffff_ffffL) * 1000;
    }

    /**
     * tcp_rack_advance: {@code skb} was newly delivered (acknowledged or SACKed); it becomes RACK's reference if
     * sent after the current one. A retransmission delivered sooner than min_rtt after it went may be its original
     * arriving, and says nothing.
     */
    static void advance(TcpSock tp, TcpSkb skb, int sacked) {
        long xmitTime = skb.txNanos;
        long rtt = tp.tcp.now() - xmitTime;
        if (rtt < minRttNanos(tp) && (sacked & TcpSkb.TCPCB_RETRANS) != 0) return;
        tp.rackAdvanced = true;
        tp.rackRttUs = (int) Math.min(rtt / 1000, Integer.MAX_VALUE); // rack.rtt_us, a u32 in Linux
        if (sentAfter(xmitTime, tp.rackMstamp, skb.txOrder, tp.rackTxOrder)) {
            tp.rackMstamp = xmitTime;
            tp.rackTxOrder = skb.txOrder;
        }
    }

    /**
     * tcp_rack_reo_wnd: without reordering seen, none in recovery or once as many segments were SACKed as the
     * duplicate threshold; otherwise {@code reo_wnd_steps} quarters of min_rtt, at most srtt.
     */
    static long reoWnd(TcpSock tp) {
        if (tp.loss.reordSeen == 0) {
            if (tp.caState >= TCP_CA_RECOVERY) return 0;
            if (tp.sackedOut >= tp.reordering && (tp.tcp.sysctls.recovery.get() & TCP_RACK_NO_DUPTHRESH) == 0) return 0;
        }
        long minRtt = minRttNanos(tp);
        long srtt = tp.rto.srtt();
        if (minRtt == Long.MAX_VALUE) return srtt;
        return Math.min((minRtt >> 2) * tp.loss.rackReoWndSteps, srtt);
    }

    /** tcp_rack_skb_timeout: how long until {@code skb} is overdue by RACK's RTT plus {@code reoWnd}; <= 0 once it is. */
    static long skbTimeout(TcpSock tp, TcpSkb skb, long reoWnd, long now) {
        return tp.rackRttUs * 1000L + reoWnd - (now - skb.txNanos);
    }

    /**
     * tcp_rack_detect_loss: every segment sent before RACK's reference, not already lost and awaiting
     * retransmission, is lost once its RTT plus the window has passed. Returns the longest wait of those that may
     * still arrive, 0 when none.
     */
    private static long detectLoss(TcpSock tp) {
        long reoTimeout = 0;
        long reoWnd = reoWnd(tp);
        long now = tp.tcp.now();
        // The queue is in sequence order, Linux's tsorted list in send order. Original transmissions went in
        // sequence order, so the first one not sent before the reference ends the walk, as in Linux; a
        // retransmission out of that order is only skipped.
        for (TcpSkb skb : tp.rtxQueue) {
            int sacked = skb.sacked;
            if (!sentAfter(tp.rackMstamp, skb.txNanos, tp.rackTxOrder, skb.txOrder)) {
                if ((sacked & TcpSkb.TCPCB_EVER_RETRANS) == 0) break;
                continue;
            }
            if ((sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) continue;
            if ((sacked & TcpSkb.TCPCB_LOST) != 0 && (sacked & TcpSkb.TCPCB_SACKED_RETRANS) == 0) continue;
            long remaining = skbTimeout(tp, skb, reoWnd, now);
            if (remaining <= 0) TcpCong.markLost(tp, skb);
            else reoTimeout = Math.max(reoTimeout, remaining);
        }
        return reoTimeout;
    }

    /**
     * tcp_rack_mark_lost, when something newer was delivered: marks what is lost and arms the reordering timer for
     * what may yet arrive. Returns whether it armed the timer.
     */
    static boolean markLost(TcpSock tp) {
        if (!tp.rackAdvanced) return false;
        tp.rackAdvanced = false;
        long timeout = detectLoss(tp);
        if (timeout == 0) return false;
        // Never later than the RTO would fire (inet_csk_reset_xmit_timer's max_when is icsk_rto).
        TcpTimers.resetXmitTimer(tp, TcpTimers.REO_TIMEOUT, Math.min(timeout + TcpTimers.TCP_TIMEOUT_MIN, tp.rto.rto()));
        tp.rackTimerArmed = true;
        return true;
    }

    /**
     * tcp_rack_reo_timeout: the reordering window passed; what is now lost starts (or continues) recovery and
     * goes again, then the retransmission timer takes over.
     */
    static void reoTimeout(TcpSock tp) {
        int priorInflight = tp.packetsInFlight();
        int lost = tp.loss.lost;
        detectLoss(tp);
        if (priorInflight != tp.packetsInFlight()) {
            if (tp.caState != TCP_CA_RECOVERY) {
                TcpSack.enterRecovery(tp);
                TcpSack.cwndReduction(tp, 1, tp.loss.lost - lost, 0);
            }
            TcpOutput.xmitRetransmitQueue(tp);
        }
        if (tp.timerPending != TcpTimers.RETRANS) TcpTimers.rearmRto(tp);
    }

    /**
     * tcp_rack_update_reo_wnd, per ACK: a D-SACK (after reordering was seen) widens the window by a step, at most
     * once a round trip, and keeps it for {@code TCP_RACK_RECOVERY_THRESH} recoveries; then it is back to one step.
     */
    static void updateReoWnd(TcpSock tp) {
        int priorDelivered = tp.tcp.rateSample.priorDelivered; // the ACK's rate sample (tcp_rate_skb_delivered)
        if ((tp.tcp.sysctls.recovery.get() & TCP_RACK_STATIC_REO_WND) != 0 || priorDelivered == 0) return;
        if (before(priorDelivered, tp.loss.rackLastDelivered)) tp.ownLoss().rackDsackSeen = false;
        if (tp.loss.rackDsackSeen) {
            tp.ownLoss().rackReoWndSteps = Math.min(0xff, tp.loss.rackReoWndSteps + 1);
            tp.ownLoss().rackDsackSeen = false;
            tp.ownLoss().rackLastDelivered = tp.delivered;
            tp.ownLoss().rackReoWndPersist = TCP_RACK_RECOVERY_THRESH;
        } else if (tp.loss.rackReoWndPersist == 0 && tp.loss.rackReoWndSteps != 1) {
            // Only a change is written: an ACK of a connection that never saw reordering leaves it on TcpLoss.NONE.
            tp.ownLoss().rackReoWndSteps = 1;
        }
    }
}
