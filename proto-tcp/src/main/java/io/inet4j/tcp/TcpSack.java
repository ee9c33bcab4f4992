package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.TcpSeq.before;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_CWR;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_DISORDER;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_LOSS;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_OPEN;
import static io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_RECOVERY;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.tcp.wire.TcpOptions;

/**
 * The sender's half of SACK and the loss recovery it drives, for a peer that negotiated SACK
 * ({@code net/ipv4/tcp_input.c}): the scoreboard ({@code tcp_sacktag_write_queue}, {@code tcp_sacktag_one},
 * {@code tcp_is_sackblock_valid}, {@code tcp_check_dsack}, {@code tcp_check_sack_reordering}), RFC 6675 loss
 * marking ({@code tcp_update_scoreboard}, {@code tcp_mark_head_lost}), the recovery state machine
 * ({@code tcp_fastretrans_alert}, {@code tcp_time_to_recover}, {@code tcp_enter_recovery}), Proportional Rate
 * Reduction (RFC 6937: {@code tcp_init_cwnd_reduction}, {@code tcp_cwnd_reduction}, {@code tcp_end_cwnd_reduction})
 * and undo of needless reductions ({@code tcp_try_undo_dsack}, {@code tcp_try_undo_recovery},
 * {@code tcp_try_undo_partial}, {@code tcp_try_undo_loss}). Losses are found by {@link TcpRack}
 * ({@code tcp_identify_packet_loss}, {@code tcp_recovery} = 1, the default) or by the classic duplicate-threshold
 * rule ({@code tcp_recovery} = 0). A peer without SACK keeps NewReno in {@link TcpCong}.
 */
final class TcpSack {
    /** {@code FLAG_*} of tcp_ack, Linux's bits. */
    static final int FLAG_DATA_ACKED = 0x04;
    static final int FLAG_DATA_SACKED = 0x20;
    /** The ACK echoes congestion (ECN's ECE, {@code tcp_ecn_rcv_ecn_echo}). */
    static final int FLAG_ECE = 0x40;
    /** {@code FLAG_ORIG_SACK_ACKED}: data never retransmitted, sent before {@code high_seq}, was (S)ACKed. */
    static final int FLAG_ORIG_SACK_ACKED = 0x200;
    static final int FLAG_SND_UNA_ADVANCED = 0x400;
    static final int FLAG_DSACKING_ACK = 0x800;
    /** The ACK moved snd_una: the loss probe or retransmission timer starts again, unless RACK armed its own. */
    static final int FLAG_SET_XMIT_TIMER = 0x1000;
    /** A D-SACK of the tail loss probe: original and probe both arrived. */
    static final int FLAG_DSACK_TLP = 0x20000;
    static final int FLAG_SACK_RENEGING = 0x2000;
    /** {@code FLAG_CA_ALERT}: what makes an ACK worth the recovery state machine's attention. */
    private static final int FLAG_CA_ALERT = FLAG_DATA_SACKED | FLAG_ECE | FLAG_DSACKING_ACK;

    /** {@code TCP_INFINITE_SSTHRESH}. */
    private static final int TCP_INFINITE_SSTHRESH = Integer.MAX_VALUE;
    /** {@code tcp_max_reordering}'s default: the most reordering the sender will believe in. */
    private static final int TCP_MAX_REORDERING = 300;

    /** What tcp_xmit_recovery sends after the ACK ({@code REXMIT_*}): nothing, the lost segments, new data (F-RTO). */
    static final int REXMIT_NONE = 0;
    static final int REXMIT_LOST = 1;
    static final int REXMIT_NEW = 2;

    private TcpSack() {}

    /** tcp_highest_sack_seq: the end of the highest SACKed segment, snd_una when nothing is SACKed. */
    static int highestSackSeq(TcpSock tp) {
        return tp.sackedOut == 0 ? tp.sndUna : tp.loss.highestSack;
    }

    /** tcp_in_cwnd_reduction: Recovery and CWR pace the window with PRR. */
    static boolean inCwndReduction(TcpSock tp) {
        return tp.caState == TCP_CA_CWR || tp.caState == TCP_CA_RECOVERY;
    }

    /**
     * tcp_sacktag_write_queue: the SACK blocks of {@code seg}, an ACK that already moved snd_una from
     * {@code priorSndUna}, tag the retransmission queue. A first block below the ACK or inside the second is a
     * D-SACK (RFC 2883). Blocks that cannot be right are discarded and counted; the rest are walked in sequence
     * order. Returns {@code FLAG_*} bits.
     * A segment partly covered by a block stays untagged; an skb of several segments is cut at the block's edges.
     */
    static int sacktagWriteQueue(TcpSock tp, TcpSegment seg, int priorSndUna) {
        TcpOptions.Parsed o = seg.opts;
        int flag = 0;
        tp.ownLoss().sackReord = tp.sndNxt;
        boolean foundDupSack = checkDsack(tp, seg, priorSndUna);
        if (foundDupSack) {
            flag |= FLAG_DSACKING_ACK;
            if (TcpTlp.isDsackTlp(tp, o.sackStart(0), o.sackEnd(0))) flag |= FLAG_DSACK_TLP;
        }
        // Too old an ACK to trust its blocks.
        if (before(seg.ack, priorSndUna - tp.maxWindow)) return 0;
        if (tp.packetsOut == 0) return flag;
        int used = 0;
        int dupIndex = -1;
        for (int i = 0; i < o.numSacks(); i++) {
            boolean dupSack = i == 0 && foundDupSack;
            int start = o.sackStart(i);
            int end = o.sackEnd(i);
            if (!isSackblockValid(tp, dupSack, start, end)) {
                if (dupSack) {
                    tp.tcp.ext.inc(tp.loss.undoMarker == 0 ? TcpExtMib.TCPDSACKIgnoredNoUndo : TcpExtMib.TCPDSACKIgnoredOld);
                } else {
                    // Old blocks on an ACK that arrived after a newer one are reordering, not nonsense.
                    if (seg.ack != tp.sndUna && !after(end, tp.sndUna)) continue;
                    tp.tcp.ext.inc(TcpExtMib.TCPSACKDiscard);
                }
                continue;
            }
            if (!after(end, priorSndUna)) continue; // very old: acknowledged already
            if (dupSack) dupIndex = used;
            tp.tcp.sackTagStart[used] = start;
            tp.tcp.sackTagEnd[used++] = end;
        }
        // In sequence order, so that a block below another is not taken for reordering.
        for (int i = 1; i < used; i++) {
            for (int j = i; j > 0 && after(tp.tcp.sackTagStart[j - 1], tp.tcp.sackTagStart[j]); j--) {
                swap(tp.tcp.sackTagStart, j);
                swap(tp.tcp.sackTagEnd, j);
                if (dupIndex == j) dupIndex = j - 1;
                else if (dupIndex == j - 1) dupIndex = j;
            }
        }
        for (int i = 0; i < used; i++) flag |= sacktagRange(tp, tp.tcp.sackTagStart[i], tp.tcp.sackTagEnd[i], i == dupIndex);
        if (tp.caState != TCP_CA_LOSS || tp.loss.undoMarker != 0) checkSackReordering(tp, tp.loss.sackReord, false);
        return flag;
    }

    private static void swap(int[] a, int j) {
        int t = a[j];
        a[j] = a[j - 1];
        a[j - 1] = t;
    }

    /**
     * tcp_sacktag_walk over the segments wholly inside {@code [start, end)}; an skb of several segments that the
     * block covers in part is cut at the block's edge rounded to whole segments first (tcp_match_skb_to_sack).
     */
    private static int sacktagRange(TcpSock tp, int start, int end, boolean dupSack) {
        int flag = 0;
        // Indexed: a cut puts the second part of an skb right behind it.
        for (int i = 0; i < tp.rtxQueue.size(); i++) {
            TcpSkb skb = tp.rtxQueue.get(i);
            if (!after(skb.endSeq, start)) continue;
            if (!before(skb.seq, end)) break;
            if (before(skb.seq, start) || after(skb.endSeq, end)) {
                int inSack = matchSkbToSack(tp, i, skb, start, end);
                if (inSack < 0) break;
                if (inSack == 0) continue;
            }
            int before = skb.sacked;
            skb.sacked = sacktagOne(tp, skb, dupSack);
            TcpRate.skbDelivered(tp, skb, tp.tcp.rateSample);
            if ((before & TcpSkb.TCPCB_SACKED_ACKED) == 0 && (skb.sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) {
                flag |= FLAG_DATA_SACKED;
                if ((before & TcpSkb.TCPCB_RETRANS) == 0 && !after(skb.endSeq, tp.highSeq)) flag |= FLAG_ORIG_SACK_ACKED;
                if (!before(skb.endSeq, tp.loss.highestSack) || tp.sackedOut == skb.pcount) tp.ownLoss().highestSack = skb.endSeq;
            }
        }
        return flag;
    }

    /**
     * tcp_match_skb_to_sack for an skb the block {@code [start, end)} covers in part: one of several segments is cut
     * where the block starts or ends, on a segment boundary (a block starting inside a segment leaves that segment
     * out, one ending inside it too). Returns 1 when the skb, now cut, lies inside the block, 0 when it does not
     * (its second part may), -1 when the block covers less than a segment of it (the walk ends there).
     */
    private static int matchSkbToSack(TcpSock tp, int index, TcpSkb skb, int start, int end) {
        if (skb.pcount <= 1) return 0;
        int mss = tp.mssCache;
        boolean inSack = !after(start, skb.seq);
        int pktLen;
        if (!inSack) {
            pktLen = Math.max(start - skb.seq, mss);
        } else {
            pktLen = end - skb.seq;
            if (pktLen < mss) return -1;
        }
        if (pktLen > mss) {
            int newLen = pktLen / mss * mss;
            if (!inSack && newLen < pktLen) newLen += mss;
            pktLen = newLen;
        }
        if (pktLen >= skb.length()) return inSack ? 1 : 0;
        TcpOutput.fragment(tp, tp.rtxQueue, index, skb, pktLen);
        return inSack ? 1 : 0;
    }

    /**
     * tcp_sacktag_one: one segment is SACKed (or D-SACKed): out of the lost and retransmitted counts into
     * sacked_out; an original transmission SACKed below the highest SACK is reordering; a D-SACK of a
     * retransmission means the retransmission was needless. Returns its new {@code sacked} bits.
     */
    private static int sacktagOne(TcpSock tp, TcpSkb skb, boolean dupSack) {
        int sacked = skb.sacked;
        int pcount = skb.pcount;
        if (dupSack && (sacked & TcpSkb.TCPCB_RETRANS) != 0) {
            if (tp.loss.undoMarker != 0 && tp.loss.undoRetrans > 0 && after(skb.endSeq, tp.loss.undoMarker)) {
                tp.ownLoss().undoRetrans = Math.max(0, tp.loss.undoRetrans - pcount);
            }
            if ((sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0 && before(skb.seq, tp.loss.sackReord)) tp.ownLoss().sackReord = skb.seq;
        }
        if (!after(skb.endSeq, tp.sndUna)) return sacked; // about to go with the cumulative ACK
        if ((sacked & TcpSkb.TCPCB_SACKED_ACKED) == 0) {
            TcpRack.advance(tp, skb, sacked);
            if ((sacked & TcpSkb.TCPCB_SACKED_RETRANS) != 0) {
                // A retransmission not marked lost is believed still in flight.
                if ((sacked & TcpSkb.TCPCB_LOST) != 0) {
                    sacked &= ~(TcpSkb.TCPCB_LOST | TcpSkb.TCPCB_SACKED_RETRANS);
                    tp.lostOut -= pcount;
                    tp.retransOut -= pcount;
                }
            } else {
                if ((sacked & TcpSkb.TCPCB_RETRANS) == 0 && before(skb.seq, highestSackSeq(tp))
                        && before(skb.seq, tp.loss.sackReord)) {
                    tp.ownLoss().sackReord = skb.seq; // an original SACKed in a hole: reordering
                }
                if ((sacked & TcpSkb.TCPCB_LOST) != 0) {
                    sacked &= ~TcpSkb.TCPCB_LOST;
                    tp.lostOut -= pcount;
                }
            }
            sacked |= TcpSkb.TCPCB_SACKED_ACKED;
            tp.sackedOut += pcount;
        }
        if (dupSack && (sacked & TcpSkb.TCPCB_SACKED_RETRANS) != 0) {
            sacked &= ~TcpSkb.TCPCB_SACKED_RETRANS;
            tp.retransOut -= pcount;
        }
        return sacked;
    }

    /**
     * tcp_is_sackblock_valid: a block must lie within what was sent and not wrap; below snd_una only a D-SACK
     * is meaningful, and only for data sent since the undo marker (or within a window of it).
     */
    static boolean isSackblockValid(TcpSock tp, boolean isDsack, int start, int end) {
        if (after(end, tp.sndNxt) || !before(start, end)) return false;
        if (!before(start, tp.sndNxt)) return false;
        if (after(start, tp.sndUna)) return true;
        if (!isDsack || tp.loss.undoMarker == 0) return false;
        if (after(end, tp.sndUna)) return false;
        if (!before(start, tp.loss.undoMarker)) return true;
        if (!after(end, tp.loss.undoMarker)) return false;
        return !before(start, end - tp.maxWindow);
    }

    /**
     * tcp_check_dsack: is the first block a D-SACK (below the ACK: TCPDSACKRecv; inside the second block:
     * TCPDSACKOfoRecv)? A duplicate of more than was ever retransmitted is dubious and ignored. A D-SACK for data
     * already acknowledged counts against the retransmissions that may have been needless.
     */
    private static boolean checkDsack(TcpSock tp, TcpSegment seg, int priorSndUna) {
        TcpOptions.Parsed o = seg.opts;
        int s0 = o.sackStart(0);
        int e0 = o.sackEnd(0);
        if (before(s0, seg.ack)) {
            tp.tcp.ext.inc(TcpExtMib.TCPDSACKRecv);
        } else if (o.numSacks() > 1) {
            if (after(e0, o.sackEnd(1)) || before(s0, o.sackStart(1))) return false;
            tp.tcp.ext.inc(TcpExtMib.TCPDSACKOfoRecv);
        } else {
            return false;
        }
        int dupSegs = dsackSeen(tp, s0, e0);
        if (dupSegs == 0) {
            tp.tcp.ext.inc(TcpExtMib.TCPDSACKIgnoredDubious);
            return false;
        }
        tp.tcp.ext.add(TcpExtMib.TCPDSACKRecvSegs, dupSegs);
        if (tp.loss.undoMarker != 0 && tp.loss.undoRetrans > 0 && !after(e0, priorSndUna) && after(e0, tp.loss.undoMarker)) {
            tp.ownLoss().undoRetrans = Math.max(0, tp.loss.undoRetrans - dupSegs);
        }
        return true;
    }

    /** tcp_dsack_seen: how many segments a D-SACK block reports, 0 for one that cannot be right. */
    private static int dsackSeen(TcpSock tp, int start, int end) {
        int len = end - start;
        if (len <= 0 || len > tp.maxWindow) return 0;
        int dupSegs = len > tp.mssCache ? (len + tp.mssCache - 1) / tp.mssCache : 1;
        tp.ownLoss().dsackDups += dupSegs;
        // More duplicates than retransmissions: the peer is not telling the truth.
        if (tp.loss.dsackDups > tp.loss.totalRetrans) return 0;
        // A spurious retransmission after reordering was seen: RACK's window may have been too small. A probe's is
        // the timer's doing, not the window's.
        if (tp.loss.reordSeen != 0 && !TcpTlp.isDsackTlp(tp, start, end)) tp.ownLoss().rackDsackSeen = true;
        return dupSegs;
    }

    /**
     * tcp_check_sack_reordering: an original transmission at {@code lowSeq} arrived after data up to the highest
     * SACK; the reordering degree grows to that distance in segments (TCPSACKReorder, or TCPTSReorder when
     * timestamps showed it), at most {@code tcp_max_reordering}.
     */
    static void checkSackReordering(TcpSock tp, int lowSeq, boolean ts) {
        int fack = highestSackSeq(tp);
        if (!before(lowSeq, fack)) return;
        int mss = tp.mssCache;
        int metric = fack - lowSeq;
        if (mss > 0 && metric > tp.reordering * mss) {
            tp.reordering = Math.min((metric + mss - 1) / mss, TCP_MAX_REORDERING);
        }
        tp.ownLoss().reordSeen++;
        tp.tcp.ext.inc(ts ? TcpExtMib.TCPTSReorder : TcpExtMib.TCPSACKReorder);
    }

    /**
     * The SACK half of tcp_ack after the queue was cleaned: {@code flag} says what the ACK did,
     * {@code ackedSacked} the segments it newly delivered (acknowledged or SACKed), {@code dupack} whether it was
     * a duplicate. tcp_fastretrans_alert when the ACK is dubious, then tcp_cong_control (PRR in recovery,
     * cong_avoid otherwise), then tcp_xmit_recovery. Called after the retransmission timer was re-armed for the
     * ACK, so that a suspected reneging can set it shorter.
     */
    static void ack(TcpSock tp, int ackSeq, int priorSndUna, int flag, int ackedSacked, boolean dupack) {
        int lostBefore = tp.loss.lost;
        int rexmit = REXMIT_NONE;
        TcpRack.updateReoWnd(tp);
        tp.rackTimerArmed = false;
        if (tp.loss.tlpHighSeq != 0) TcpTlp.processAck(tp, ackSeq, flag, dupack, (flag & FLAG_DSACK_TLP) != 0);
        boolean dubious = dupack || (flag & FLAG_CA_ALERT) != 0 || tp.caState != TCP_CA_OPEN;
        if (dubious) {
            if ((flag & FLAG_SACK_RENEGING) != 0 && (flag & FLAG_SND_UNA_ADVANCED) != 0) {
                // tcp_check_sack_reneging: the receiver dropped what it SACKed. Wait a little for the ACK that
                // would explain it, then the timeout repairs it.
                TcpTimers.resetRetransmit(tp, Math.max(tp.rto.srtt() >> 1, 10_000_000L));
                return;
            }
            rexmit = fastretransAlert(tp, priorSndUna, dupack, flag);
        }
        // tcp_set_xmit_timer, unless RACK's reordering timer was armed instead (tcp_identify_packet_loss)
        if ((flag & FLAG_SET_XMIT_TIMER) != 0 && !tp.rackTimerArmed) TcpTlp.setXmitTimer(tp);
        // tcp_cong_control
        if (inCwndReduction(tp)) {
            cwndReduction(tp, ackedSacked, tp.loss.lost - lostBefore, flag);
        } else if (mayRaiseCwnd(tp, flag)) {
            tp.ca.congAvoid(tp, ackSeq, ackedSacked);
        }
        xmitRecovery(tp, rexmit);
    }

    /**
     * tcp_ack's no_queue path, an ACK with nothing outstanding before it: no recovery to drive, but late D-SACKs
     * may still prove the last episode's retransmissions needless and undo it (tcp_fastretrans_alert), and the
     * duplicate ACK or D-SACK of a probe whose original was acknowledged first ends the probe's episode.
     */
    static void noQueueAck(TcpSock tp, int ackSeq, int flag, boolean dupack) {
        if ((flag & FLAG_DSACKING_ACK) != 0) fastretransAlert(tp, tp.sndUna, dupack, flag);
        if (tp.loss.tlpHighSeq != 0) TcpTlp.processAck(tp, ackSeq, flag, dupack, (flag & FLAG_DSACK_TLP) != 0);
    }

    /**
     * tcp_xmit_recovery, after the window was updated for the ACK: the lost segments go; or, in F-RTO's second
     * step, new data, and the lost segments only when none could go.
     */
    private static void xmitRecovery(TcpSock tp, int rexmit) {
        if (rexmit == REXMIT_NONE) return;
        if (rexmit == REXMIT_NEW && TcpFrto.sendNewData(tp)) return;
        TcpOutput.xmitRetransmitQueue(tp);
    }

    /**
     * tcp_ack's old_ack with SACK blocks: an ACK below snd_una whose blocks were tagged ({@code flag}) still
     * drives recovery, without touching the window.
     */
    static void oldAck(TcpSock tp, int flag) {
        xmitRecovery(tp, fastretransAlert(tp, tp.sndUna, false, flag));
    }

    /**
     * tcp_may_raise_cwnd: grow only on in-order delivery (RFC 5681), unless reordering was seen to be high,
     * when any delivery will do.
     */
    private static boolean mayRaiseCwnd(TcpSock tp, int flag) {
        if (tp.reordering > tp.tcp.sysctls.reordering.get()) return (flag & (FLAG_DATA_ACKED | FLAG_DATA_SACKED)) != 0;
        return (flag & FLAG_DATA_ACKED) != 0;
    }

    /**
     * tcp_fastretrans_alert for a SACK connection: leave Recovery once high_seq is acknowledged, undo a
     * reduction that D-SACKs proved needless, enter Recovery when loss is evident ({@link #timeToRecover}) and
     * mark the holes lost. Returns what to send ({@code REXMIT_*}).
     */
    private static int fastretransAlert(TcpSock tp, int priorSndUna, boolean dupack, int flag) {
        boolean doLost = dupack || (flag & FLAG_DATA_SACKED) != 0 && forceFastRetransmit(tp);
        boolean fastRexmit = false;
        if (tp.packetsOut == 0 && tp.sackedOut != 0) tp.sackedOut = 0;
        // D. The state ends when high_seq is acknowledged.
        if (tp.caState == TCP_CA_OPEN) {
            tp.retransStamp = 0;
        } else if (!before(tp.sndUna, tp.highSeq)) {
            if (tp.caState == TCP_CA_CWR) {
                if (tp.sndUna != tp.highSeq) {
                    endCwndReduction(tp);
                    TcpCong.setState(tp, TCP_CA_OPEN);
                }
            } else if (tp.caState == TCP_CA_RECOVERY) {
                tryUndoRecovery(tp);
                endCwndReduction(tp);
            }
        }
        // E. Process the state.
        switch (tp.caState) {
            case TCP_CA_RECOVERY -> {
                if ((flag & FLAG_SND_UNA_ADVANCED) != 0) {
                    if (tp.loss.undoMarker != 0 && packetDelayed(tp)) {
                        if (tryUndoPartial(tp, priorSndUna)) return REXMIT_NONE;
                    } else {
                        doLost = forceFastRetransmit(tp);
                    }
                }
                if (tryUndoDsack(tp)) tryToOpen(tp, flag);
                identifyPacketLoss(tp);
                if (tp.caState != TCP_CA_RECOVERY) {
                    if (!timeToRecover(tp)) return REXMIT_NONE;
                    enterRecovery(tp);
                }
            }
            case TCP_CA_LOSS -> {
                // Still in Loss: the lost segments (or F-RTO's new data) go, unless RACK found a retransmission
                // lost again. Back in Open: maybe straight into Recovery.
                int rexmit = processLoss(tp, flag, dupack);
                boolean lostRetrans = identifyPacketLoss(tp);
                if (tp.caState != TCP_CA_OPEN && !lostRetrans) return rexmit;
                if (!openOrEnterRecovery(tp, flag)) return REXMIT_NONE;
                fastRexmit = true;
            }
            default -> {
                if (!openOrEnterRecovery(tp, flag)) return REXMIT_NONE;
                fastRexmit = true;
            }
        }
        if (!TcpRack.isRack(tp) && doLost) updateScoreboard(tp, fastRexmit);
        return REXMIT_LOST;
    }

    /**
     * tcp_identify_packet_loss with SACK: RACK marks what is lost (and may arm its timer). Returns whether a
     * retransmission was found lost again ({@code FLAG_LOST_RETRANS}).
     */
    private static boolean identifyPacketLoss(TcpSock tp) {
        if (tp.rtxQueue.isEmpty() || !TcpRack.isRack(tp)) return false;
        int priorRetrans = tp.retransOut;
        TcpRack.markLost(tp);
        return priorRetrans > tp.retransOut;
    }

    /** tcp_fastretrans_alert's Open, Disorder and CWR case: stay (maybe undoing), or enter Recovery. */
    private static boolean openOrEnterRecovery(TcpSock tp, int flag) {
        if (tp.caState <= TCP_CA_DISORDER) tryUndoDsack(tp);
        identifyPacketLoss(tp);
        if (!timeToRecover(tp)) {
            tryToOpen(tp, flag);
            return false;
        }
        enterRecovery(tp);
        return true;
    }

    /**
     * tcp_process_loss after a timeout: an ACK that proves the retransmissions needless undoes the loss state; so
     * does, with F-RTO, one that (S)ACKs data never retransmitted ({@link TcpFrto#processLoss}); one reaching
     * high_seq ends it. Returns what to send ({@code REXMIT_*}).
     */
    private static int processLoss(TcpSock tp, int flag, boolean dupack) {
        boolean recovered = !before(tp.sndUna, tp.highSeq);
        if ((flag & FLAG_SND_UNA_ADVANCED) != 0 && tryUndoLoss(tp, false)) return REXMIT_NONE;
        if (tp.loss.frto) {
            int rexmit = TcpFrto.processLoss(tp, flag, dupack, recovered);
            if (rexmit != REXMIT_LOST) return rexmit;
        }
        if (recovered) {
            tryUndoRecovery(tp);
            return REXMIT_NONE;
        }
        return REXMIT_LOST;
    }

    /**
     * tcp_time_to_recover: a segment is marked lost, or, without RACK, more segments were SACKed above the
     * first hole than {@code reordering} allows (RFC 6675's DupThresh).
     */
    static boolean timeToRecover(TcpSock tp) {
        return tp.lostOut > 0 || !TcpRack.isRack(tp) && tp.sackedOut + 1 > tp.reordering;
    }

    /** tcp_force_fast_retransmit: SACKs reach more than {@code reordering} segments beyond snd_una. */
    private static boolean forceFastRetransmit(TcpSock tp) {
        return after(highestSackSeq(tp), tp.sndUna + tp.reordering * tp.mssCache);
    }

    /**
     * tcp_enter_recovery: TCPSackRecovery, the undo state saved, and the window reduction begins (PRR) unless
     * one is under way.
     */
    static void enterRecovery(TcpSock tp) {
        tp.tcp.ext.inc(TcpExtMib.TCPSackRecovery);
        tp.ownLoss().priorSsthresh = 0;
        initUndo(tp);
        if (!inCwndReduction(tp)) {
            tp.ownLoss().priorSsthresh = currentSsthresh(tp);
            initCwndReduction(tp);
        }
        TcpCong.setState(tp, TCP_CA_RECOVERY);
    }

    /** tcp_init_undo: retransmissions from here may turn out needless; D-SACKs of them count down undo_retrans. */
    static void initUndo(TcpSock tp) {
        tp.ownLoss().undoMarker = tp.sndUna;
        tp.ownLoss().undoRetrans = tp.retransOut != 0 ? tp.retransOut : -1;
    }

    /** tcp_current_ssthresh: the threshold to restore on undo. */
    static int currentSsthresh(TcpSock tp) {
        if (inCwndReduction(tp)) return tp.sndSsthresh;
        return Math.max(tp.sndSsthresh, (tp.sndCwnd >> 1) + (tp.sndCwnd >> 2));
    }

    /** tcp_init_cwnd_reduction: PRR starts from the current window towards the algorithm's ssthresh. */
    static void initCwndReduction(TcpSock tp) {
        tp.highSeq = tp.sndNxt;
        tp.ownLoss().tlpHighSeq = 0;
        tp.sndCwndCnt = 0;
        tp.priorCwnd = tp.sndCwnd;
        tp.ownLoss().prrDelivered = 0;
        tp.ownLoss().prrOut = 0;
        tp.sndSsthresh = tp.ca.ssthresh(tp);
        TcpEcn.queueCwr(tp);
    }

    /**
     * tcp_cwnd_reduction, Proportional Rate Reduction (RFC 6937): per ACK, while the flight is above ssthresh
     * send in proportion to what was delivered ({@code ssthresh / prior_cwnd}); below it, slow-start back up
     * to ssthresh. The first call always lets the fast retransmission go.
     */
    static void cwndReduction(TcpSock tp, int newlyAckedSacked, int newlyLost, int flag) {
        if (newlyAckedSacked <= 0 || tp.priorCwnd == 0) return;
        int inFlight = tp.packetsInFlight();
        int delta = tp.sndSsthresh - inFlight;
        int sndcnt;
        tp.ownLoss().prrDelivered += newlyAckedSacked;
        if (delta < 0) {
            long dividend = (long) tp.sndSsthresh * tp.loss.prrDelivered + tp.priorCwnd - 1;
            sndcnt = (int) (dividend / tp.priorCwnd) - tp.loss.prrOut;
        } else {
            sndcnt = Math.max(tp.loss.prrDelivered - tp.loss.prrOut, newlyAckedSacked);
            if ((flag & FLAG_SND_UNA_ADVANCED) != 0 && newlyLost == 0) sndcnt++;
            sndcnt = Math.min(delta, sndcnt);
        }
        sndcnt = Math.max(sndcnt, tp.loss.prrOut != 0 ? 0 : 1);
        tp.sndCwnd = Math.max(1, inFlight + sndcnt);
    }

    /** tcp_end_cwnd_reduction: the episode's window is ssthresh, unless the reduction was undone. */
    static void endCwndReduction(TcpSock tp) {
        if (tp.sndSsthresh < TCP_INFINITE_SSTHRESH && (tp.caState == TCP_CA_CWR || tp.loss.undoMarker != 0)) {
            tp.sndCwnd = tp.sndSsthresh;
        }
    }

    /**
     * tcp_mark_head_lost: from the head, segments not SACKed are lost while at most {@code packets} SACKed
     * segments lie below them; with {@code markHead} only the head.
     */
    private static void markHeadLost(TcpSock tp, int packets, boolean markHead) {
        int cnt = 0;
        for (TcpSkb skb : tp.rtxQueue) {
            if (after(skb.endSeq, tp.sndNxt)) break;
            if ((skb.sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) cnt += skb.pcount;
            if (cnt > packets) break;
            if ((skb.sacked & TcpSkb.TCPCB_LOST) == 0) TcpCong.markLost(tp, skb);
            if (markHead) break;
        }
    }

    /**
     * tcp_update_scoreboard: RFC 6675's IsLost, a hole with at least {@code reordering} SACKed segments above it
     * is lost; entering recovery with fewer, the head is.
     */
    private static void updateScoreboard(TcpSock tp, boolean fastRexmit) {
        int sackedUpto = tp.sackedOut - tp.reordering;
        if (sackedUpto >= 0) markHeadLost(tp, sackedUpto, false);
        else if (fastRexmit) markHeadLost(tp, 1, true);
    }

    /** tcp_any_retrans_done. */
    private static boolean anyRetransDone(TcpSock tp) {
        if (tp.retransOut > 0) return true;
        TcpSkb head = tp.rtxQueue.peek();
        return head != null && (head.sacked & TcpSkb.TCPCB_EVER_RETRANS) != 0;
    }

    /**
     * tcp_try_to_open: no loss episode under way. An ECN echo starts a window reduction (CWR); otherwise Open, or
     * Disorder while SACKs or retransmissions are outstanding.
     */
    private static void tryToOpen(TcpSock tp, int flag) {
        if (!anyRetransDone(tp)) tp.retransStamp = 0;
        if ((flag & FLAG_ECE) != 0) enterCwr(tp);
        if (tp.caState != TCP_CA_CWR) tryKeepOpen(tp);
    }

    /**
     * tcp_enter_cwr: congestion without loss (an ECN echo): the window is reduced once per window of data, by
     * PRR towards the algorithm's ssthresh, and the receiver is told with CWR; never undone.
     */
    static void enterCwr(TcpSock tp) {
        tp.ownLoss().priorSsthresh = 0;
        if (tp.caState < TCP_CA_CWR) {
            tp.ownLoss().undoMarker = 0;
            initCwndReduction(tp);
            TcpCong.setState(tp, TCP_CA_CWR);
        }
    }

    /** tcp_try_keep_open. */
    static void tryKeepOpen(TcpSock tp) {
        int state = tp.sackedOut + tp.lostOut > 0 || anyRetransDone(tp) ? TCP_CA_DISORDER : TCP_CA_OPEN;
        if (tp.caState != state) {
            TcpCong.setState(tp, state);
            tp.highSeq = tp.sndNxt;
        }
    }

    /**
     * tcp_packet_delayed: the peer's echo of our timestamp is older than our first retransmission, so what it
     * acknowledges is the original transmission, which was only delayed. Needs timestamps on the connection.
     */
    private static boolean packetDelayed(TcpSock tp) {
        return tp.retransStamp != 0 && ecrBefore(tp, tp.retransStamp);
    }

    /**
     * tcp_tsopt_ecr_before: the ACK echoes a timestamp of ours from before stack time {@code whenNanos}. The echo is
     * already on our clock ({@link TcpRxOpt#parseTimestamp} took the connection's offset off).
     */
    static boolean tsoptEcrBefore(TcpSock tp, long whenNanos) { return ecrBefore(tp, TcpSock.jiffies32(whenNanos)); }

    /** {@link #tsoptEcrBefore} for a time already on the TSval clock ({@link TcpSock#jiffies32}). */
    private static boolean ecrBefore(TcpSock tp, int tsval) {
        return tp.rxOpt.sawTstamp && tp.rxOpt.rcvTsecr != 0 && before(tp.rxOpt.rcvTsecr, tsval);
    }

    /** tcp_may_undo: every retransmission was D-SACKed, or timestamps show the original arrived. */
    private static boolean mayUndo(TcpSock tp) {
        return tp.loss.undoMarker != 0 && (tp.loss.undoRetrans == 0 || packetDelayed(tp));
    }

    /**
     * tcp_undo_cwnd_reduction: back to the window and threshold from before the episode; with
     * {@code unmarkLoss} nothing is presumed lost any more.
     */
    private static void undoCwndReduction(TcpSock tp, boolean unmarkLoss) {
        if (unmarkLoss) {
            for (TcpSkb skb : tp.rtxQueue) skb.sacked &= ~TcpSkb.TCPCB_LOST;
            tp.lostOut = 0;
        }
        if (tp.loss.priorSsthresh != 0) {
            tp.sndCwnd = tp.ca.undoCwnd(tp);
            if (tp.loss.priorSsthresh > tp.sndSsthresh) {
                tp.sndSsthresh = tp.loss.priorSsthresh;
                TcpEcn.withdrawCwr(tp);
            }
        }
        tp.ownLoss().undoMarker = 0;
    }

    /** tcp_try_undo_recovery: high_seq is acknowledged; undo if the episode was needless (TCPFullUndo), then Open. */
    private static void tryUndoRecovery(TcpSock tp) {
        if (mayUndo(tp)) {
            undoCwndReduction(tp, false);
            tp.tcp.ext.inc(tp.caState == TCP_CA_LOSS ? TcpExtMib.TCPLossUndo : TcpExtMib.TCPFullUndo);
        } else if (tp.loss.rackReoWndPersist > 0) {
            tp.ownLoss().rackReoWndPersist--;
        }
        // SACK needs no hold at high_seq: unlike Reno's duplicate ACKs, SACKs say what the peer has.
        TcpCong.setState(tp, TCP_CA_OPEN);
    }

    /** tcp_try_undo_dsack: D-SACKs covered every retransmission of the episode (TCPDSACKUndo). */
    private static boolean tryUndoDsack(TcpSock tp) {
        if (tp.loss.undoMarker != 0 && tp.loss.undoRetrans == 0) {
            tp.ownLoss().rackReoWndPersist = Math.min(TcpRack.TCP_RACK_RECOVERY_THRESH, tp.loss.rackReoWndPersist + 1);
            undoCwndReduction(tp, false);
            tp.tcp.ext.inc(TcpExtMib.TCPDSACKUndo);
            return true;
        }
        return false;
    }

    /**
     * tcp_try_undo_partial, for a partial ACK of an original transmission (timestamps tell): reordering, not
     * loss: the reduction is undone (TCPPartialUndo) once no retransmission is in flight. True: nothing more to do.
     */
    private static boolean tryUndoPartial(TcpSock tp, int priorSndUna) {
        checkSackReordering(tp, priorSndUna, true);
        if (tp.retransOut > 0) return true;
        if (!anyRetransDone(tp)) tp.retransStamp = 0;
        undoCwndReduction(tp, true);
        tp.tcp.ext.inc(TcpExtMib.TCPPartialUndo);
        tryKeepOpen(tp);
        return false;
    }

    /**
     * tcp_try_undo_loss: the timeout's retransmissions were needless (TCPLossUndo; TCPSpuriousRTOs when F-RTO
     * showed it, {@code frtoUndo}); back to Open, except that NewReno, told by timestamps, stays in Loss (with
     * nothing marked lost) until an ACK beyond high_seq, as its recovery does.
     */
    static boolean tryUndoLoss(TcpSock tp, boolean frtoUndo) {
        if (!frtoUndo && !mayUndo(tp)) return false;
        undoCwndReduction(tp, true);
        tp.tcp.ext.inc(TcpExtMib.TCPLossUndo);
        if (frtoUndo) tp.tcp.ext.inc(TcpExtMib.TCPSpuriousRTOs);
        tp.retransmits = 0;
        // tcp_is_non_sack_preventing_reopen: NewReno holds Loss at high_seq, as its recovery does.
        if (!tp.rxOpt.sackOk && tp.sndUna == tp.highSeq) return true;
        if (frtoUndo || tp.rxOpt.sackOk) TcpCong.setState(tp, TCP_CA_OPEN);
        return true;
    }

    /**
     * tcp_timeout_mark_lost's SACK part: a head that was SACKed when the timer fired means the receiver reneged
     * (TCPSACKReneging): every SACK is forgotten and all is lost. Returns whether it did.
     */
    static boolean timeoutReneging(TcpSock tp) {
        TcpSkb head = tp.rtxQueue.peek();
        if (head == null || (head.sacked & TcpSkb.TCPCB_SACKED_ACKED) == 0) return false;
        tp.tcp.ext.inc(TcpExtMib.TCPSACKReneging);
        for (TcpSkb skb : tp.rtxQueue) skb.sacked &= ~TcpSkb.TCPCB_SACKED_ACKED;
        tp.sackedOut = 0;
        return true;
    }

    /** tcp_retransmit_timer's first-timeout counters for a SACK connection: TCPSackRecoveryFail, TCPSackFailures. */
    static void timeoutMib(TcpSock tp) {
        if (tp.caState == TCP_CA_RECOVERY) tp.tcp.ext.inc(TcpExtMib.TCPSackRecoveryFail);
        else if (tp.caState == TCP_CA_DISORDER || tp.sackedOut > 0) tp.tcp.ext.inc(TcpExtMib.TCPSackFailures);
    }
}
