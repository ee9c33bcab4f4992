package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;

import io.inet4j.mib.TcpExtMib;

/**
 * TIME_WAIT ({@code tcp_time_wait} and {@code tcp_timewait_state_process} in {@code net/ipv4/tcp_minisocks.c}):
 * the full socket is replaced in the established hash by a {@link TcpTimewaitSock} that holds the 4-tuple and
 * the port for {@link Tcp#TCP_TIMEWAIT_LEN}, re-acknowledges a retransmitted FIN and, at most once per
 * {@code tcp_invalid_ratelimit}, anything else out of window,
 * dies on a RST at {@code rcv_nxt} ({@code tcp_rfc1337} = 0) and steps aside for a new SYN beyond the old sequence
 * space when a listener takes it.
 */
final class TcpTimewait {
    /** What to do with a segment that hit a TIME_WAIT entry ({@code enum tcp_tw_status}). */
    enum Status { TW_SUCCESS, TW_ACK, TW_SYN }

    private TcpTimewait() {}

    /**
     * tcp_time_wait: {@code tp} leaves, its TIME_WAIT stand-in takes over; past {@code tcp_max_tw_buckets} entries
     * there is none ({@code inet_twsk_alloc} fails) and the socket just closes (TCPTimeWaitOverflow).
     */
    static void enter(TcpSock tp, int substate) {
        if (tp.tcp.hashes.timewaitCount() >= tp.tcp.sysctls.maxTwBuckets.get()) {
            tp.tcp.ext.inc(TcpExtMib.TCPTimeWaitOverflow);
            TcpSock.done(tp);
            return;
        }
        TcpTimewaitSock tw = new TcpTimewaitSock(tp, substate);
        tp.tcp.hashes.timewaitHashdance(tp, tw, Tcp.TCP_TIMEWAIT_LEN);
        tp.state = TcpState.TIME_WAIT;
        TcpSock.setState(tp, TcpState.CLOSE);
        tp.shutdown = io.inet4j.socket.Sock.SHUTDOWN_MASK;
        TcpSock.stopTimers(tp);
        if (tp.orphan) TcpSock.destroy(tp);
        else tp.stateChange();
    }

    /**
     * tcp_timewait_state_process for the segment in {@code seg} (TIME_WAIT proper; the FIN_WAIT2 substate is not
     * used); the caller owns and releases the buffer, and sends the ACK that {@link Status#TW_ACK} asks for.
     */
    static Status process(Tcp tcp, TcpTimewaitSock tw, TcpSegment seg) {
        // RFC 7323 PAWS with the connection's last ts_recent: an older TSval is an old duplicate.
        TcpRxOpt rx = tw.rxOpt;
        rx.parseTimestamp(seg.opts, rx.tstampOk && tcp.sysctls.timestamps.get() != 0);
        boolean pawsReject = rx.sawTstamp && rx.pawsReject(seg.has(RST), tcp.seconds());
        if (!pawsReject && seg.seq == tw.rcvNxt && (seg.seqLen() == 0 || seg.has(RST))) {
            // In window, so only a RST or a bare ACK. The RST is TIME_WAIT assassination (RFC 1337), which Linux
            // allows while tcp_rfc1337 is 0 (it is fixed at 0 here); the ACK restarts the 2 MSL and its TSval
            // is the one to echo.
            if (seg.has(RST)) {
                tcp.hashes.timewaitKill(tw);
                return Status.TW_SUCCESS;
            }
            tcp.hashes.timewaitReschedule(tw, Tcp.TCP_TIMEWAIT_LEN);
            if (rx.sawTstamp) rx.storeTsRecent(tcp.seconds());
            return Status.TW_SUCCESS;
        }
        if (seg.has(SYN) && !seg.has(RST) && !seg.has(ACK) && !pawsReject && (after(seg.seq, tw.rcvNxt)
                || rx.sawTstamp && rx.tsRecent - rx.rcvTsval < 0)) {
            // A new incarnation of the connection (RFC 1122 4.2.2.13) if a listener takes it (tcp_v4_rcv): beyond
            // the old sequence space, or with a newer timestamp (RFC 6191). Its ISN must be above anything the
            // old one sent, so that old duplicates cannot pass for new data.
            int isn = tw.sndNxt + 65535 + 2;
            seg.twIsn = isn == 0 ? 1 : isn;
            return Status.TW_SYN;
        }
        if (pawsReject) tcp.ext.inc(TcpExtMib.PAWSTimewait);
        // Out of window: a RST is ignored, anything else is acknowledged (a retransmitted FIN whose ACK was lost,
        // an old duplicate) unless this entry answered one less than tcp_invalid_ratelimit ago
        // (tcp_timewait_check_oow_rate_limit); one carrying an ACK restarts the 2 MSL, an ACK-less SYN below
        // rcv_nxt does not.
        if (seg.has(RST)) return Status.TW_SUCCESS;
        if (pawsReject || seg.has(ACK)) tcp.hashes.timewaitReschedule(tw, Tcp.TCP_TIMEWAIT_LEN);
        return tw.oow.limited(tcp, seg, TcpExtMib.TCPACKSkippedTimeWait) ? Status.TW_SUCCESS : Status.TW_ACK;
    }

    /** tcp_v4_timewait_ack: our last ACK again, from what TIME_WAIT remembers. */
    static void sendAck(Tcp tcp, TcpTimewaitSock tw) {
        TcpSegmentOut out = tcp.out.clear(tw.saddr, tw.daddr, tw.num, tw.dport, tw.sndNxt, tw.rcvNxt, ACK,
                tw.rcvWnd >>> tw.rcvWscale);
        // tcp_v4_send_ack: a timestamp when there is a TSval to echo (tcp_tw_tsval: our clock and offset).
        if (tw.rxOpt.tsRecent != 0) {
            out.options |= io.inet4j.tcp.wire.TcpOptions.OPTION_TS;
            out.tsVal = TcpOutput.tcpTimeStamp(tcp) + tw.rxOpt.tsOffset;
            out.tsEcr = tw.rxOpt.tsRecent;
        }
        out.tos = tw.tos;
        out.ttl = tw.ttl;
        TcpOutput.transmitSkb(tcp, out, null, 0);
    }
}
