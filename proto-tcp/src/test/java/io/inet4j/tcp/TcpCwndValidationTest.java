package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/**
 * Congestion window validation (RFC 7661 as Linux has it: {@code tcp_cwnd_validate}, {@code tcp_is_cwnd_limited},
 * issue 7 defect 11): cwnd grows only while it is what limits the sender. An application-limited sender keeps its
 * window; one that fills it to the last segment grows it, in slow start and in congestion avoidance.
 */
class TcpCwndValidationTest {
    private static final int RPORT = 5001;
    private static final int MSS = 1460;

    private static TcpSock open(TcpScenario t) throws Exception {
        Socket s = StreamSockets.socket(t.stack);
        t.activeOpen(s, RPORT);
        return (TcpSock) s.sk;
    }

    /**
     * The application writes {@code segments} full segments; one RTT later the peer acknowledges them every second
     * segment, as a delayed-ACK receiver does.
     */
    private static void roundTrip(TcpScenario t, TcpSock tp, int segments) {
        byte[] data = new byte[segments * MSS];
        assertThat(StreamSockets.write(tp.socket, data, 0, data.length)).isEqualTo(data.length);
        for (int i = 0; i < segments; i++) assertThat(t.expect().len()).isEqualTo(MSS);
        assertThat(t.silentFor(0.05)).isTrue();
        int una = tp.sndUna;
        for (int i = 2; i < segments + 2; i += 2) t.inject(RPORT, tp.num, ACK, 101, una + Math.min(i, segments) * MSS, null);
    }

    @Test
    void anApplicationLimitedSenderKeepsItsWindowInSlowStart() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSock tp = open(t);
            for (int i = 0; i < 10; i++) roundTrip(t, tp, 1);
            assertThat(tp.sndCwnd).isEqualTo(Tcp.TCP_INIT_CWND);
            // Nine in flight: slow start may take the window to twice that, no further.
            for (int i = 0; i < 3; i++) roundTrip(t, tp, 9);
            assertThat(tp.sndCwnd).isEqualTo(18);
        }
    }

    @Test
    void inCongestionAvoidanceOnlyAFullWindowGrowsIt() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSock tp = open(t);
            TcpCong.set(tp, "reno"); // one more per window acknowledged: the step shows plainly
            tp.sndSsthresh = tp.sndCwnd; // congestion avoidance from cwnd 10
            roundTrip(t, tp, 5);
            roundTrip(t, tp, 9);
            assertThat(tp.sndCwnd).isEqualTo(10);
            // Exactly cwnd segments, the queue empty as the last leaves: the window was the limit.
            roundTrip(t, tp, 10);
            assertThat(tp.sndCwnd).isEqualTo(11);
        }
    }
}
