package io.inet4j.tcp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.tcp.wire.TcpHeader;
import java.nio.ByteBuffer;

/**
 * A segment in a socket's write or retransmission queue: the payload buffer and its TCP control block
 * ({@code struct tcp_skb_cb}, {@code TCP_SKB_CB(skb)}). Linux keeps the block in the skb's 48-byte {@code cb};
 * {@link PacketBuffer}'s scratch words are too few, so TCP owns this wrapper and pools it per stack
 * ({@link Tcp#allocSkb}), which keeps the send path free of allocation.
 *
 * <p>Its payload is {@code len} bytes at {@code off} past the buffer's data: {@code tcp_sendmsg} fills one up to the
 * size goal (~64 KiB, many segments), and a cut ({@code tcp_fragment}, {@link TcpOutput#fragment}) makes a second
 * block over the same buffer, as Linux's skbs share their pages, rather than copying the bytes after the cut.
 */
final class TcpSkb {
    /** {@code TCPCB_SACKED_ACKED}: the peer SACKed it. */
    static final int TCPCB_SACKED_ACKED = 0x01;
    /** {@code TCPCB_SACKED_RETRANS}: retransmitted and the retransmission is still in flight. */
    static final int TCPCB_SACKED_RETRANS = 0x02;
    /** {@code TCPCB_LOST}: presumed lost, awaiting retransmission. */
    static final int TCPCB_LOST = 0x04;
    /** {@code TCPCB_EVER_RETRANS}: retransmitted at least once (Karn: its ACK gives no RTT sample). */
    static final int TCPCB_EVER_RETRANS = 0x80;
    /** {@code TCPCB_RETRANS}: what a retransmission sets. */
    static final int TCPCB_RETRANS = TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS;

    /** The payload's buffer, maybe shared with the other parts of a cut skb; {@code null} while in the pool. */
    PacketBuffer skb;
    /** Where the payload starts, past the buffer's data. */
    int off;
    /** Payload bytes. */
    int len;
    /** What it charged to the stack's TCP memory ({@code truesize}); the parts of a cut skb share their buffer's. */
    int truesize;
    int seq;
    /** {@code seq} plus payload plus one each for SYN and FIN. */
    int endSeq;
    /** TCP header flags to send it with ({@code tcp_flags}); SYN and FIN occupy sequence space. */
    int tcpFlags;
    /** Stack time of the first and of the latest transmission, 0 before the first ({@code skb_mstamp_ns}). */
    long firstTxNanos;
    long txNanos;
    /**
     * The socket's {@code delivered} when it was last sent ({@code tx.delivered}, {@link TcpRate#skbSent}), for
     * RACK's reordering window and the rate sample.
     */
    int txDelivered;
    /**
     * Its last segment's place in the socket's transmission order, RACK's tie-break between segments sent at the
     * same instant: each segment takes one ({@link TcpOutput#fragment} gives each part its own). Linux breaks such
     * ties by end_seq, since its clock separates a retransmission from the burst before it by the microseconds the
     * sending took; a virtual clock does not.
     */
    int txOrder;
    /** {@code TCPCB_*} bits ({@code sacked}). */
    int sacked;
    /** Segments it makes on the wire at the current MSS, set when sent ({@code tcp_skb_pcount}). */
    int pcount;
    /** The delivery state when it was last sent, for a rate sample ({@code tx}, {@link TcpRate#skbSent}). */
    long txFirstTxMstamp;
    /** 0 once a SACK took the sample, so its cumulative ACK does not take it again. */
    long txDeliveredMstamp;
    boolean txIsAppLimited;

    TcpSkb init(PacketBuffer skb, int seq, int tcpFlags) {
        this.skb = skb;
        this.off = 0;
        this.len = skb.length();
        this.truesize = 0;
        this.seq = seq;
        this.tcpFlags = tcpFlags;
        this.endSeq = seq + seqSpaceFlags(tcpFlags);
        this.firstTxNanos = 0;
        this.txNanos = 0;
        this.txDelivered = 0;
        this.txOrder = 0;
        this.sacked = 0;
        this.pcount = 0;
        this.txFirstTxMstamp = 0;
        this.txDeliveredMstamp = 0;
        this.txIsAppLimited = false;
        return this;
    }

    /**
     * The scoreboard bits and send state of {@code first}, for the second part of it that a cut in the
     * retransmission queue made: it left with it ({@code tcp_fragment} copies {@code sacked}, the send time and
     * {@code tx}).
     */
    void sentWith(TcpSkb first) {
        sacked = first.sacked;
        firstTxNanos = first.firstTxNanos;
        txNanos = first.txNanos;
        txDelivered = first.txDelivered;
        txFirstTxMstamp = first.txFirstTxMstamp;
        txDeliveredMstamp = first.txDeliveredMstamp;
        txIsAppLimited = first.txIsAppLimited;
    }

    int length() { return len; }

    /** Where the payload starts in the buffer. */
    int dataAt() { return skb.data() + off; }

    /** Room to append: the buffer's tailroom when the payload ends at the buffer's tail, else none. */
    int tailroom() { return off + len == skb.length() ? skb.tailroom() : 0; }

    /** Appends {@code n} bytes from {@code src} (within {@link #tailroom}); they take sequence space. */
    void append(ByteBuffer src, int n) {
        skb.write(skb.put(n), src, n);
        len += n;
        endSeq += n;
    }

    boolean has(int flag) { return (tcpFlags & flag) != 0; }

    /** tcp_set_skb_tso_segs: how many MSS-sized segments the payload makes, at least one. */
    void setPcount(int mss) {
        int len = length();
        pcount = len <= mss ? 1 : (len + mss - 1) / mss;
    }

    /** Sequence space the flags take: one each for SYN and FIN. */
    static int seqSpaceFlags(int flags) {
        return ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
    }
}
