package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.TcpSeq.before;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_CWR;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_OPEN;

import io.inet4j.mib.TcpExtMib;

/**
 * Tail loss probes (RACK-TLP, RFC 8985 section 7) as Linux builds them: a SACK connection in Open or CWR arms the
 * probe timer ({@code ICSK_TIME_LOSS_PROBE}) at twice the smoothed RTT instead of the RTO
 * ({@code tcp_schedule_loss_probe}); when it fires, new data goes if the window allows, else the last segment
 * again ({@code tcp_send_loss_probe}), so that the ACK it draws lets {@link TcpRack} find a tail loss without a
 * timeout. The ACK of the probe tells whether a loss was repaired ({@code tcp_process_tlp_ack}: TCPLossProbeRecovery
 * and a window reduction) or the probe was needless. On by default ({@code tcp_early_retrans} = 3).
 */
final class TcpTlp {
    private TcpTlp() {}

    /**
     * tcp_schedule_loss_probe: with SACK, in Open or CWR, and something out, the probe goes after 2 srtt, plus
     * the minimum RTO when a single segment (whose ACK may be delayed) is out, plus two jiffies otherwise; after
     * the initial timeout without an RTT sample; never later than the RTO would fire ({@code advancingRto}: the
     * RTO is being restarted now). Returns whether it armed the probe.
     */
    static boolean scheduleLossProbe(TcpSock tp, boolean advancingRto) {
        int earlyRetrans = tp.tcp.sysctls.earlyRetrans.get();
        if (earlyRetrans != 3 && earlyRetrans != 4 || tp.packetsOut == 0 || !tp.rxOpt.sackOk
                || tp.caState != TCP_CA_OPEN && tp.caState != TCP_CA_CWR
                || tp.state == TcpState.SYN_SENT || tp.state == TcpState.SYN_RECV) {
            return false;
        }
        long timeout;
        if (tp.rto.hasSample()) {
            timeout = 2 * tp.rto.srtt() + (tp.packetsOut == 1 ? RtoEstimator.TCP_RTO_MIN : TcpTimers.TCP_TIMEOUT_MIN);
        } else {
            timeout = RtoEstimator.TCP_TIMEOUT_INIT;
        }
        long rtoDelta = advancingRto ? tp.rto.rto() : TcpTimers.rtoDelta(tp);
        if (rtoDelta > 0) timeout = Math.min(timeout, rtoDelta);
        TcpTimers.resetXmitTimer(tp, TcpTimers.LOSS_PROBE, timeout);
        return true;
    }

    /** tcp_set_xmit_timer: the probe timer if a probe may go, else the retransmission timer. */
    static void setXmitTimer(TcpSock tp) {
        if (!scheduleLossProbe(tp, true)) TcpTimers.rearmRto(tp);
    }

    /**
     * tcp_send_loss_probe: one probe per tail loss episode. New data if the peer's window takes it, else the last
     * segment again (whole: Linux first cuts a multi-segment one down to its last MSS, which a queue of
     * MSS-sized segments does not need). Then the retransmission timer runs again from now.
     */
    static void sendLossProbe(TcpSock tp) {
        if (tp.loss.tlpHighSeq == 0) {
            tp.ownLoss().tlpRetrans = false;
            if (probe(tp)) {
                tp.ownLoss().tlpHighSeq = tp.sndNxt;
                tp.tcp.ext.inc(TcpExtMib.TCPLossProbes);
                tp.timerPending = 0;
            }
        }
        TcpTimers.rearmRto(tp);
    }

    /** Sends the probe: new data, else the last segment. Returns whether one went. */
    private static boolean probe(TcpSock tp) {
        TcpSkb head = tp.writeQueue.peek();
        if (head != null && !after(head.seq + Math.min(head.length(), TcpOutput.currentMss(tp)), tp.sndUna + tp.sndWnd)) {
            int pcount = tp.packetsOut;
            TcpOutput.writeXmitProbe(tp);
            return tp.packetsOut > pcount;
        }
        TcpSkb last = tp.rtxQueue.peekLast();
        if (last == null) return false;
        if (last.pcount > 1) {
            // tcp_send_loss_probe: the probe is the last segment only, cut from the end of its skb.
            int mss = tp.mssCache;
            last = TcpOutput.fragment(tp, tp.rtxQueue, tp.rtxQueue.size() - 1, last, (last.pcount - 1) * mss);
        }
        if (TcpOutput.retransmitSkb(tp, last) < 0) return false;
        tp.ownLoss().tlpRetrans = true;
        return true;
    }

    /**
     * tcp_process_tlp_ack, for each ACK while a probe is out, once it reaches the probe's snd_nxt: a probe of new
     * data, or one the peer D-SACKed ({@code dsackTlp}), or a pure duplicate ACK (original and probe both
     * arrived) ends the episode; an ACK beyond it means the probe repaired a loss: the window is reduced as for
     * one (CWR, at once to ssthresh), TCPLossProbeRecovery.
     */
    static void processAck(TcpSock tp, int ack, int flag, boolean pureDup, boolean dsackTlp) {
        if (before(ack, tp.loss.tlpHighSeq)) return;
        if (!tp.loss.tlpRetrans || dsackTlp) {
            tp.ownLoss().tlpHighSeq = 0;
        } else if (after(ack, tp.loss.tlpHighSeq)) {
            TcpSack.initCwndReduction(tp);
            TcpCong.setState(tp, TCP_CA_CWR);
            TcpSack.endCwndReduction(tp);
            TcpSack.tryKeepOpen(tp);
            tp.tcp.ext.inc(TcpExtMib.TCPLossProbeRecovery);
        } else if (pureDup && (flag & (TcpSack.FLAG_SND_UNA_ADVANCED | TcpSack.FLAG_DATA_SACKED)) == 0) {
            tp.ownLoss().tlpHighSeq = 0;
        }
    }

    /** tcp_dsack_seen's FLAG_DSACK_TLP: a one-segment D-SACK ending at the probe's snd_nxt. */
    static boolean isDsackTlp(TcpSock tp, int start, int end) {
        return tp.loss.tlpHighSeq != 0 && tp.loss.tlpHighSeq == end && end - start <= tp.mssCache;
    }
}
