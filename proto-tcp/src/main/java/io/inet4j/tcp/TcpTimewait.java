package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;


/**
 * TIME_WAIT ({@code tcp_time_wait} and {@code tcp_timewait_state_process} in {@code net/ipv4/tcp_minisocks.c}):
 * the full socket is replaced in the established hash by a {@link TcpTimewaitSock} that holds the 4-tuple and
 * the port for {@link Tcp#TCP_TIMEWAIT_LEN}, re-acknowledges a retransmitted FIN, dies on a RST
 * ({@code tcp_rfc1337} = 0) and steps aside for a new SYN beyond the old sequence space.
 */
final class TcpTimewait {
    /** What to do with a segment that hit a TIME_WAIT entry ({@code enum tcp_tw_status}). */
    enum Status { TW_SUCCESS, TW_ACK, TW_SYN }

    private TcpTimewait() {}

    /** tcp_time_wait: {@code tp} leaves, its TIME_WAIT stand-in takes over. */
    static void enter(TcpSock tp, int substate) {
        TcpTimewaitSock tw = new TcpTimewaitSock(tp, substate);
        tp.tcp.hashes.timewaitHashdance(tp, tw, Tcp.TCP_TIMEWAIT_LEN);
        tp.state = TcpState.TIME_WAIT;
        TcpSock.setState(tp, TcpState.CLOSE);
        tp.shutdown = io.inet4j.socket.Sock.SHUTDOWN_MASK;
        TcpSock.stopTimers(tp);
        if (tp.orphan) TcpSock.destroy(tp);
        else tp.stateChange();
    }

    /** tcp_timewait_state_process for the segment in {@code seg}; the caller owns and releases the buffer. */
    static Status process(Tcp tcp, TcpTimewaitSock tw, TcpSegment seg) {
        if (seg.has(RST)) {
            tcp.hashes.timewaitKill(tw);
            return Status.TW_SUCCESS;
        }
        if (seg.has(SYN) && !seg.has(ACK) && after(seg.seq, tw.rcvNxt)) {
            // A new incarnation of the connection (RFC 1122 4.2.2.13): the listener may take it.
            tcp.hashes.timewaitKill(tw);
            return Status.TW_SYN;
        }
        if (seg.has(FIN) && seg.endSeq() == tw.rcvNxt + 1 || seg.seqLen() > 0 || seg.has(SYN)) {
            // A retransmitted FIN (our ACK was lost) or anything else occupying sequence space: acknowledge and
            // start the 2 MSL over for a FIN.
            if (seg.has(FIN)) tcp.hashes.timewaitReschedule(tw, Tcp.TCP_TIMEWAIT_LEN);
            TcpSegmentOut out = tcp.out.clear(tw.saddr, tw.daddr, tw.num, tw.dport, tw.sndNxt, tw.rcvNxt, ACK,
                    tw.rcvWnd);
            out.tos = tw.tos;
            out.ttl = tw.ttl;
            TcpOutput.transmitSkb(tcp, out, null, 0);
            return Status.TW_ACK;
        }
        return Status.TW_SUCCESS;
    }
}
