package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.FIN;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.netdev.NetdevFeatures;
import io.inet4j.tcp.wire.TcpHeader;

/**
 * TCP segmentation offload on the sending side: what one {@code tcp_write_xmit} releases leaves as super-segments of
 * up to {@link NetdevFeatures#GSO_MAX_SIZE} bytes with {@code gso_size} = the MSS, which a TSO device (a TAP with
 * {@code TUN_F_TSO4}) cuts into the very segments that would otherwise have left one by one. As in Linux the write
 * queue holds skbs of up to {@code tcp_xmit_size_goal} (many segments, {@link TcpProt#sendmsg}), so one skb is
 * usually one super-segment; skbs smaller than that (the short tail of a write, a piece {@code tcp_fragment} cut)
 * are gathered behind each other as long as every one but the last ends on a segment boundary. On a device that
 * gathers ({@link NetdevFeatures#SG}) the super-segment's payload is the queued skbs' own buffers, referenced as
 * fragments (as Linux's TSO skbs reference the pages {@code tcp_sendmsg} filled), so the data is not copied again.
 *
 * <p>One per stack ({@link Tcp#tso}): {@link #begin} opens a run, {@link #add} collects skbs already accounted
 * in flight and stamped, {@link #flush} sends the run. A run ends at a short segment, a FIN or the size limit.
 */
final class TcpTso {
    /** Room a super-segment's payload has: the IP maximum less a 20-byte IP and a 60-byte TCP header. */
    private static final int MAX_PAYLOAD = NetdevFeatures.GSO_MAX_SIZE - 20 - TcpHeader.MAX_LENGTH;

    private final TcpSkb[] run = new TcpSkb[PacketBuffer.MAX_FRAGS];
    private int count;
    private int bytes;
    private int maxBytes;
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
        this.maxBytes = maxPayload(mss);
        return true;
    }

    /** The most payload a super-segment carries at {@code mss}: whole segments within the IP maximum. */
    static int maxPayload(int mss) { return MAX_PAYLOAD / mss * mss; }

    /** Whether {@code skb} may join a run (it fits one super-segment); the caller sends it alone otherwise. */
    boolean fits(TcpSkb skb) { return skb.length() <= maxBytes; }

    /** Adds an skb that is in flight and stamped; the run goes when it is full or this skb ends it. */
    void add(TcpSkb skb) {
        if (bytes + skb.length() > maxBytes || count == run.length) flush();
        run[count++] = skb;
        bytes += skb.length();
        if (skb.length() % mss != 0 || skb.length() == 0 || skb.has(FIN)) flush();
    }

    /**
     * Sends the run, if any: its first sequence number, its last skb's flags (PSH, FIN). With a device that
     * gathers ({@link NetdevFeatures#SG}) the super-segment is a header buffer whose fragments are the queued
     * skbs' data, one each; otherwise the data is copied into one 64 KiB buffer.
     */
    void flush() {
        int n = count;
        if (n == 0) return;
        TcpSkb first = run[0];
        TcpSkb last = run[n - 1];
        int len = bytes;
        boolean sg = (features & NetdevFeatures.SG) != 0;
        PacketBuffer b = tp.tcp.net.pool().allocate(sg ? 0 : bytes);
        int at = sg ? 0 : b.put(bytes);
        for (int i = 0; i < n; i++) {
            TcpSkb s = run[i];
            if (!sg) {
                b.copyFrom(s.skb, s.dataAt(), at, s.length());
                at += s.length();
            } else if (s.length() > 0) {
                b.addFrag(s.skb, s.dataAt(), s.length());
            }
            run[i] = null;
        }
        count = 0;
        bytes = 0;
        // The run is emptied before IP output, which could send on this stack again.
        TcpOutput.transmit(tp, first.seq, last.tcpFlags, b, b.length() > 0, features, len > mss ? mss : 0);
    }
}
