package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.FIN;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.netdev.NetdevFeatures;
import io.inet4j.tcp.wire.TcpHeader;

/**
 * TCP segmentation offload on the sending side: the run of new segments one {@code tcp_write_xmit} releases leaves
 * as one super-segment of up to {@link NetdevFeatures#GSO_MAX_SIZE} bytes with {@code gso_size} = the MSS, which a
 * TSO device (a TAP with {@code TUN_F_TSO4}) cuts into the very segments that would otherwise have left one by one.
 * Linux builds such skbs already in the write queue ({@code tcp_xmit_size_goal}) and splits them on partial ACKs and
 * SACKs ({@code tcp_fragment}); here the queues keep their MSS-sized segments, each with its own control block for
 * SACK, RACK and the rate sample, and only the transmission is shared: one header, one checksum left to the device,
 * one trip through IP and the link, one system call. On a device that gathers ({@link NetdevFeatures#SG}) the
 * super-segment's payload is the queued segments' own buffers, referenced as fragments (a frag list of clones,
 * as Linux's TSO skbs reference the pages {@code tcp_sendmsg} filled), so the data is not copied again.
 *
 * <p>One per stack ({@link Tcp#tso}): {@link #begin} opens a run, {@link #add} collects segments already accounted
 * in flight and stamped, {@link #flush} sends the run. A run holds only full-sized segments but its last, and ends at
 * a FIN or at the size limit.
 */
final class TcpTso {
    /** Room a super-segment's payload has: the IP maximum less a 20-byte IP and a 60-byte TCP header. */
    private static final int MAX_PAYLOAD = NetdevFeatures.GSO_MAX_SIZE - 20 - TcpHeader.MAX_LENGTH;

    private final TcpSkb[] run = new TcpSkb[PacketBuffer.MAX_FRAGS];
    private int count;
    private int bytes;
    private int maxSegs;
    private int mss;
    private int features;
    private TcpSock tp;

    /**
     * Whether {@code tp}'s next segments may leave as super-segments ({@code sk_can_gso}): its route's device takes
     * them and at least two segments fit one. If so, a run starts.
     */
    boolean begin(TcpSock tp, int features, int mss) {
        if ((features & NetdevFeatures.TSO) == 0 || 2 * mss > MAX_PAYLOAD) return false;
        this.tp = tp;
        this.count = 0;
        this.bytes = 0;
        this.features = features;
        this.mss = mss;
        this.maxSegs = Math.min(run.length, MAX_PAYLOAD / mss);
        return true;
    }

    /** Whether {@code skb} may join the run (at most one MSS of payload); the caller sends it alone otherwise. */
    boolean fits(TcpSkb skb) { return skb.length() <= mss; }

    /** Adds a segment that is in flight and stamped; the run goes when it is full or this segment ends it. */
    void add(TcpSkb skb) {
        run[count++] = skb;
        bytes += skb.length();
        if (count == maxSegs || skb.length() < mss || skb.has(FIN)) flush();
    }

    /**
     * Sends the run, if any: its first sequence number, its last segment's flags (PSH, FIN). With a device that
     * gathers ({@link NetdevFeatures#SG}) the super-segment is a header buffer whose fragments are the queued
     * segments' data, one each; otherwise the data is copied into one 64 KiB buffer.
     */
    void flush() {
        int n = count;
        if (n == 0) return;
        TcpSkb first = run[0];
        TcpSkb last = run[n - 1];
        boolean sg = (features & NetdevFeatures.SG) != 0;
        PacketBuffer b = tp.tcp.net.pool().allocate(sg ? 0 : bytes);
        int at = sg ? 0 : b.put(bytes);
        for (int i = 0; i < n; i++) {
            PacketBuffer p = run[i].skb;
            if (!sg) {
                b.copyFrom(p, p.data(), at, p.length());
                at += p.length();
            } else if (p.length() > 0) {
                b.addFrag(p, p.data(), p.length());
            }
            run[i] = null;
        }
        count = 0;
        bytes = 0;
        // The run is emptied before IP output, which could send on this stack again.
        TcpOutput.transmit(tp, first.seq, last.tcpFlags, b, b.length() > 0, features, n > 1 ? mss : 0);
    }
}
