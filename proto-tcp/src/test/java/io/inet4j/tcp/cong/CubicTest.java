package io.inet4j.tcp.cong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * CUBIC's window against Linux's formulas (tcp_cubic.c, RFC 9438), on a virtual clock: the reduction and fast
 * convergence, K, the cubic curve through W_max, the Reno-friendly region, 5% per round trip before any loss, the
 * 1.5x per round trip ceiling, the epoch shifted by idle time, the reset on timeout and undo.
 */
class CubicTest {
    /** C as Linux has it: bic_scale * 10 / 1024. */
    private static final double C = 41 * 10 / 1024.0;
    /** Linux's cube_factor: 2^40 / (bic_scale * 10). */
    private static final long CUBE_FACTOR = (1L << 40) / 410;

    /** A flow in congestion avoidance with W_max {@code wmax}, reduced by a loss there, minimum RTT {@code rttUs}. */
    private static CaTestSock afterLossAt(Cubic c, int wmax, long rttUs) {
        CaTestSock tp = new CaTestSock();
        c.init(tp);
        tp.ssthresh = wmax;
        tp.cwnd = wmax;
        tp.nxt = tp.una + wmax;
        tp.ack(c, 1, rttUs); // the minimum RTT, learnt before any epoch
        tp.cwnd = wmax;
        tp.loss(c);
        return tp;
    }

    @Test
    void aLossKeepsBetaOfTheWindowAndFastConvergenceRemembersLess() {
        Cubic c = new Cubic();
        CaTestSock tp = new CaTestSock();
        c.init(tp);
        tp.cwnd = 100;
        assertThat(c.ssthresh(tp)).isEqualTo(100 * 717 / 1024).isEqualTo(70);
        assertThat(c.lastMaxCwnd()).isEqualTo(100);
        // Below the last maximum: W_max = cwnd (1 + beta) / 2.
        tp.cwnd = 90;
        assertThat(c.ssthresh(tp)).isEqualTo(90 * 717 / 1024).isEqualTo(63);
        assertThat(c.lastMaxCwnd()).isEqualTo(90 * (1024 + 717) / 2048).isEqualTo(76);
        tp.cwnd = 2;
        assertThat(c.ssthresh(tp)).isEqualTo(2);

        Cubic plain = new Cubic(new Cubic.Params(false, 717, 41, true, true));
        plain.init(tp);
        tp.cwnd = 100;
        plain.ssthresh(tp);
        tp.cwnd = 90;
        plain.ssthresh(tp);
        assertThat(plain.lastMaxCwnd()).isEqualTo(90);
    }

    @Test
    void kIsTheTimeTheCurveTakesBackToTheLastMaximum() {
        Cubic c = new Cubic();
        CaTestSock tp = afterLossAt(c, 100, 100_000);
        tp.round(c, 100_000);
        long k = (long) Math.cbrt((double) (CUBE_FACTOR * 30));
        assertThat(c.bicK()).isEqualTo(k).isEqualTo(4316);
        // RFC 9438's K = cbrt(W_max (1 - beta) / C) in seconds, here in 1024ths.
        assertThat(c.bicK() / 1024.0).isCloseTo(Math.cbrt(30 / C), within(0.002));
        assertThat(Cubic.cubicRoot(26)).isEqualTo(2);
        assertThat(Cubic.cubicRoot(27)).isEqualTo(3);
        assertThat(Cubic.cubicRoot(1L << 60)).isEqualTo(1L << 20);
    }

    @Test
    void theWindowFollowsTheCubicCurveThroughTheLastMaximum() {
        Cubic c = new Cubic();
        long rttUs = 100_000;
        CaTestSock tp = afterLossAt(c, 100, rttUs);
        long epoch = tp.now;
        double k = Math.cbrt((double) (CUBE_FACTOR * 30)) / 1024;
        int checked = 0;
        while (tp.now - epoch < 8_000_000_000L) {
            tp.round(c, rttUs);
            double t = (tp.now - epoch) / 1e9;
            // One round trip behind the target one minimum RTT ahead: the window is about W(t).
            double w = C * Math.pow(t - k, 3) + 100;
            assertThat((double) tp.cwnd).as("cwnd at t=%.1f s", t).isCloseTo(w, within(2.5));
            checked++;
        }
        assertThat(checked).isGreaterThan(70);
        assertThat(tp.cwnd).isBetween(119, 124); // convex beyond W_max: 0.4 (8 - 4.2)^3 + 100
    }

    @Test
    void onAShortPathTheWindowGrowsAsFastAsRenoWould() {
        Cubic c = new Cubic();
        long rttUs = 1_000;
        CaTestSock tp = afterLossAt(c, 100, rttUs);
        for (int i = 0; i < 200; i++) tp.round(c, rttUs);
        // The curve has hardly moved (t = 0.2 s of K = 4.2 s); Reno's estimate grows 8/15 of a segment per window
        // of ACKs (beta_scale = 15, 1/8 units) and the window keeps up with it.
        double curve = C * Math.pow(0.2 - 4.216, 3) + 100;
        assertThat(curve).isLessThan(75);
        assertThat(c.tcpCwnd()).isBetween(70 + 200 * 8 / 15 - 2, 70 + 200 * 8 / 15 + 2);
        assertThat(tp.cwnd).isBetween(c.tcpCwnd() - 3, c.tcpCwnd() + 3);

        Cubic unfriendly = new Cubic(new Cubic.Params(true, 717, 41, false, true));
        CaTestSock u = afterLossAt(unfriendly, 100, rttUs);
        for (int i = 0; i < 200; i++) u.round(unfriendly, rttUs);
        assertThat((double) u.cwnd).isCloseTo(curve, within(2.0));
    }

    @Test
    void beforeAnyLossTheWindowGrowsFivePercentPerRoundTrip() {
        Cubic c = new Cubic();
        CaTestSock tp = new CaTestSock();
        c.init(tp);
        tp.cwnd = tp.ssthresh = 100; // slow start ended without a loss (HyStart++): no W_max
        tp.nxt = tp.una + 100;
        double expected = 100;
        for (int i = 0; i < 10; i++) {
            tp.round(c, 100_000);
            expected *= 1.05;
        }
        assertThat(c.lastMaxCwnd()).isZero();
        assertThat((double) tp.cwnd).isCloseTo(expected, within(3.0)); // 100 * 1.05^10 = 163
    }

    @Test
    void farBeyondTheMaximumTheWindowGrowsAtMostByHalfPerRoundTrip() {
        Cubic c = new Cubic();
        CaTestSock tp = afterLossAt(c, 100, 100_000);
        tp.ack(c, 1, 100_000); // the epoch starts
        tp.now += 20_000_000_000L; // 20 s later the target is 0.4 (20 - 4.2)^3 + 100 = 1677 segments
        tp.cwnd = 70;
        tp.cwndCnt = 0;
        tp.nxt = tp.una + 70;
        tp.round(c, 100_000);
        assertThat(c.cnt()).isEqualTo(2);
        assertThat(tp.cwnd).isEqualTo(105);
    }

    @Test
    void idleTimeDoesNotMoveTheWindowAlongTheCurve() {
        long rttUs = 100_000;
        Cubic busy = new Cubic();
        CaTestSock b = afterLossAt(busy, 100, rttUs);
        Cubic idle = new Cubic();
        CaTestSock i = afterLossAt(idle, 100, rttUs);
        for (int r = 0; r < 10; r++) {
            b.round(busy, rttUs);
            i.round(idle, rttUs);
        }
        assertThat(i.cwnd).isEqualTo(b.cwnd);
        // Ten seconds without data, then sending starts again with nothing in flight: tcp_event_data_sent.
        i.now += 10_000_000_000L;
        idle.cwndEvent(i, TcpCongestionOps.CA_EVENT_TX_START);
        for (int r = 0; r < 20; r++) {
            b.round(busy, rttUs);
            i.round(idle, rttUs);
            // Within one: the busy flow skips recomputing cnt within 31 ms of an unchanged window, the idle one not.
            assertThat(i.cwnd).isBetween(b.cwnd - 1, b.cwnd + 1);
        }

        // Without the event the curve would have run on through the idle time, past W_max at once.
        Cubic noEvent = new Cubic();
        CaTestSock n = afterLossAt(noEvent, 100, rttUs);
        for (int r = 0; r < 10; r++) n.round(noEvent, rttUs);
        n.now += 10_000_000_000L;
        for (int r = 0; r < 20; r++) n.round(noEvent, rttUs);
        assertThat(n.cwnd).isGreaterThan(b.cwnd + 50);
    }

    @Test
    void aTimeoutForgetsTheCurveAndUndoRestoresTheWindowBeforeTheReduction() {
        Cubic c = new Cubic();
        CaTestSock tp = afterLossAt(c, 100, 100_000);
        tp.round(c, 100_000);
        assertThat(c.bicK()).isPositive();
        assertThat(c.delayMin()).isEqualTo(100_000);
        c.setState(tp, TcpCongestionOps.TCP_CA_LOSS);
        assertThat(c.lastMaxCwnd()).isZero();
        assertThat(c.bicK()).isZero();
        assertThat(c.delayMin()).isZero();

        tp.priorCwnd = 100;
        tp.cwnd = 70;
        assertThat(c.undoCwnd(tp)).isEqualTo(100);
        tp.cwnd = 120;
        assertThat(c.undoCwnd(tp)).isEqualTo(120);
    }

    @Test
    void rttSamplesInTheFirstSecondOfAnEpochDoNotLowerTheMinimum() {
        Cubic c = new Cubic();
        CaTestSock tp = afterLossAt(c, 100, 100_000);
        tp.ack(c, 1, 100_000); // congestion avoidance resumes: a new epoch
        tp.round(c, 50_000); // queues draining after recovery
        assertThat(c.delayMin()).isEqualTo(100_000);
        tp.now += 1_000_000_000L;
        tp.ack(c, 1, 50_000);
        assertThat(c.delayMin()).isEqualTo(50_000);
    }
}
