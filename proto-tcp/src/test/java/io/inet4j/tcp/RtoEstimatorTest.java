package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RtoEstimatorTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private final RtoEstimator est = new RtoEstimator();
    /** snd_una of the last sample; its snd_nxt is 100 further, so the next {@link #newRound} passes it. */
    private int seq = 1000;

    /** A sample whose ACK passes the snd_nxt of the previous one: a round trip ends. */
    private void newRound(long rtt) {
        seq += 200;
        assertThat(est.onAck(rtt, seq, seq + 100)).isTrue();
    }

    /** A sample from inside the current round trip. */
    private void sameRound(long rtt) {
        assertThat(est.onAck(rtt, seq + 50, seq + 100)).isTrue();
    }

    @Test
    void beforeAnySampleTheRtoIsOneSecond() {
        assertThat(est.rto()).isEqualTo(RtoEstimator.TCP_TIMEOUT_INIT).isEqualTo(S);
        assertThat(est.hasSample()).isFalse();
        assertThat(est.srtt()).isZero();
        assertThat(est.backoffCount()).isZero();
    }

    @Test
    void firstSampleGivesThreeTimesTheRtt() {
        newRound(100 * MS);
        assertThat(est.srtt()).isEqualTo(100 * MS);
        assertThat(est.rttvar()).isEqualTo(50 * MS);
        assertThat(est.rto()).isEqualTo(300 * MS);
    }

    @Test
    void fastPathsGetSrttPlusTwoHundredMilliseconds() {
        newRound(10 * MS);
        assertThat(est.rto()).isEqualTo(210 * MS);
        for (int i = 0; i < 100; i++) newRound(10 * MS);
        assertThat(est.srtt()).isEqualTo(10 * MS);
        assertThat(est.rto()).isEqualTo(210 * MS);
    }

    @Test
    void aZeroSampleStillLeavesTheFloor() {
        newRound(0);
        assertThat(est.hasSample()).isTrue();
        assertThat(est.rto()).isEqualTo(RtoEstimator.TCP_RTO_MIN).isEqualTo(200 * MS);
    }

    @Test
    void steadySamplesSettleAtSrttPlusTheFloor() {
        for (int i = 0; i < 50; i++) newRound(100 * MS);
        assertThat(est.srtt()).isEqualTo(100 * MS);
        assertThat(est.rttvar()).isLessThan(MS);
        assertThat(est.rto()).isEqualTo(300 * MS);
    }

    @Test
    void aSlowSampleRaisesTheVarianceAtOnce() {
        newRound(100 * MS);
        sameRound(300 * MS);
        // srtt = 100 + (300 - 100) / 8; mdev (x4) = 200 + (200 - 50) = 350, which becomes rttvar.
        assertThat(est.srtt()).isEqualTo(125 * MS);
        assertThat(est.rto()).isEqualTo(125 * MS + 350 * MS);
    }

    @Test
    void aFastSampleBarelyMovesTheVariance() {
        newRound(100 * MS);
        sameRound(20 * MS);
        // srtt = 100 - 80 / 8 = 90; mdev (x4) grows by (80 - 50) / 8 only = 3.75 ms.
        assertThat(est.srtt()).isEqualTo(90 * MS);
        assertThat(est.rto()).isEqualTo(90 * MS + 200 * MS + 3_750_000L);
    }

    @Test
    void samplesWithinOneRoundTripDoNotLowerTheRto() {
        newRound(400 * MS);
        assertThat(est.rto()).isEqualTo(1200 * MS);
        for (int i = 0; i < 10; i++) sameRound(400 * MS);
        assertThat(est.rto()).isEqualTo(1200 * MS);
        assertThat(est.rttvar()).isLessThan(15 * MS);
    }

    @Test
    void varianceDecaysByAQuarterPerRoundTrip() {
        newRound(400 * MS);
        newRound(400 * MS);
        assertThat(est.rto()).isEqualTo(1200 * MS);
        newRound(400 * MS);
        // mdev (x4) went 800 -> 600 -> 450; this round's max, 450, pulls rttvar down by a quarter of the gap.
        assertThat(est.rto()).isEqualTo(400 * MS + 800 * MS - (350 * MS >> 2));

        long previous = est.rto();
        for (int i = 0; i < 40; i++) {
            newRound(400 * MS);
            assertThat(est.rto()).isLessThanOrEqualTo(previous);
            previous = est.rto();
        }
        assertThat(est.rto()).isBetween(600 * MS, 601 * MS);
    }

    @Test
    void backoffDoublesUpToTheCap() {
        long[] expected = {2 * S, 4 * S, 8 * S, 16 * S, 32 * S, 64 * S, 120 * S, 120 * S, 120 * S};
        for (int i = 0; i < expected.length; i++) {
            est.backoff();
            assertThat(est.rto()).isEqualTo(expected[i]);
            assertThat(est.backoffCount()).isEqualTo(i + 1);
        }
        assertThat(est.rto()).isEqualTo(RtoEstimator.TCP_RTO_MAX);
    }

    @Test
    void backoffFromAMeasuredRtoAndResetByTheNextSample() {
        newRound(100 * MS);
        est.backoff();
        est.backoff();
        assertThat(est.rto()).isEqualTo(1200 * MS);
        assertThat(est.backoffCount()).isEqualTo(2);
        newRound(100 * MS);
        assertThat(est.backoffCount()).isZero();
        assertThat(est.rto()).isEqualTo(300 * MS);
    }

    @Test
    void hugeSamplesAreCapped() {
        newRound(100 * S);
        assertThat(est.rto()).isEqualTo(120 * S);
    }

    @Test
    void negativeSamplesAreIgnored() {
        newRound(100 * MS);
        assertThat(est.onAck(-1, seq + 1, seq + 2)).isFalse();
        assertThat(est.rto()).isEqualTo(300 * MS);
    }

    @Test
    void roundTripsAreTrackedAcrossSequenceWrap() {
        RtoEstimator e = new RtoEstimator();
        e.onAck(400 * MS, 0xffff_ff00, 0xffff_ff80);
        e.onAck(400 * MS, 0xffff_ff90, 0x10);
        e.onAck(400 * MS, 0x20, 0x100);
        assertThat(e.rto()).isEqualTo(400 * MS + 800 * MS - (350 * MS >> 2));
    }

    @Test
    void resetForgetsEverything() {
        newRound(100 * MS);
        est.backoff();
        est.reset();
        assertThat(est.hasSample()).isFalse();
        assertThat(est.rto()).isEqualTo(S);
        assertThat(est.backoffCount()).isZero();
    }

    @Test
    void otherBoundsFromSysctlsOrRoutes() {
        RtoEstimator e = new RtoEstimator(5 * MS, 2 * S);
        e.onAck(10 * MS, 1, 2);
        assertThat(e.rto()).isEqualTo(30 * MS);
        for (int i = 0; i < 10; i++) e.backoff();
        assertThat(e.rto()).isEqualTo(2 * S);
        assertThat(new RtoEstimator(MS, 500 * MS).rto()).isEqualTo(500 * MS);
    }

    @Test
    void rejectsNonsenseBounds() {
        assertThatThrownBy(() -> new RtoEstimator(0, S)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RtoEstimator(2 * S, S)).isInstanceOf(IllegalArgumentException.class);
    }
}
