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
        TcpSackBlocks b = tp.ownSacks();
        int cur = b.numSacks;
        for (int i = 0; i < cur; i++) {
            if (extend(b, i, seq, endSeq)) {
                rotateToFront(b, i);
                if (cur > 1) maybeCoalesce(b);
                return;
            }
        }
        // A new block goes in front; a full array forgets its oldest.
        int n = Math.min(cur, b.sackStart.length - 1);
        rotateDown(b, n);
        b.sackStart[0] = seq;
        b.sackEnd[0] = endSeq;
        b.numSacks = (byte) (n + 1);
    }

    /** The out-of-order queue was empty: its first segment is the only block. */
    static void firstOfoSkb(TcpSock tp, int seq, int endSeq) {
        if (!tp.rxOpt.sackOk) return;
        TcpSackBlocks b = tp.ownSacks();
        b.numSacks = 1;
        b.sackStart[0] = seq;
        b.sackEnd[0] = endSeq;
    }

    /** tcp_sack_extend: block {@code i} touches {@code [seq, endSeq)} and grows to cover it. */
    private static boolean extend(TcpSackBlocks b, int i, int seq, int endSeq) {
        if (after(seq, b.sackEnd[i]) || after(b.sackStart[i], endSeq)) return false;
        if (before(seq, b.sackStart[i])) b.sackStart[i] = seq;
        if (after(endSeq, b.sackEnd[i])) b.sackEnd[i] = endSeq;
        return true;
    }

    /** Block {@code i} becomes the first, those before it move down one. */
    private static void rotateToFront(TcpSackBlocks b, int i) {
        int s = b.sackStart[i];
        int e = b.sackEnd[i];
        rotateDown(b, i);
        b.sackStart[0] = s;
        b.sackEnd[0] = e;
    }

    /** Blocks {@code 0..n-1} move to {@code 1..n}. */
    private static void rotateDown(TcpSackBlocks b, int n) {
        System.arraycopy(b.sackStart, 0, b.sackStart, 1, n);
        System.arraycopy(b.sackEnd, 0, b.sackEnd, 1, n);
    }

    /** tcp_sack_maybe_coalesce: the first block grew; blocks it now touches merge into it. */
    private static void maybeCoalesce(TcpSackBlocks b) {
        for (int i = 1; i < b.numSacks; ) {
            if (extend(b, 0, b.sackStart[i], b.sackEnd[i])) {
                removeAt(b, i);
                continue;
            }
            i++;
        }
    }

    private static void removeAt(TcpSackBlocks b, int i) {
        int rest = b.numSacks - i - 1;
        System.arraycopy(b.sackStart, i + 1, b.sackStart, i, rest);
        System.arraycopy(b.sackEnd, i + 1, b.sackEnd, i, rest);
        b.numSacks--;
    }

    /**
     * tcp_sack_remove: rcv_nxt advanced; blocks it covers are gone, all of them once the queue is empty. Only for
     * a socket that reports blocks ({@code tp.sacks.numSacks > 0}).
     */
    static void remove(TcpSock tp) {
        TcpSackBlocks b = tp.sacks;
        if (tp.ofoQueue.isEmpty()) {
            b.numSacks = 0;
            return;
        }
        for (int i = 0; i < b.numSacks; ) {
            if (!before(tp.rcvNxt, b.sackStart[i])) {
                removeAt(b, i);
                continue;
            }
            i++;
        }
    }

    /** tcp_sack_reset: the out-of-order queue was purged or pruned; nothing is reported any more. */
    static void reset(TcpSock tp) {
        TcpSackBlocks b = tp.sacks;
        if (b == TcpSackBlocks.NONE) return;
        b.dsack = false;
        b.numSacks = 0;
    }

    /**
     * tcp_dsack_set: {@code [seq, endSeq)} arrived twice; the next ACK says so in its first block (RFC 2883),
     * counted as below rcv_nxt (TCPDSACKOldSent) or in the out-of-order queue (TCPDSACKOfoSent).
     */
    static void dsackSet(TcpSock tp, int seq, int endSeq) {
        if (!tp.rxOpt.sackOk || tp.tcp.sysctls.dsack.get() == 0) return;
        tp.tcp.ext.inc(before(seq, tp.rcvNxt) ? TcpExtMib.TCPDSACKOldSent : TcpExtMib.TCPDSACKOfoSent);
        TcpSackBlocks b = tp.ownSacks();
        b.dsack = true;
        b.dsackStart = seq;
        b.dsackEnd = endSeq;
    }

    /** tcp_dsack_extend: a further duplicate widens the pending D-SACK block, or starts one. */
    static void dsackExtend(TcpSock tp, int seq, int endSeq) {
        TcpSackBlocks b = tp.sacks;
        if (!b.dsack) {
            dsackSet(tp, seq, endSeq);
        } else if (!after(seq, b.dsackEnd) && !after(b.dsackStart, endSeq)) {
            if (before(seq, b.dsackStart)) b.dsackStart = seq;
            if (after(endSeq, b.dsackEnd)) b.dsackEnd = endSeq;
        }
    }
}
