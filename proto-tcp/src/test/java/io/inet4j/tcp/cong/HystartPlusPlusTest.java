package io.inet4j.tcp.cong;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpExtMib;
import org.junit.jupiter.api.Test;

/**
 * HyStart++ (RFC 9406) in CUBIC's first slow start, on a virtual clock with a sender that fills the window:
 * a steady RTT doubles the window per round; a rise of the round's minimum RTT by the threshold starts CSS (a
 * quarter of the growth) that ends in congestion avoidance after CSS_ROUNDS rounds, or in slow start again when
 * the RTT falls back; one ACK grows the window by at most L; after a loss slow start is the standard one.
 */
class HystartPlusPlusTest {
    private static final long RTT = 10_000;

    private static CaTestSock start(Cubic c) {
        CaTestSock tp = new CaTestSock();
        c.init(tp);
        return tp;
    }

    @Test
    void aSteadyRttDoublesTheWindowEveryRound() {
        Cubic c = new Cubic();
        CaTestSock tp = start(c);
        for (int i = 0; i < 6; i++) tp.round(c, RTT);
        assertThat(tp.cwnd).isEqualTo(10 << 6);
        assertThat(c.inCss()).isFalse();
        assertThat(tp.counter(TcpExtMib.TCPHystartDelayDetect)).isZero();
    }

    @Test
    void aRisingRttStartsConservativeSlowStartWhichEndsInCongestionAvoidance() {
        Cubic c = new Cubic();
        CaTestSock tp = start(c);
        tp.round(c, RTT);
        tp.round(c, RTT);
        assertThat(tp.cwnd).isEqualTo(40);
        // The threshold is max(4 ms, min(10 ms / 8, 16 ms)) = 4 ms: 13.9 ms is not enough, 14 ms is.
        tp.round(c, RTT + 3_900);
        assertThat(c.inCss()).isFalse();
        assertThat(tp.cwnd).isEqualTo(80);
        int before = tp.cwnd;
        // From the 8th sample of the next round on, its minimum is 4 ms above the last round's 10 ms: CSS.
        for (int i = 0; i < 8; i++) tp.ack(c, 1, RTT + 4_000 + 3_900);
        assertThat(c.inCss()).isTrue();
        assertThat(tp.counter(TcpExtMib.TCPHystartDelayDetect)).isEqualTo(1);
        assertThat(tp.counter(TcpExtMib.TCPHystartDelayCwnd)).isEqualTo(before + 7);
        int atCss = tp.cwnd;
        for (int i = 8; i < 80; i++) tp.ack(c, 1, RTT + 7_900);
        // The rest of the partial round grew a quarter of a segment per ACK (the 8th ACK's included).
        assertThat(tp.cwnd).isEqualTo(atCss + (80 - 7) / 4);
        assertThat(tp.ssthresh).isEqualTo(Integer.MAX_VALUE);
        // That was CSS round 1; rounds 2 to 5 grow the window by a quarter each, then ssthresh = cwnd.
        int w = tp.cwnd;
        for (int r = 2; r <= 5; r++) {
            tp.round(c, RTT + 7_900);
            assertThat(c.inCss()).isTrue();
        }
        assertThat(tp.ssthresh).isEqualTo(Integer.MAX_VALUE);
        assertThat(tp.cwnd).isBetween((int) (w * Math.pow(1.25, 4)) - 4, (int) (w * Math.pow(1.25, 4)) + 1);
        int last = tp.cwnd;
        tp.ack(c, 1, RTT + 7_900); // the fifth CSS round ends: congestion avoidance
        assertThat(tp.ssthresh).isEqualTo(last);
        assertThat(tp.counter(TcpExtMib.TCPHystartDelayDetect)).isEqualTo(1);
    }

    @Test
    void anRttBelowTheOneThatStartedCssResumesSlowStart() {
        Cubic c = new Cubic();
        CaTestSock tp = start(c);
        tp.round(c, RTT);
        tp.round(c, RTT);
        tp.round(c, RTT + 5_000);
        assertThat(c.inCss()).isTrue();
        // The next round's minimum falls under the 15 ms baseline: the rise was jitter.
        int n = tp.nxt - tp.una;
        for (int i = 0; i < n; i++) tp.ack(c, 1, RTT + 5_000);
        assertThat(c.inCss()).isTrue();
        for (int i = 0; i < 8; i++) tp.ack(c, 1, RTT + 4_000);
        assertThat(c.inCss()).isFalse();
        int w = tp.cwnd;
        tp.ack(c, 1, RTT + 4_000);
        assertThat(tp.cwnd).isEqualTo(w + 1);
        assertThat(tp.ssthresh).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void oneAckGrowsTheWindowByAtMostEightSegmentsUntilTheFirstLoss() {
        Cubic c = new Cubic();
        CaTestSock tp = start(c);
        tp.ack(c, 20, RTT);
        assertThat(tp.cwnd).isEqualTo(10 + HystartPlusPlus.L);
        // After a loss, slow start is tcp_slow_start's, up to ssthresh, and no RTT rise changes it.
        tp.cwnd = 40;
        tp.loss(c);
        c.setState(tp, TcpCongestionOps.TCP_CA_LOSS);
        tp.cwnd = 1;
        tp.nxt = tp.una + 1;
        tp.ack(c, 20, RTT);
        assertThat(tp.cwnd).isEqualTo(21);
        for (int i = 0; i < 3; i++) tp.round(c, RTT * (i + 2));
        assertThat(c.inCss()).isFalse();
        assertThat(tp.cwnd).isGreaterThanOrEqualTo(tp.ssthresh);
    }

    @Test
    void withoutHystartSlowStartRunsToTheFirstLoss() {
        Cubic c = new Cubic(new Cubic.Params(true, 717, 41, true, false));
        CaTestSock tp = start(c);
        tp.round(c, RTT);
        tp.round(c, RTT);
        for (int i = 0; i < 3; i++) tp.round(c, RTT * 3);
        assertThat(tp.cwnd).isEqualTo(10 << 5);
        tp.ack(c, 20, RTT);
        assertThat(tp.cwnd).isEqualTo((10 << 5) + 20);
    }
}
