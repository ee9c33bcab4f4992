package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.CWR;
import static io.inet4j.tcp.wire.TcpHeader.ECE;
import static io.inet4j.tcp.wire.TcpHeader.SYN;

/**
 * Explicit Congestion Notification for TCP (RFC 3168), the {@code tcp_ecn_*} functions of
 * {@code net/ipv4/tcp_input.c} and {@code tcp_output.c}: negotiation with ECE and CWR on the SYN and SYN-ACK,
 * ECT(0) on new data, ECE echoed from the first CE-marked segment until the peer's CWR, and the sender's side of
 * {@code tcp_ecn_queue_cwr}. {@code tcp_ecn} as in Linux: 1 asks on outgoing connections and accepts incoming
 * ones, 2 (the default) only accepts, 0 never. The window reduction an ECE starts is {@link TcpCong#enterCwr}.
 */
final class TcpEcn {
    /** {@code tp->ecn_flags}: negotiated; a CWR owed on the next new data; ECE owed until a CWR; ECT seen. */
    static final int TCP_ECN_OK = 1;
    static final int TCP_ECN_QUEUE_CWR = 2;
    static final int TCP_ECN_DEMAND_CWR = 4;
    static final int TCP_ECN_SEEN = 8;

    /** The ECN field of the IP TOS byte ({@code INET_ECN_*}). */
    static final int INET_ECN_MASK = 3;
    static final int INET_ECN_NOT_ECT = 0;
    static final int INET_ECN_ECT_0 = 2;
    static final int INET_ECN_CE = 3;

    private TcpEcn() {}

    /** tcp_ecn_send_syn: with {@code tcp_ecn} = 1 our SYN asks for ECN (ECE and CWR) and the socket hopes for it. */
    static void sendSyn(TcpSock tp, TcpSkb syn) {
        tp.ecnFlags = 0;
        if (tp.tcp.sysctls.ecn.get() == 1) {
            syn.tcpFlags |= ECE | CWR;
            tp.ecnFlags = TCP_ECN_OK;
        }
    }

    /**
     * tcp_ecn_clear_syn: with {@code tcp_ecn_fallback}, a retransmitted SYN goes without ECN, in case a middlebox
     * drops SYNs that ask for it; the socket learns the outcome from the SYN-ACK.
     */
    static void clearSyn(TcpSock tp, TcpSkb syn) {
        if ((syn.tcpFlags & (SYN | ECE | CWR)) == (SYN | ECE | CWR) && tp.tcp.sysctls.ecnFallback.get() != 0) {
            syn.tcpFlags &= ~(ECE | CWR);
        }
    }

    /** tcp_ecn_rcv_synack: the peer agreed only with ECE alone (ECE and CWR together is a SYN's request). */
    static void rcvSynack(TcpSock tp, TcpSegment seg) {
        if ((tp.ecnFlags & TCP_ECN_OK) != 0 && (!seg.has(ECE) || seg.has(CWR))) tp.ecnFlags &= ~TCP_ECN_OK;
    }

    /** tcp_ecn_rcv_syn: in a simultaneous open the peer's SYN must ask for ECN too. */
    static void rcvSyn(TcpSock tp, TcpSegment seg) {
        if ((tp.ecnFlags & TCP_ECN_OK) != 0 && (!seg.has(ECE) || !seg.has(CWR))) tp.ecnFlags &= ~TCP_ECN_OK;
    }

    /**
     * tcp_ecn_create_request: a SYN asking for ECN (ECE and CWR) is granted unless {@code tcp_ecn} is 0 or the
     * SYN itself came ECT-marked, which RFC 3168 6.1.1 forbids and which betrays a broken path.
     */
    static boolean createRequest(Tcp tcp, TcpSegment seg) {
        if (!seg.has(ECE) || !seg.has(CWR)) return false;
        return (seg.ipDsfield & INET_ECN_MASK) == INET_ECN_NOT_ECT && tcp.sysctls.ecn.get() != 0;
    }

    /** tcp_ecn_make_synack / tcp_ecn_send_synack: a SYN-ACK says ECE alone when ECN was agreed, else neither. */
    static int synackFlags(boolean ecnOk) { return ecnOk ? ECE : 0; }

    /**
     * tcp_ecn_send for a segment that is not a SYN: new data ({@code newData}: payload sent for the first time,
     * Linux's {@code !before(seq, snd_nxt)}) goes ECT(0) and carries a CWR that is owed, retransmissions and bare
     * ACKs go Not-ECT (RFC 3168 6.1.5), and every segment echoes ECE while a CE is unanswered. Returns the header
     * flags with those added; sets {@code out.tos}'s ECN field (a stream socket's own TOS never sets it, as
     * {@code do_ip_setsockopt} keeps the ECN bits of a SOCK_STREAM's IP_TOS).
     */
    static int send(TcpSock tp, TcpSegmentOut out, boolean newData, int flags) {
        out.tos &= ~INET_ECN_MASK;
        if ((tp.ecnFlags & TCP_ECN_OK) == 0) return flags;
        if (newData) {
            out.tos |= INET_ECN_ECT_0;
            if ((tp.ecnFlags & TCP_ECN_QUEUE_CWR) != 0) {
                tp.ecnFlags &= ~TCP_ECN_QUEUE_CWR;
                flags |= CWR;
            }
        }
        if ((tp.ecnFlags & TCP_ECN_DEMAND_CWR) != 0) flags |= ECE;
        return flags;
    }

    /**
     * tcp_ecn_check_ce, for data that arrived: a CE mark starts echoing ECE (with quick ACKs, so the sender hears
     * soon); a Not-ECT segment after ECT ones is probably a retransmission, which quick ACKs answer too.
     */
    static void checkCe(TcpSock tp, TcpSegment seg) {
        if ((tp.ecnFlags & TCP_ECN_OK) == 0) return;
        switch (seg.ipDsfield & INET_ECN_MASK) {
            case INET_ECN_NOT_ECT -> {
                if ((tp.ecnFlags & TCP_ECN_SEEN) != 0) TcpDelack.enterQuickackMode(tp, 2);
            }
            case INET_ECN_CE -> {
                if ((tp.ecnFlags & TCP_ECN_DEMAND_CWR) == 0) {
                    TcpDelack.enterQuickackMode(tp, 2);
                    tp.ecnFlags |= TCP_ECN_DEMAND_CWR;
                }
                tp.ecnFlags |= TCP_ECN_SEEN;
            }
            default -> tp.ecnFlags |= TCP_ECN_SEEN;
        }
    }

    /**
     * tcp_ecn_accept_cwr: the sender reduced its window, so the echo stops; data that says so is acknowledged at
     * once, since the sender's window may now be a single segment.
     */
    static void acceptCwr(TcpSock tp, TcpSegment seg) {
        if (!seg.has(CWR)) return;
        tp.ecnFlags &= ~TCP_ECN_DEMAND_CWR;
        if (seg.seqLen() != 0) tp.ackNow = true;
    }

    /** tcp_ecn_rcv_ecn_echo: an ACK reports congestion ({@code FLAG_ECE}). */
    static boolean rcvEcnEcho(TcpSock tp, TcpSegment seg) {
        return seg.has(ECE) && !seg.has(SYN) && (tp.ecnFlags & TCP_ECN_OK) != 0;
    }

    /** tcp_ecn_queue_cwr: the next new data segment tells the receiver the window was reduced. */
    static void queueCwr(TcpSock tp) {
        if ((tp.ecnFlags & TCP_ECN_OK) != 0) tp.ecnFlags |= TCP_ECN_QUEUE_CWR;
    }

    /** tcp_ecn_withdraw_cwr: the reduction was undone, so no CWR is owed for it. */
    static void withdrawCwr(TcpSock tp) {
        tp.ecnFlags &= ~TCP_ECN_QUEUE_CWR;
    }
}
