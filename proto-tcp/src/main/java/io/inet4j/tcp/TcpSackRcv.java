package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.TcpSeq.before;

import io.inet4j.mib.TcpExtMib;

/**
 * The receiver's half of SACK (RFC 2018) and D-SACK (RFC 2883), as {@code net/ipv4/tcp_input.c} keeps it: the
 * blocks that describe the out-of-order queue, the most recently changed first ({@code tcp_sack_new_ofo_skb},
 * {@code tcp_sack_extend}, {@code tcp_sack_maybe_coalesce}), dropped as rcv_nxt passes them
 * ({@code tcp_sack_remove}), and the one duplicate block the next ACK reports first ({@code tcp_dsack_set},
 * {@code tcp_dsack_extend}). {@link TcpOutput#establishedOptions} puts them on the wire.
 */
final class TcpSackRcv {
    private TcpSackRcv() {}

    /** tcp_sack_new_ofo_skb: {@code [seq, endSeq)} joined the out-of-order queue. */
    static void newOfoSkb(TcpSock tp, int seq, int endSeq) {
        if (!tp.rxOpt.sackOk) return;
        int cur = tp.numSacks;
        for (int i = 0; i < cur; i++) {
            if (extend(tp, i, seq, endSeq)) {
                rotateToFront(tp, i);
                if (cur > 1) maybeCoalesce(tp);
                return;
            }
        }
        // A new block goes in front; a full array forgets its oldest.
        allocBlocks(tp);
        int n = Math.min(cur, tp.sackStart.length - 1);
        rotateDown(tp, n);
        tp.sackStart[0] = seq;
        tp.sackEnd[0] = endSeq;
        tp.numSacks = (byte) (n + 1);
    }

    /** The out-of-order queue was empty: its first segment is the only block. */
    static void firstOfoSkb(TcpSock tp, int seq, int endSeq) {
        if (!tp.rxOpt.sackOk) return;
        allocBlocks(tp);
        tp.numSacks = 1;
        tp.sackStart[0] = seq;
        tp.sackEnd[0] = endSeq;
    }

    private static void allocBlocks(TcpSock tp) {
        if (tp.sackStart != null) return;
        tp.sackStart = new int[io.inet4j.tcp.wire.TcpOptions.TCP_NUM_SACKS];
        tp.sackEnd = new int[io.inet4j.tcp.wire.TcpOptions.TCP_NUM_SACKS];
    }

    /** tcp_sack_extend: block {@code i} touches {@code [seq, endSeq)} and grows to cover it. */
    private static boolean extend(TcpSock tp, int i, int seq, int endSeq) {
        if (after(seq, tp.sackEnd[i]) || after(tp.sackStart[i], endSeq)) return false;
        if (before(seq, tp.sackStart[i])) tp.sackStart[i] = seq;
        if (after(endSeq, tp.sackEnd[i])) tp.sackEnd[i] = endSeq;
        return true;
    }

    /** Block {@code i} becomes the first, those before it move down one. */
    private static void rotateToFront(TcpSock tp, int i) {
        int s = tp.sackStart[i];
        int e = tp.sackEnd[i];
        rotateDown(tp, i);
        tp.sackStart[0] = s;
        tp.sackEnd[0] = e;
    }

    /** Blocks {@code 0..n-1} move to {@code 1..n}. */
    private static void rotateDown(TcpSock tp, int n) {
        System.arraycopy(tp.sackStart, 0, tp.sackStart, 1, n);
        System.arraycopy(tp.sackEnd, 0, tp.sackEnd, 1, n);
    }

    /** tcp_sack_maybe_coalesce: the first block grew; blocks it now touches merge into it. */
    private static void maybeCoalesce(TcpSock tp) {
        for (int i = 1; i < tp.numSacks; ) {
            if (extend(tp, 0, tp.sackStart[i], tp.sackEnd[i])) {
                removeAt(tp, i);
                continue;
            }
            i++;
        }
    }

    private static void removeAt(TcpSock tp, int i) {
        int rest = tp.numSacks - i - 1;
        System.arraycopy(tp.sackStart, i + 1, tp.sackStart, i, rest);
        System.arraycopy(tp.sackEnd, i + 1, tp.sackEnd, i, rest);
        tp.numSacks--;
    }

    /** tcp_sack_remove: rcv_nxt advanced; blocks it covers are gone, all of them once the queue is empty. */
    static void remove(TcpSock tp) {
        if (tp.ofoQueue.isEmpty()) {
            tp.numSacks = 0;
            return;
        }
        for (int i = 0; i < tp.numSacks; ) {
            if (!before(tp.rcvNxt, tp.sackStart[i])) {
                removeAt(tp, i);
                continue;
            }
            i++;
        }
    }

    /** tcp_sack_reset: the out-of-order queue was purged or pruned; nothing is reported any more. */
    static void reset(TcpSock tp) {
        tp.dsack = false;
        tp.numSacks = 0;
    }

    /**
     * tcp_dsack_set: {@code [seq, endSeq)} arrived twice; the next ACK says so in its first block (RFC 2883),
     * counted as below rcv_nxt (TCPDSACKOldSent) or in the out-of-order queue (TCPDSACKOfoSent).
     */
    static void dsackSet(TcpSock tp, int seq, int endSeq) {
        if (!tp.rxOpt.sackOk || tp.tcp.sysctls.dsack.get() == 0) return;
        tp.tcp.ext.inc(before(seq, tp.rcvNxt) ? TcpExtMib.TCPDSACKOldSent : TcpExtMib.TCPDSACKOfoSent);
        tp.dsack = true;
        tp.dsackStart = seq;
        tp.dsackEnd = endSeq;
    }

    /** tcp_dsack_extend: a further duplicate widens the pending D-SACK block, or starts one. */
    static void dsackExtend(TcpSock tp, int seq, int endSeq) {
        if (!tp.dsack) {
            dsackSet(tp, seq, endSeq);
        } else if (!after(seq, tp.dsackEnd) && !after(tp.dsackStart, endSeq)) {
            if (before(seq, tp.dsackStart)) tp.dsackStart = seq;
            if (after(endSeq, tp.dsackEnd)) tp.dsackEnd = endSeq;
        }
    }
}
