package io.inet4j.tcp;

import static io.inet4j.socket.TcpInfo.Field.*;

import io.inet4j.socket.TcpInfo;

/**
 * tcp_get_info ({@code net/ipv4/tcp.c}): the {@link TcpInfo} snapshot of a socket that getsockopt(TCP_INFO)
 * copies out. Times in Linux's units (microseconds for the RTT family and the timers, milliseconds for the
 * "last" ages); what is not built here (pacing, PLB) stays 0, or all ones
 * where Linux reads "unlimited".
 */
final class TcpGetInfo {
    private TcpGetInfo() {}

    /** Fills {@code info}, at least {@link TcpInfo#SIZE} bytes, zeroed first as Linux's memset does. */
    static void fill(TcpSock tp, byte[] info) {
        java.util.Arrays.fill(info, 0, TcpInfo.SIZE, (byte) 0);
        TcpInfo.put(info, TCPI_STATE, tp.state);
        TcpInfo.put(info, TCPI_PACING_RATE, -1L);
        TcpInfo.put(info, TCPI_MAX_PACING_RATE, -1L);
        TcpInfo.put(info, TCPI_REORDERING, tp.reordering);
        TcpInfo.put(info, TCPI_SND_CWND, tp.sndCwnd);
        if (tp.state == TcpState.LISTEN) {
            // A listener's aliases: children ready for accept, and the backlog limit.
            TcpInfo.put(info, TCPI_UNACKED, tp.acceptQueue.size());
            TcpInfo.put(info, TCPI_SACKED, tp.maxAckBacklog);
            return;
        }
        TcpInfo.put(info, TCPI_CA_STATE, tp.caState);
        TcpInfo.put(info, TCPI_RETRANSMITS, tp.retransmits);
        TcpInfo.put(info, TCPI_PROBES, tp.probesOut);
        TcpInfo.put(info, TCPI_BACKOFF, tp.timerPending == TcpTimers.PROBE ? tp.probeBackoff : tp.rto.backoffCount());
        int options = 0;
        if (tp.rxOpt.tstampOk) options |= TcpInfo.TCPI_OPT_TIMESTAMPS;
        if (tp.rxOpt.sackOk) options |= TcpInfo.TCPI_OPT_SACK;
        if (tp.rxOpt.wscaleOk) {
            options |= TcpInfo.TCPI_OPT_WSCALE;
            TcpInfo.put(info, TCPI_SND_WSCALE, tp.rxOpt.sndWscale);
            TcpInfo.put(info, TCPI_RCV_WSCALE, tp.rxOpt.rcvWscale);
        }
        if ((tp.ecnFlags & TcpEcn.TCP_ECN_OK) != 0) options |= TcpInfo.TCPI_OPT_ECN;
        if ((tp.ecnFlags & TcpEcn.TCP_ECN_SEEN) != 0) options |= TcpInfo.TCPI_OPT_ECN_SEEN;
        TcpInfo.put(info, TCPI_OPTIONS, options);
        TcpInfo.put(info, TCPI_RTO, usecs(tp.rto.rto()));
        TcpInfo.put(info, TCPI_ATO, usecs(Math.min(tp.ato(), TcpDelack.TCP_DELACK_MAX)));
        TcpInfo.put(info, TCPI_SND_MSS, tp.mssCache);
        TcpInfo.put(info, TCPI_RCV_MSS, tp.rcvMss);
        TcpInfo.put(info, TCPI_UNACKED, tp.packetsOut);
        TcpInfo.put(info, TCPI_SACKED, tp.sackedOut);
        TcpInfo.put(info, TCPI_LOST, tp.lostOut);
        TcpInfo.put(info, TCPI_RETRANS, tp.retransOut);
        long now = tp.tcp.now();
        TcpInfo.put(info, TCPI_LAST_DATA_SENT, msecs(TcpSock.sinceJiffies(now, tp.lsndtime)));
        TcpInfo.put(info, TCPI_LAST_DATA_RECV, msecs(TcpSock.sinceJiffies(now, tp.ackLrcvtime)));
        TcpInfo.put(info, TCPI_LAST_ACK_RECV, msecs(TcpSock.sinceJiffies(now, tp.rcvTstamp)));
        TcpInfo.put(info, TCPI_PMTU, tp.pmtuCookie);
        TcpInfo.put(info, TCPI_RCV_SSTHRESH, tp.rcvSsthresh);
        TcpInfo.put(info, TCPI_RTT, usecs(tp.rto.srtt()));
        TcpInfo.put(info, TCPI_RTTVAR, usecs(tp.rto.rttvar()));
        TcpInfo.put(info, TCPI_SND_SSTHRESH, tp.sndSsthresh);
        TcpInfo.put(info, TCPI_ADVMSS, tp.advmss);
        TcpInfo.put(info, TCPI_RCV_RTT, tp.rcvRttEstRttUs >>> 3);
        TcpInfo.put(info, TCPI_RCV_SPACE, tp.rcvqSpace);
        TcpInfo.put(info, TCPI_TOTAL_RETRANS, tp.loss.totalRetrans);
        TcpInfo.put(info, TCPI_BYTES_ACKED, tp.bytesAcked);
        TcpInfo.put(info, TCPI_BYTES_RECEIVED, tp.bytesReceived);
        TcpInfo.put(info, TCPI_NOTSENT_BYTES, Math.max(tp.writeSeq - tp.sndNxt, 0));
        TcpInfo.put(info, TCPI_SEGS_OUT, tp.segsOut);
        TcpInfo.put(info, TCPI_SEGS_IN, tp.segsIn);
        TcpInfo.put(info, TCPI_DATA_SEGS_IN, tp.dataSegsIn);
        TcpInfo.put(info, TCPI_MIN_RTT, WinMinmax.get(tp));
        TcpInfo.put(info, TCPI_DATA_SEGS_OUT, tp.dataSegsOut);
        TcpInfo.put(info, TCPI_DELIVERY_RATE_APP_LIMITED, tp.rateAppLimited ? 1 : 0);
        TcpInfo.put(info, TCPI_DELIVERY_RATE, TcpRate.deliveryRate(tp));
        long rwndLimited = TcpChrono.usecs(tp, TcpChrono.RWND_LIMITED);
        long sndbufLimited = TcpChrono.usecs(tp, TcpChrono.SNDBUF_LIMITED);
        TcpInfo.put(info, TCPI_BUSY_TIME, TcpChrono.usecs(tp, TcpChrono.BUSY) + rwndLimited + sndbufLimited);
        TcpInfo.put(info, TCPI_RWND_LIMITED, rwndLimited);
        TcpInfo.put(info, TCPI_SNDBUF_LIMITED, sndbufLimited);
        TcpInfo.put(info, TCPI_DELIVERED, tp.delivered);
        TcpInfo.put(info, TCPI_BYTES_SENT, tp.bytesSent);
        TcpInfo.put(info, TCPI_BYTES_RETRANS, tp.loss.bytesRetrans);
        TcpInfo.put(info, TCPI_RCV_OOOPACK, tp.loss.rcvOoopack);
        TcpInfo.put(info, TCPI_SND_WND, tp.sndWnd);
        TcpInfo.put(info, TCPI_RCV_WND, tp.rcvWnd);
        TcpInfo.put(info, TCPI_TOTAL_RTO, tp.loss.totalRto);
        TcpInfo.put(info, TCPI_TOTAL_RTO_RECOVERIES, tp.loss.totalRtoRecoveries);
        long rtoTime = tp.loss.totalRtoTime + (tp.loss.rtoStamp != 0 ? now - tp.loss.rtoStamp : 0);
        TcpInfo.put(info, TCPI_TOTAL_RTO_TIME, msecs(rtoTime));
    }

    private static long usecs(long nanos) { return nanos / 1000; }

    private static long msecs(long nanos) { return nanos / 1_000_000; }
}
