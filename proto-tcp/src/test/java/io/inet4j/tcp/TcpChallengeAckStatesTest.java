package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Socket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 5961 in every synchronized state (tcp_validate_incoming): an in-window RST that is not at rcv_nxt and an
 * in-window SYN both earn a challenge ACK instead of resetting, at most one per tcp_invalid_ratelimit from one
 * socket (TCPACKSkippedChallenge), and the connection stays.
 */
class TcpChallengeAckStatesTest {
    private static final int PORT = 80;
    private static final int RPORT = 40000;

    /** The next segment within a millisecond, past retransmissions of our FIN (their timer runs meanwhile). */
    private static TcpScenario.Seg next(TcpScenario t) {
        TcpScenario.Seg s;
        while ((s = t.expect()) != null && s.flags() == (FIN | ACK)) { }
        return s;
    }

    private static long ext(TcpScenario t, TcpExtMib m) { return t.stack.net().mibs().tcpExt.get(m); }

    @ParameterizedTest
    @ValueSource(strings = {"ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "LAST_ACK", "CLOSING"})
    void inWindowRstAndSynAreChallengedAndRateLimited(String state) throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket l = StreamSockets.listener(t.stack, PORT, 8);
            t.inject(RPORT, PORT, SYN, 1000, 0, 65535, null, 1460);
            int snd = t.expect().seq() + 1;
            t.inject(RPORT, PORT, ACK, 1001, snd, null);
            Socket s = StreamSockets.accept(l);
            TcpSock sk = (TcpSock) s.sk;
            int rcv = 1001;
            boolean close = state.equals("FIN_WAIT1") || state.equals("FIN_WAIT2") || state.equals("LAST_ACK")
                    || state.equals("CLOSING");
            boolean peerFin = state.equals("CLOSE_WAIT") || state.equals("LAST_ACK") || state.equals("CLOSING");
            if (peerFin && !state.equals("CLOSING")) {
                t.inject(RPORT, PORT, FIN | ACK, rcv, snd, null);
                rcv++;
                assertThat(t.expect().ack()).isEqualTo(rcv);
            }
            if (close) {
                s.ops.release(s);
                assertThat(t.expect().flags()).isEqualTo(FIN | ACK);
                if (state.equals("FIN_WAIT2")) t.inject(RPORT, PORT, ACK, rcv, snd + 1, null);
                if (state.equals("CLOSING")) {
                    t.inject(RPORT, PORT, FIN | ACK, rcv, snd, null); // crosses our FIN
                    rcv++;
                    assertThat(t.expect().ack()).isEqualTo(rcv);
                }
            }
            t.run(1); // past any rate limit the steps above started
            while (t.expect(0) != null) { } // our FIN's retransmissions meanwhile
            assertThat(TcpState.name(sk.state)).isEqualTo(state);
            int una = sk.sndNxt;

            t.inject(RPORT, PORT, RST, rcv + 1, 0, null);
            TcpScenario.Seg challenge = next(t);
            assertThat(challenge.flags()).isEqualTo(ACK);
            assertThat(challenge.seq()).isEqualTo(una);
            assertThat(challenge.ack()).isEqualTo(rcv);
            t.inject(RPORT, PORT, SYN, rcv + 5, 0, null);
            assertThat(next(t)).as("within tcp_invalid_ratelimit of the last one").isNull();
            assertThat(ext(t, TcpExtMib.TCPACKSkippedChallenge)).isEqualTo(1);
            t.run(0.6);
            while (t.expect(0) != null) { }
            t.inject(RPORT, PORT, SYN, rcv + 5, 0, null);
            assertThat(next(t).ack()).isEqualTo(rcv);
            assertThat(ext(t, TcpExtMib.TCPChallengeACK)).isEqualTo(2);
            assertThat(ext(t, TcpExtMib.TCPSYNChallenge)).isEqualTo(2);
            assertThat(TcpState.name(sk.state)).as("neither reset the connection").isEqualTo(state);
        }
    }
}
