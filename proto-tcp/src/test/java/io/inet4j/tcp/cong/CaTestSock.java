package io.inet4j.tcp.cong;

import io.inet4j.mib.TcpExtMib;
import java.util.EnumMap;
import java.util.Map;

/**
 * A socket as a congestion control sees it, on a virtual clock: a sender that always has data and fills the
 * window, segments numbered one sequence number each, ACKs fed by the test in the order TCP calls the algorithm
 * ({@code pkts_acked}, then {@code cong_avoid}).
 */
final class CaTestSock implements TcpCongestionSock {
    int cwnd = 10;
    int ssthresh = Integer.MAX_VALUE;
    int cwndCnt;
    int clamp = 1 << 20;
    int priorCwnd;
    int caState;
    int una;
    int nxt = 10;
    long now = 1_000_000_000L;
    long lsndtime;
    final Map<TcpExtMib, Long> counters = new EnumMap<>(TcpExtMib.class);

    /** One ACK of {@code acked} segments measuring {@code rttUs}, then the sender fills the window again. */
    void ack(TcpCongestionOps ca, int acked, long rttUs) {
        int inFlight = nxt - una;
        una += acked;
        ca.pktsAcked(this, new TcpAckSample() {
            @Override public int pktsAcked() { return acked; }
            @Override public long rttUs() { return rttUs; }
            @Override public int inFlight() { return inFlight; }
        });
        ca.congAvoid(this, una, acked);
        nxt = una + cwnd;
        lsndtime = now;
    }

    /** One round trip: an ACK per segment in flight at its start, evenly spread over {@code rttUs}. */
    void round(TcpCongestionOps ca, long rttUs) {
        int n = nxt - una;
        for (int i = 0; i < n; i++) {
            now += rttUs * 1000 / n;
            ack(ca, 1, rttUs);
        }
    }

    /** A loss found by duplicate ACKs, as TcpCong enters recovery and leaves it: cwnd becomes ssthresh. */
    void loss(TcpCongestionOps ca) {
        priorCwnd = cwnd;
        ssthresh = ca.ssthresh(this);
        cwnd = ssthresh;
        cwndCnt = 0;
    }

    long counter(TcpExtMib m) { return counters.getOrDefault(m, 0L); }

    @Override public int sndCwnd() { return cwnd; }
    @Override public void setSndCwnd(int c) { cwnd = Math.max(1, Math.min(c, clamp)); }
    @Override public int sndSsthresh() { return ssthresh; }
    @Override public void setSndSsthresh(int s) { ssthresh = s; }
    @Override public int sndCwndCnt() { return cwndCnt; }
    @Override public void setSndCwndCnt(int c) { cwndCnt = c; }
    @Override public int sndCwndClamp() { return clamp; }
    @Override public int priorCwnd() { return priorCwnd; }
    @Override public int packetsInFlight() { return nxt - una; }
    @Override public boolean isCwndLimited() { return true; }
    @Override public long srttUs() { return 0; }
    @Override public int mss() { return 1000; }
    @Override public long nowNanos() { return now; }
    @Override public int caState() { return caState; }
    @Override public int sndUna() { return una; }
    @Override public int sndNxt() { return nxt; }
    @Override public long lsndtimeNanos() { return lsndtime; }
    @Override public void netAddStats(TcpExtMib c, long n) { counters.merge(c, n, Long::sum); }
}
