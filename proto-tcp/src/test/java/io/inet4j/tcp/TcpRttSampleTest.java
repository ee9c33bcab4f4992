package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/**
 * Where the RTT samples come from: on a passive open the final ACK of the handshake times the SYN-ACK
 * (tcp_synack_rtt_meas); then tcp_clean_rtx_queue takes one from every ACK of new data that was never
 * retransmitted, from the send time of the oldest segment it covers (tcp_ack_update_rtt), not from one timed
 * segment per round trip.
 */
class TcpRttSampleTest {
    private static final int LPORT = 80;
    private static final int RPORT = 40000;
    private static final int PEER_ISN = 1000;
    private static final int MSS = 1460;

    @Test
    void theSynAckAndEveryAckOfNeverRetransmittedDataAreRoundTripSamples() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket l = StreamSockets.listener(t.stack, LPORT, 8);
            t.inject(RPORT, LPORT, SYN, PEER_ISN, 0, 65535, null, MSS);
            int una = t.expect().seq() + 1;
            t.run(0.1);
            t.inject(RPORT, LPORT, ACK, PEER_ISN + 1, una, 65535, null, 0);
            Socket s = StreamSockets.accept(l);
            TcpSock tp = (TcpSock) s.sk;
            // tcp_synack_rtt_meas: the final ACK, 100 ms after our SYN-ACK, is the first sample.
            assertThat(tp.rto.srtt()).isEqualTo(100_000_000L);

            StreamSockets.write(s, new byte[MSS], 0, MSS); // sent at 0
            assertThat(t.expect().seq()).isEqualTo(una);
            t.run(0.05);
            StreamSockets.write(s, new byte[MSS], 0, MSS); // sent at 50 ms
            assertThat(t.expect().seq()).isEqualTo(una + MSS);
            t.run(0.05);
            t.inject(RPORT, LPORT, ACK, PEER_ISN + 1, una + MSS, 65535, null, 0); // at 100 ms: RTT 100 ms
            assertThat(tp.rto.srtt()).isEqualTo(100_000_000L);
            t.run(0.02);
            t.inject(RPORT, LPORT, ACK, PEER_ISN + 1, una + 2 * MSS, 65535, null, 0); // at 120 ms: RTT 70 ms
            // SRTT moves by an eighth of the error: 100 + (70 - 100) / 8.
            assertThat(tp.rto.srtt()).isEqualTo(96_250_000L);
        }
    }
}
