package io.inet4j.tcp;

import io.inet4j.ipv4.hash.InetTimewaitSock;

/**
 * TCP's TIME_WAIT minisocket ({@code struct tcp_timewait_sock}): what is left of a closed connection for 2 MSL,
 * enough to acknowledge a retransmitted FIN and to recognize a new SYN for the same 4-tuple.
 */
final class TcpTimewaitSock extends InetTimewaitSock {
    final int saddr;
    int rcvNxt;
    int sndNxt;
    int rcvWnd;
    final int tos;
    final int ttl;
    /** When this entry last answered a segment out of its window ({@code tw_last_oow_ack_time}). */
    final TcpOowLimit oow = new TcpOowLimit();
    /** Our window shift ({@code tw_rcv_wscale}): {@link #rcvWnd} goes out as {@code rcvWnd >> rcvWscale}. */
    final int rcvWscale;
    /**
     * The connection's timestamps, kept for PAWS and our ACKs ({@code tw_ts_recent}, {@code tw_ts_recent_stamp},
     * {@code tw_ts_offset}); {@code tstampOk} when the connection used them.
     */
    final TcpRxOpt rxOpt = new TcpRxOpt();

    TcpTimewaitSock(TcpSock tp, int substate) {
        super(tp, substate);
        this.saddr = tp.saddr;
        this.rcvNxt = tp.rcvNxt;
        this.sndNxt = tp.sndNxt;
        this.rcvWnd = tp.rcvWnd;
        this.tos = tp.tos;
        this.ttl = tp.ttl;
        this.rcvWscale = tp.rxOpt.rcvWscale;
        rxOpt.tstampOk = tp.rxOpt.tstampOk;
        rxOpt.tsRecent = tp.rxOpt.tsRecent;
        rxOpt.tsRecentStamp = tp.rxOpt.tsRecentStamp;
        rxOpt.tsOffset = tp.rxOpt.tsOffset;
    }
}
