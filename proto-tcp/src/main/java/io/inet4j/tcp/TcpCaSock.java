package io.inet4j.tcp;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.tcp.cong.TcpCongestionSock;

/** One socket as its congestion control sees it: {@link TcpCongestionSock} over {@link TcpSock}'s fields. */
final class TcpCaSock implements TcpCongestionSock {
    private final TcpSock tp;

    TcpCaSock(TcpSock tp) { this.tp = tp; }

    @Override public int sndCwnd() { return tp.sndCwnd; }

    @Override public void setSndCwnd(int cwnd) { tp.sndCwnd = Math.max(1, Math.min(cwnd, tp.sndCwndClamp)); }

    @Override public int sndSsthresh() { return tp.sndSsthresh; }

    @Override public void setSndSsthresh(int ssthresh) { tp.sndSsthresh = ssthresh; }

    @Override public int sndCwndCnt() { return tp.sndCwndCnt; }

    @Override public void setSndCwndCnt(int cnt) { tp.sndCwndCnt = cnt; }

    @Override public int sndCwndClamp() { return tp.sndCwndClamp; }

    @Override public int priorCwnd() { return tp.priorCwnd; }

    @Override public int packetsInFlight() { return tp.packetsInFlight(); }

    @Override public boolean isCwndLimited() { return TcpCong.isCwndLimited(tp); }

    @Override public long srttUs() { return tp.rto.srtt() / 1000; }

    @Override public int mss() { return tp.mssCache; }

    @Override public long nowNanos() { return tp.tcp.now(); }

    @Override public int caState() { return tp.caState; }

    @Override public int sndUna() { return tp.sndUna; }

    @Override public int sndNxt() { return tp.sndNxt; }

    @Override public long lsndtimeNanos() { return tp.lsndtime; }

    @Override public void netAddStats(TcpExtMib counter, long n) { tp.tcp.ext.add(counter, n); }
}
