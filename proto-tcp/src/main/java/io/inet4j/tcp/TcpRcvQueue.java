package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.TcpSeq.before;
import static io.inet4j.tcp.wire.TcpHeader.FIN;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferRbTree;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.SockQueue;
import java.util.ArrayDeque;

/**
 * The receive side's queues and the memory they pin, as {@code net/ipv4/tcp_input.c} keeps them: in-order data
 * to the receive queue, coalesced into its tail ({@code tcp_queue_rcv}, {@code tcp_try_coalesce}); the rest to the
 * out-of-order red-black tree, merged with its neighbours ({@code tcp_data_queue_ofo}); both held to
 * {@code rcvbuf} by what their buffers really pin ({@code truesize}): over it, the window is clamped, the queues
 * are collapsed into dense buffers and, last, the out-of-order queue is pruned from its far end
 * ({@code tcp_try_rmem_schedule}, {@code tcp_prune_queue}, {@code tcp_collapse}, {@code tcp_prune_ofo_queue}).
 * There is no {@code tcp_mem}: each socket is held to its own buffer.
 *
 * <p>Buffers here hold payload only; {@code cb0} is the sequence of their first byte and {@code cb1} the FIN
 * flag ({@link TcpSock#seq}, {@link TcpSock#fin}).
 */
final class TcpRcvQueue {
    private TcpRcvQueue() {}

    /**
     * The in-order step of tcp_data_queue ({@code queue_and_out}): {@code skb}'s first byte is at rcv_nxt. Over
     * the buffer and unable to prune, new data is dropped (TCPRcvQDrop) unless the queue is empty, since only
     * data the reader can take lets it free memory.
     */
    static void queueInOrder(TcpSock tp, PacketBuffer skb) {
        if (!tryRmemSchedule(tp, tp.rcvNxt, TcpSock.truesize(skb)) && !tp.receiveQueue.isEmpty() && skb.length() > 0) {
            tp.tcp.ext.inc(TcpExtMib.TCPRcvQDrop);
            tp.dataReady();
            skb.release();
            TcpOutput.sendAck(tp);
            return;
        }
        queueRcv(tp, skb);
        ofoQueue(tp);
        if (tp.sacks.numSacks > 0) TcpSackRcv.remove(tp);
    }

    /**
     * tcp_queue_rcv + tcp_event_data_recv: appends data starting at rcv_nxt, copied into the tail buffer when it
     * fits there (a buffer of one-byte segments then pins one buffer, not one per byte).
     */
    private static void queueRcv(TcpSock tp, PacketBuffer skb) {
        int len = skb.length();
        boolean fin = TcpSock.fin(skb);
        tp.rcvNxt += len;
        tp.bytesReceived += len; // tcp_rcv_nxt_update
        if (len > 0) {
            tp.rcvQueued += len;
            int truesize = TcpSock.truesize(skb);
            PacketBuffer tail = tp.receiveQueue.peekLast();
            if (tail != null && tryCoalesce(tp, tail, skb)) {
                skb.release();
            } else {
                tp.receiveQueue().add(skb);
                TcpMem.rcharge(tp, truesize);
            }
            if (len >= 128) growWindow(tp, len, truesize);
            tp.dataReady();
        } else {
            skb.release();
        }
        if (fin) TcpInput.fin(tp);
    }

    /**
     * tcp_try_coalesce / skb_try_coalesce for linear buffers: {@code from}'s data is copied to {@code to}'s
     * tailroom when it fits; {@code from} then pins nothing and the caller frees it.
     */
    private static boolean tryCoalesce(TcpSock tp, PacketBuffer to, PacketBuffer from) {
        int len = from.length();
        if (TcpSock.fin(to) || len > to.tailroom() || to.refCnt() != 1) return false;
        if (len > 0) to.copyFrom(from, from.data(), to.put(len), len);
        to.cb1 |= from.cb1 & FIN;
        tp.tcp.ext.inc(TcpExtMib.TCPRcvCoalesce);
        return true;
    }

    /** tcp_ofo_queue: moves what became in-order from the out-of-order queue to the receive queue. */
    private static void ofoQueue(TcpSock tp) {
        PacketBuffer skb;
        int dsackHigh = tp.rcvNxt;
        while ((skb = tp.ofoQueue.first()) != null) {
            if (after(TcpSock.seq(skb), tp.rcvNxt)) return;
            // What the in-order segment brought was here already: a D-SACK for the overlap.
            if (before(TcpSock.seq(skb), dsackHigh)) {
                int end = before(TcpSock.endSeq(skb), dsackHigh) ? TcpSock.endSeq(skb) : dsackHigh;
                TcpSackRcv.dsackExtend(tp, TcpSock.seq(skb), end);
            }
            tp.ofoQueue.erase(skb);
            if (tp.ofoQueue.isEmpty()) tp.oooLastSkb = null;
            int old = tp.rcvNxt - TcpSock.seq(skb);
            if (!after(TcpSock.endSeq(skb), tp.rcvNxt)) {
                TcpSock.rfree(tp, skb);
                continue;
            }
            TcpMem.runcharge(tp, TcpSock.truesize(skb)); // queueRcv counts it again unless it coalesces
            skb.pull(Math.min(old, skb.length()));
            skb.cb0 = tp.rcvNxt & 0xffff_ffffL;
            queueRcv(tp, skb);
            if (tp.state == TcpState.CLOSE) return;
        }
    }

    /**
     * tcp_data_queue_ofo: a segment beyond rcv_nxt joins the out-of-order tree, appended to its last segment's
     * buffer when it continues it (the common case, no walk), else linked at its place by sequence after a
     * walk of O(log n) that drops it when already held (TCPOFOMerge); segments it covers go.
     */
    static void queueOfo(TcpSock tp, PacketBuffer skb) {
        int seq = TcpSock.seq(skb);
        if (!tryRmemSchedule(tp, seq, TcpSock.truesize(skb))) {
            tp.tcp.ext.inc(TcpExtMib.TCPOFODrop);
            tp.dataReady();
            skb.release();
            return;
        }
        tp.ownLoss().rcvOoopack++;
        tp.tcp.ext.inc(TcpExtMib.TCPOFOQueue);
        int endSeq = TcpSock.endSeq(skb);
        PacketBufferRbTree tree = tp.ofoQueue();
        PacketBuffer last = tp.oooLastSkb;
        if (last == null) {
            tree.insert(skb, null, false);
            tp.oooLastSkb = skb;
            TcpMem.rcharge(tp, TcpSock.truesize(skb));
            TcpSackRcv.firstOfoSkb(tp, seq, endSeq);
            return;
        }
        if (TcpSock.endSeq(last) == seq && tryCoalesce(tp, last, skb)) {
            skb.release();
            TcpSackRcv.newOfoSkb(tp, seq, endSeq);
            return;
        }
        PacketBuffer parent;
        boolean left = false;
        if (!before(seq, TcpSock.endSeq(last))) {
            parent = last; // after the last segment: no walk
        } else {
            parent = null;
            for (PacketBuffer n = tree.root(); n != null; n = child(n, left)) {
                parent = n;
                left = before(seq, TcpSock.seq(n));
                if (left) continue;
                int nEnd = TcpSock.endSeq(n);
                if (before(seq, nEnd)) {
                    if (!after(endSeq, nEnd)) {
                        // Every byte is already here.
                        tp.tcp.ext.inc(TcpExtMib.TCPOFOMerge);
                        skb.release();
                        TcpSackRcv.dsackSet(tp, seq, endSeq);
                        TcpSackRcv.newOfoSkb(tp, seq, endSeq);
                        return;
                    }
                    if (!after(seq, TcpSock.seq(n))) {
                        // Same start, more data: it takes n's place.
                        tree.replace(n, skb);
                        if (tp.oooLastSkb == n) tp.oooLastSkb = skb;
                        tp.tcp.ext.inc(TcpExtMib.TCPOFOMerge);
                        TcpSackRcv.dsackExtend(tp, TcpSock.seq(n), nEnd);
                        TcpSock.rfree(tp, n);
                        TcpMem.rcharge(tp, TcpSock.truesize(skb));
                        mergeRight(tp, skb, endSeq);
                        TcpSackRcv.newOfoSkb(tp, seq, endSeq);
                        return;
                    }
                    TcpSackRcv.dsackSet(tp, seq, nEnd); // partial overlap
                } else if (nEnd == seq && tryCoalesce(tp, n, skb)) {
                    skb.release();
                    TcpSackRcv.newOfoSkb(tp, seq, endSeq);
                    return;
                }
            }
        }
        tree.insert(skb, parent, left);
        TcpMem.rcharge(tp, TcpSock.truesize(skb));
        mergeRight(tp, skb, endSeq);
        TcpSackRcv.newOfoSkb(tp, seq, endSeq);
    }

    /** tcp_data_queue_ofo's merge_right: segments wholly under {@code skb} (ending at {@code endSeq}) go. */
    private static void mergeRight(TcpSock tp, PacketBuffer skb, int endSeq) {
        PacketBuffer next;
        while ((next = PacketBufferRbTree.next(skb)) != null) {
            if (!after(endSeq, TcpSock.seq(next))) break;
            if (before(endSeq, TcpSock.endSeq(next))) {
                TcpSackRcv.dsackExtend(tp, TcpSock.seq(next), endSeq);
                break;
            }
            TcpSackRcv.dsackExtend(tp, TcpSock.seq(next), TcpSock.endSeq(next));
            tp.ofoQueue.erase(next);
            tp.tcp.ext.inc(TcpExtMib.TCPOFOMerge);
            TcpSock.rfree(tp, next);
        }
        if (next == null) tp.oooLastSkb = skb;
    }

    /**
     * tcp_try_rmem_schedule: room for a segment starting at {@code seq} whose buffer pins {@code size} bytes, as
     * long as the queues pin no more than rcvbuf and {@code tcp_mem} allows it; else pruning must bring the socket
     * back under its buffer and, under memory pressure, free out-of-order buffers until TCP may take the segment.
     * False: the segment must be dropped.
     */
    private static boolean tryRmemSchedule(TcpSock tp, int seq, int size) {
        if (tp.rmemAlloc <= tp.rcvbuf && TcpMem.rmemSchedule(tp, size)) return true;
        if (!pruneQueue(tp, seq)) return false;
        while (!TcpMem.rmemSchedule(tp, size)) {
            if (!pruneOfoQueue(tp, seq)) return false;
        }
        return true;
    }

    /**
     * tcp_prune_queue: the queues pin more than rcvbuf. The window is clamped, both queues are collapsed into
     * dense buffers and, if that is not enough, the out-of-order queue loses its far end; false (RcvPruned) when
     * even that leaves the socket over its buffer.
     */
    private static boolean pruneQueue(TcpSock tp, int inSeq) {
        tp.tcp.ext.inc(TcpExtMib.PruneCalled);
        if (tp.rmemAlloc > tp.rcvbuf) clampWindow(tp);
        else if (TcpMem.underPressure(tp)) TcpMem.adjustRcvSsthresh(tp);
        if (tp.rmemAlloc <= tp.rcvbuf) return true;
        collapseOfoQueue(tp);
        collapseReceiveQueue(tp);
        if (tp.rmemAlloc <= tp.rcvbuf) return true;
        pruneOfoQueue(tp, inSeq);
        if (tp.rmemAlloc <= tp.rcvbuf) return true;
        tp.tcp.ext.inc(TcpExtMib.RcvPruned);
        return false;
    }

    /**
     * tcp_clamp_window: the queues outgrew the buffer. Unless the application fixed SO_RCVBUF or TCP's memory is
     * short, the buffer grows to what they pin, up to {@code tcp_rmem[2]}; if they still pin more, the window
     * stops growing: two segments until segments with a better payload-to-buffer ratio grow it back.
     */
    private static void clampWindow(TcpSock tp) {
        int rmem2 = tp.tcp.sysctls.rmem.get(2);
        if (tp.rcvbuf < rmem2 && (tp.userlocks & io.inet4j.socket.Sock.SOCK_RCVBUF_LOCK) == 0
                && !TcpMem.underPressure(tp) && !TcpMem.aboveLow(tp.tcp)) {
            tp.rcvbuf = Math.min(tp.rmemAlloc, rmem2);
        }
        if (tp.rmemAlloc > tp.rcvbuf) tp.rcvSsthresh = Math.min(tp.windowClamp, 2 * tp.advmss);
    }

    /**
     * tcp_grow_window: in-order data whose buffer, at the {@code tcp_adv_win_scale} ratio, would fit the window it
     * uses lets {@code rcv_ssthresh} grow; segments that pin far more than they carry do not, so the window we
     * offer stays what the buffer can really hold.
     */
    private static void growWindow(TcpSock tp, int len, int truesize) {
        int room = Math.min(tp.windowClamp, TcpOutput.space(tp)) - tp.rcvSsthresh;
        if (room <= 0) return;
        int incr;
        if (TcpOutput.winFromSpace(tp, truesize) <= len) {
            incr = 2 * tp.advmss;
        } else {
            // __tcp_grow_window: only while the window is small enough for such segments to fill the maximum
            // buffer within the overhead allowed.
            incr = 0;
            int ts = TcpOutput.winFromSpace(tp, truesize) >> 1;
            int window = TcpOutput.winFromSpace(tp, tp.tcp.sysctls.rmem.get(2)) >> 1;
            while (tp.rcvSsthresh <= window) {
                if (ts <= len) {
                    incr = 2 * tp.advmss;
                    break;
                }
                ts >>= 1;
                window >>= 1;
            }
        }
        if (incr > 0) tp.rcvSsthresh += Math.min(room, Math.max(incr, 2 * len));
    }

    /**
     * tcp_collapse on the receive queue: from the first buffer that pins more than the window its data is worth,
     * the unread data is copied into full buffers, when that takes fewer of them.
     */
    private static void collapseReceiveQueue(TcpSock tp) {
        SockQueue<PacketBuffer> q = tp.receiveQueue;
        int keep = 0;
        for (PacketBuffer b : q) {
            if (isBloated(tp, b)) break;
            keep++;
        }
        int full = tp.tcp.net.pool().bufferSize();
        long bytes = 0;
        int i = 0;
        for (PacketBuffer b : q) {
            if (i++ >= keep) bytes += b.length();
        }
        if ((bytes + full - 1) / full >= q.size() - keep) return;
        ArrayDeque<PacketBuffer> old = tp.tcp.collapsed;
        while (q.size() > keep) old.addFirst(q.pollLast());
        PacketBuffer cur = null;
        for (PacketBuffer b; (b = old.poll()) != null; ) {
            for (int off = 0; off < b.length(); ) {
                if (cur == null || cur.tailroom() == 0) {
                    cur = allocCollapsed(tp);
                    q.add(cur);
                }
                int m = Math.min(cur.tailroom(), b.length() - off);
                cur.copyFrom(b, b.data() + off, cur.put(m), m);
                off += m;
            }
            tp.tcp.ext.inc(TcpExtMib.TCPRcvCollapsed);
            TcpSock.rfree(tp, b);
        }
    }

    /**
     * tcp_collapse_ofo_queue: each run of contiguous or overlapping out-of-order segments is collapsed, except a
     * lone small segment (nothing to gain); after {@code rcvbuf / 8} of those it gives up, the tiny ones being
     * the pruner's.
     */
    private static void collapseOfoQueue(TcpSock tp) {
        int sumTiny = 0;
        PacketBuffer skb = tp.ofoQueue.first();
        int full = tp.tcp.net.pool().bufferSize();
        while (skb != null) {
            PacketBuffer head = skb;
            int start = TcpSock.seq(skb);
            int end = TcpSock.endSeq(skb);
            int rangeTruesize = TcpSock.truesize(skb);
            for (;;) {
                skb = PacketBufferRbTree.next(skb);
                if (skb == null || after(TcpSock.seq(skb), end) || before(TcpSock.endSeq(skb), start)) break;
                rangeTruesize += TcpSock.truesize(skb);
                if (after(TcpSock.endSeq(skb), end)) end = TcpSock.endSeq(skb);
            }
            if (rangeTruesize != TcpSock.truesize(head) || end - start >= full) {
                collapseOfo(tp, head, skb, start, end);
            } else {
                sumTiny += rangeTruesize;
                if (sumTiny > tp.rcvbuf >> 3) break;
            }
        }
        tp.oooLastSkb = tp.ofoQueue.last();
    }

    /**
     * tcp_collapse on the out-of-order tree for the run {@code head} up to (not including) {@code stop}, which
     * covers [{@code start}, {@code end}): segments that are neither bloated nor followed by an overlap are
     * stepped over; from the first that is, the data is copied into full buffers, the old segments freed
     * (TCPRcvCollapsed). A FIN ends the collapse: it stays in its own segment.
     */
    private static void collapseOfo(TcpSock tp, PacketBuffer head, PacketBuffer stop, int start, int end) {
        PacketBuffer skb = head;
        while (skb != stop) {
            PacketBuffer next = PacketBufferRbTree.next(skb);
            if (!before(start, TcpSock.endSeq(skb))) {
                // No new bits: wholly under what came before it.
                collapseOne(tp, skb);
                skb = next;
                continue;
            }
            if (TcpSock.fin(skb)) return;
            if (isBloated(tp, skb) || before(TcpSock.seq(skb), start)) break;
            if (next != null && next != stop && TcpSock.endSeq(skb) != TcpSock.seq(next)) break;
            start = TcpSock.endSeq(skb);
            skb = next;
        }
        if (skb == stop) return;
        ArrayDeque<PacketBuffer> built = tp.tcp.collapsed;
        done:
        while (before(start, end)) {
            int copy = Math.min(tp.tcp.net.pool().bufferSize(), end - start);
            PacketBuffer cur = allocCollapsed(tp);
            cur.cb0 = start & 0xffff_ffffL;
            built.add(cur);
            while (copy > 0) {
                int offset = start - TcpSock.seq(skb);
                int size = TcpSock.seq(skb) + skb.length() - start;
                if (size > 0) {
                    size = Math.min(Math.min(copy, size), cur.tailroom());
                    cur.copyFrom(skb, skb.data() + offset, cur.put(size), size);
                    copy -= size;
                    start += size;
                }
                if (!before(start, TcpSock.seq(skb) + skb.length())) {
                    PacketBuffer next = PacketBufferRbTree.next(skb);
                    collapseOne(tp, skb);
                    skb = next;
                    if (skb == null || skb == stop || TcpSock.fin(skb)) break done;
                }
            }
        }
        for (PacketBuffer b; (b = built.poll()) != null; ) rbtreeInsert(tp.ofoQueue(), b);
    }

    /** tcp_rbtree_insert: links {@code skb} by its sequence number. */
    private static void rbtreeInsert(PacketBufferRbTree tree, PacketBuffer skb) {
        PacketBuffer parent = null;
        boolean left = false;
        int seq = TcpSock.seq(skb);
        for (PacketBuffer n = tree.root(); n != null; n = child(n, left)) {
            parent = n;
            left = before(seq, TcpSock.seq(n));
        }
        tree.insert(skb, parent, left);
    }

    private static PacketBuffer child(PacketBuffer n, boolean left) {
        return left ? PacketBufferRbTree.left(n) : PacketBufferRbTree.right(n);
    }

    /** tcp_collapse_one: a segment whose data went into a collapsed buffer is freed. */
    private static void collapseOne(TcpSock tp, PacketBuffer skb) {
        tp.ofoQueue.erase(skb);
        tp.tcp.ext.inc(TcpExtMib.TCPRcvCollapsed);
        TcpSock.rfree(tp, skb);
    }

    /** A pool buffer for collapsed data, charged to the socket ({@code skb_set_owner_r}). */
    private static PacketBuffer allocCollapsed(TcpSock tp) {
        PacketBuffer b = tp.tcp.net.pool().allocateRaw(tp.tcp.net.pool().bufferSize());
        TcpMem.rcharge(tp, TcpSock.truesize(b));
        return b;
    }

    /** Whether a buffer pins more than the window its data justifies ({@code tcp_win_from_space(truesize) > len}). */
    private static boolean isBloated(TcpSock tp, PacketBuffer b) {
        return TcpOutput.winFromSpace(tp, TcpSock.truesize(b)) > b.length();
    }

    /**
     * tcp_prune_ofo_queue: drops out-of-order segments from the far end, {@code rcvbuf / 8} at a time, until the
     * socket is back under its buffer and TCP out of memory pressure; never one that lies before the segment
     * {@code inSeq} that needs the room (that one would be the better to drop). OfoPruned and true when anything
     * went.
     */
    private static boolean pruneOfoQueue(TcpSock tp, int inSeq) {
        PacketBuffer node = tp.ofoQueue.last();
        if (node == null) return false;
        tp.tcp.ext.inc(TcpExtMib.OfoPruned);
        boolean pruned = false;
        int goal = tp.rcvbuf >> 3;
        while (node != null) {
            if (after(inSeq, TcpSock.seq(node))) break;
            pruned = true;
            PacketBuffer prev = PacketBufferRbTree.prev(node);
            tp.ofoQueue.erase(node);
            goal -= TcpSock.truesize(node);
            TcpSock.rfree(tp, node);
            tp.oooLastSkb = prev;
            if (prev == null || goal <= 0) {
                if (tp.rmemAlloc <= tp.rcvbuf && !TcpMem.underPressure(tp)) break;
                goal = tp.rcvbuf >> 3;
            }
            node = prev;
        }
        // Linux forgets every SACK block after pruning: the connection's integrity, not its speed, matters now.
        if (pruned) TcpSackRcv.reset(tp);
        return pruned;
    }
}
