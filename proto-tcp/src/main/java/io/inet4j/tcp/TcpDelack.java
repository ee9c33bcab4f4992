package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.PSH;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static io.inet4j.tcp.wire.TcpHeader.URG;

import io.inet4j.mib.TcpExtMib;

/**
 * When received data is acknowledged: Linux's delayed-ACK engine ({@code icsk_ack}; {@code tcp_event_data_recv},
 * {@code tcp_incr_quickack}, {@code tcp_enter_quickack_mode}, {@code tcp_measure_rcv_mss}, {@code __tcp_ack_snd_check}
 * in {@code tcp_input.c}, {@code tcp_send_delayed_ack}, {@code tcp_event_ack_sent}, {@code tcp_event_data_sent} in
 * {@code tcp_output.c}, the delayed-ACK timer of {@code tcp_timer.c}). Every segment is ACKed at once in quick-ACK
 * mode (a new connection's first window, after a long silence, after disorder); otherwise once more than a full
 * segment is unacknowledged, else after the delayed-ACK timeout, which follows the peer's inter-arrival time; an
 * interactive connection (pingpong) waits for its reply to carry the ACK.
 */
final class TcpDelack {
    /** {@code TCP_ATO_MIN}: the delayed-ACK timeout to start from. */
    static final long TCP_ATO_MIN = Tcp.TCP_DELACK_MIN;
    /** {@code TCP_DELACK_MAX}: the longest an ACK waits. */
    static final long TCP_DELACK_MAX = 200_000_000L;
    /** {@code TCP_MAX_QUICKACKS}. */
    static final int TCP_MAX_QUICKACKS = 16;
    /** Replies within ato that make a connection interactive: Linux's default {@code tcp_pingpong_thresh}. */
    static final int TCP_PINGPONG_THRESH = 1;
    /** {@code TCP_MIN_MSS}. */
    private static final int TCP_MIN_MSS = 88;
    /** The header of the segments we receive, no options being negotiated ({@code tcp_header_len}). */
    private static final int TCP_HEADER_LEN = 20;
    private static final int TCP_REMNANT = FIN | URG | SYN | PSH;

    private TcpDelack() {}

    /** tcp_initialize_rcv_mss: a guess at the peer's MSS that errs low, so that ACKs are not too rare. */
    static void initRcvMss(TcpSock tp) {
        int hint = Math.min(Math.min(tp.advmss, tp.mssCache), Math.min(tp.rcvWnd / 2, Tcp.TCP_MSS_DEFAULT));
        tp.rcvMss = (char) Math.max(hint, TCP_MIN_MSS);
    }

    /** tcp_event_data_recv: in-order data of {@code seg} arrived; an ACK is owed. */
    static void dataRecv(TcpSock tp, TcpSegment seg) {
        tp.ackPending = true;
        measureRcvMss(tp, seg);
        TcpRcvSpace.rttMeasure(tp);
        long now = tp.tcp.now();
        if (tp.ackAtoUs == 0) {
            // The first data: the sender is in slow start, ACK its first window at once.
            incrQuickack(tp, TCP_MAX_QUICKACKS);
            tp.setAto(TCP_ATO_MIN);
        } else {
            long m = TcpSock.sinceJiffies(now, tp.ackLrcvtime);
            long rto = tp.rto.rto();
            if (m <= TCP_ATO_MIN / 2) {
                tp.setAto((tp.ato() >> 1) + TCP_ATO_MIN / 2);
            } else if (m < tp.ato()) {
                tp.setAto(Math.min((tp.ato() >> 1) + m, rto));
            } else if (m > rto) {
                // So long a gap that the sender restarts from a small window: ACK quickly again.
                incrQuickack(tp, TCP_MAX_QUICKACKS);
            }
        }
        tp.ackLrcvtime = TcpSock.jiffies32(now);
        TcpEcn.checkCe(tp, seg);
    }

    /**
     * tcp_measure_rcv_mss: a segment at least as large as the guess raises it (up to our advmss); smaller ones
     * count when two in a row have the same size and look full (no PSH, FIN, URG, SYN). A super-segment counts
     * by the size it was cut from ({@code gso_size}).
     */
    private static void measureRcvMss(TcpSock tp, TcpSegment seg) {
        int lss = tp.lastSegSize;
        tp.lastSegSize = 0;
        int gso = seg.skb.gsoSize();
        int len = gso != 0 ? gso : seg.payloadLen;
        if (len >= tp.rcvMss) {
            tp.rcvMss = (char) Math.min(len, tp.advmss);
            return;
        }
        len += seg.hdrLen;
        if (len >= Tcp.TCP_MSS_DEFAULT + TCP_HEADER_LEN
                || len >= TCP_MIN_MSS + TCP_HEADER_LEN && (seg.flags & TCP_REMNANT) == 0) {
            len -= TCP_HEADER_LEN;
            tp.lastSegSize = (char) len;
            if (len == lss) tp.rcvMss = (char) len;
        }
    }

    /** tcp_incr_quickack: enough quick ACKs for half the window, at least 2, at most {@code max}. */
    static void incrQuickack(TcpSock tp, int max) {
        int quickacks = tp.rcvWnd / (2 * tp.rcvMss);
        if (quickacks == 0) quickacks = 2;
        quickacks = Math.min(quickacks, max);
        if (quickacks > tp.ackQuick) tp.ackQuick = (byte) quickacks;
    }

    /** tcp_enter_quickack_mode: disorder or a retransmission; the sender needs ACKs now, interactive or not. */
    static void enterQuickackMode(TcpSock tp, int max) {
        incrQuickack(tp, max);
        tp.pingpong = 0;
        tp.setAto(TCP_ATO_MIN);
    }

    /** tcp_in_quickack_mode. */
    private static boolean inQuickackMode(TcpSock tp) {
        return tp.ackQuick > 0 && !inPingpongMode(tp);
    }

    static boolean inPingpongMode(TcpSock tp) { return (tp.pingpong & 0xff) >= TCP_PINGPONG_THRESH; }

    /**
     * tcp_ack_snd_check / __tcp_ack_snd_check: ACK now after more than one full segment since the last ACK, in
     * quick-ACK mode, or when something asked for it (a hole filled, out-of-order data, a FIN); otherwise later.
     */
    static void ackSndCheck(TcpSock tp) {
        if (!tp.ackPending || tp.state == TcpState.CLOSE || tp.state == TcpState.TIME_WAIT) return;
        if (tp.rcvNxt - tp.rcvWup > tp.rcvMss || inQuickackMode(tp) || tp.ackNow || !tp.ofoQueue.isEmpty()) {
            TcpOutput.sendAck(tp);
        } else {
            sendDelayedAck(tp);
        }
    }

    /**
     * tcp_send_delayed_ack: arm the timer for ato, bounded by the RTT once known and by 200 ms for an interactive
     * connection (500 ms otherwise), never later than an earlier deadline; one due within ato / 4 goes now.
     */
    private static void sendDelayedAck(TcpSock tp) {
        long ato = tp.ato();
        if (ato > Tcp.TCP_DELACK_MIN) {
            long maxAto = inPingpongMode(tp) ? TCP_DELACK_MAX : 500_000_000L;
            long srtt = tp.rto.srtt();
            if (srtt != 0) maxAto = Math.min(maxAto, Math.max(srtt, Tcp.TCP_DELACK_MIN));
            ato = Math.min(ato, maxAto);
        }
        ato = Math.min(ato, TCP_DELACK_MAX);
        long now = tp.tcp.now();
        long timeout = now + ato;
        if (TcpSock.pending(tp.delackTimer)) {
            // icsk_ack.timeout is the armed timer's expiry: the timer keeps it, the socket need not.
            long due = tp.delackTimer.deadline();
            if (due - (now + (ato >> 2)) <= 0) {
                TcpOutput.sendAck(tp);
                return;
            }
            if (due - timeout < 0) timeout = due;
        }
        tp.net.loop().schedule(tp.delackTimer(), timeout - now);
    }

    /**
     * __tcp_sock_set_quickack (TCP_QUICKACK): 0 makes the connection interactive, so ACKs wait to ride on replies;
     * anything else ends that and, if an ACK is owed, sends it now when the reader has drained the queue
     * ({@code ICSK_ACK_PUSHED} through tcp_cleanup_rbuf) or more than a segment is unacknowledged; an even value
     * goes back to interactive afterwards. Not sticky: the next reply within ato makes it interactive again.
     */
    static void setQuickack(TcpSock tp, int val) {
        if (val == 0) {
            tp.pingpong = TCP_PINGPONG_THRESH; // inet_csk_enter_pingpong_mode
            return;
        }
        tp.pingpong = 0;
        if ((tp.state == TcpState.ESTABLISHED || tp.state == TcpState.CLOSE_WAIT) && tp.ackPending) {
            if (tp.rcvNxt - tp.rcvWup > tp.rcvMss || tp.rmemAlloc == 0) TcpOutput.sendAck(tp);
            if ((val & 1) == 0) tp.pingpong = TCP_PINGPONG_THRESH;
        }
    }

    /** tcp_delack_timer_handler: the ACK was delayed too long for this peer: ato grows, or pingpong ends. */
    static void timer(TcpSock tp) {
        if (!tp.ackPending || tp.state == TcpState.CLOSE) return;
        if (!inPingpongMode(tp)) {
            tp.setAto(Math.min(tp.ato() << 1, tp.rto.rto()));
        } else {
            tp.pingpong = 0;
            tp.setAto(TCP_ATO_MIN);
        }
        tp.tcp.ext.inc(TcpExtMib.DelayedACKs);
        TcpOutput.sendAck(tp);
    }

    /** tcp_event_ack_sent with tcp_dec_quickack_mode: an ACK went out, a quick one if one was owed. */
    static void ackSent(TcpSock tp) {
        if (tp.ackQuick > 0) {
            int pkts = tp.ackPending ? 1 : 0;
            if (pkts >= tp.ackQuick) {
                tp.ackQuick = 0;
                tp.setAto(TCP_ATO_MIN);
            } else {
                tp.ackQuick -= pkts;
            }
        }
        tp.ackPending = false;
        tp.ackNow = false;
        tp.cancel(tp.delackTimer);
    }

    /** tcp_event_data_sent: data going out within ato of data received is a reply: the connection is interactive. */
    static void dataSent(TcpSock tp) {
        if (TcpSock.sinceJiffies(tp.tcp.now(), tp.ackLrcvtime) < tp.ato() && (tp.pingpong & 0xff) < 255) tp.pingpong++;
    }
}
