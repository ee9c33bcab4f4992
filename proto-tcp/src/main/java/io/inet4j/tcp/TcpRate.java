package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;

/**
 * tcp_rate.c: the delivery rate estimator. Each transmission snapshots the connection's delivery count and time
 * in the segment ({@link #skbSent}); each ACK or SACK of it turns the snapshot into a sample of segments delivered
 * over the longer of the send phase and the ACK phase ({@link #skbDelivered}, {@link #gen}), which guards against
 * ACK compression. The socket keeps the latest sample not limited by the application, or the highest one that was,
 * and TCP_INFO reports it as {@code tcpi_delivery_rate}. A sender that ran out of data marks the stretch
 * application-limited ({@link #checkAppLimited}) so an idle pause is not taken for the path's rate.
 */
final class TcpRate {
    private TcpRate() {}

    /** {@code struct rate_sample}: what one ACK measured; one per stack, {@link #reset} at each ACK. */
    static final class Sample {
        /** The delivered count and its time when the most recently sent of the (S)ACKed segments left. */
        int priorDelivered;
        long priorMstamp;
        boolean isAppLimited;
        boolean isRetrans;
        /** The send phase once a segment was delivered, then the sample's interval; -1 when invalid. */
        long intervalUs;
        /** Segments delivered over the interval; -1 when invalid. */
        int delivered;

        void reset() {
            priorDelivered = 0;
            priorMstamp = 0;
            isAppLimited = false;
            isRetrans = false;
            intervalUs = -1;
            delivered = -1;
        }
    }

    /**
     * tcp_rate_skb_sent: a (re)transmission at {@code now} snapshots the delivery state into the segment.
     * {@code packetsOutBefore} is the flight before it; with nothing in flight the sample starts now, so an idle
     * period before it does not stretch the interval.
     */
    static void skbSent(TcpSock tp, TcpSkb skb, int packetsOutBefore, long now) {
        if (packetsOutBefore == 0) {
            tp.firstTxMstamp = now;
            tp.deliveredMstamp = now;
        }
        skb.txFirstTxMstamp = tp.firstTxMstamp;
        skb.txDeliveredMstamp = tp.deliveredMstamp;
        skb.txDelivered = tp.delivered;
        skb.txIsAppLimited = tp.appLimited != 0;
    }

    /**
     * tcp_rate_skb_delivered: a segment newly SACKed or cumulatively ACKed. Of several on one ACK the most
     * recently sent (highest delivered snapshot) gives the sample; a SACKed one is marked off so its cumulative
     * ACK later does not count it again.
     */
    static void skbDelivered(TcpSock tp, TcpSkb skb, Sample rs) {
        if (skb.txDeliveredMstamp == 0) return;
        if (rs.priorDelivered == 0 || after(skb.txDelivered, rs.priorDelivered)) {
            rs.priorDelivered = skb.txDelivered;
            rs.priorMstamp = skb.txDeliveredMstamp;
            rs.isAppLimited = skb.txIsAppLimited;
            rs.isRetrans = (skb.sacked & TcpSkb.TCPCB_RETRANS) != 0;
            tp.firstTxMstamp = skb.txNanos;
            rs.intervalUs = usecs(tp.firstTxMstamp - skb.txFirstTxMstamp);
        }
        if ((skb.sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) skb.txDeliveredMstamp = 0;
    }

    /**
     * tcp_rate_gen: the ACK's sample, {@code delivered} being what it newly (S)ACKed. No sample without timing, on
     * SACK reneging, or under the minimum RTT (a spurious retransmission's early ACK); otherwise it replaces the
     * socket's rate unless it is application-limited and lower.
     */
    static void gen(TcpSock tp, int delivered, boolean sackReneg, Sample rs, long now) {
        if (tp.appLimited != 0 && after(tp.delivered, tp.appLimited)) tp.appLimited = 0; // the bubble was acked
        if (delivered != 0) tp.deliveredMstamp = now;
        if (rs.priorMstamp == 0 || sackReneg) {
            rs.delivered = -1;
            rs.intervalUs = -1;
            return;
        }
        rs.delivered = tp.delivered - rs.priorDelivered;
        long sndUs = rs.intervalUs;
        long ackUs = usecs(now - rs.priorMstamp);
        rs.intervalUs = Math.max(sndUs, ackUs);
        // tcp_min_rtt: ~0U until a first sample, so nothing is valid before one.
        if (rs.intervalUs < Integer.toUnsignedLong(WinMinmax.get(tp))) {
            rs.intervalUs = -1;
            return;
        }
        if (!rs.isAppLimited || (long) rs.delivered * tp.rateIntervalUs >= (long) tp.rateDelivered * rs.intervalUs) {
            tp.rateDelivered = rs.delivered;
            tp.rateIntervalUs = (int) Math.min(rs.intervalUs, Integer.MAX_VALUE); // a u32 in Linux
            tp.rateAppLimited = rs.isAppLimited;
        }
    }

    /**
     * tcp_rate_check_app_limited, at each write: less than a segment waits to be sent, cwnd is not the limit and
     * every lost segment was resent, so the sender is limited by the application until what is in flight now
     * is delivered.
     */
    static void checkAppLimited(TcpSock tp) {
        if (tp.writeSeq - tp.sndNxt < tp.mssCache && tp.packetsInFlight() < tp.sndCwnd && tp.lostOut <= tp.retransOut) {
            int bubble = tp.delivered + tp.packetsInFlight();
            tp.appLimited = bubble != 0 ? bubble : 1;
        }
    }

    /** tcpi_delivery_rate: bytes per second of the kept sample, 0 before the first. */
    static long deliveryRate(TcpSock tp) {
        if (tp.rateDelivered == 0 || tp.rateIntervalUs == 0) return 0;
        return (long) tp.rateDelivered * tp.mssCache * 1_000_000L / tp.rateIntervalUs;
    }

    private static long usecs(long nanos) { return nanos / 1000; }
}
