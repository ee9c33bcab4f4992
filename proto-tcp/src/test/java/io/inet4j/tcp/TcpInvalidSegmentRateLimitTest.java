package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.MibCounters;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * RFC 5961 section 7 and Linux's answers to invalid segments: the per-socket {@code tcp_invalid_ratelimit}
 * ({@code __tcp_oow_rate_limited}) and the stack-wide {@code tcp_challenge_ack_limit}, with their counters. The
 * wire side of the per-socket limit is in the packetdrill scripts {@code *-ack-ratelimit.pkt}.
 */
class TcpInvalidSegmentRateLimitTest {
    private static final int LPORT = 80;
    private static final int PEER_ISN = 1000;

    /** Accepts a connection from {@code rport}; returns the stack's ISN + 1. */
    private static int accept(TcpScenario t, Socket l, int rport) {
        int snd = handshake(t, rport);
        StreamSockets.accept(l);
        return snd;
    }

    /** The peer at {@code rport} completes a handshake with the listener; returns the stack's ISN + 1. */
    private static int handshake(TcpScenario t, int rport) {
        t.inject(rport, LPORT, SYN, PEER_ISN, 0, 65535, null, 1460);
        int snd = t.expect().seq() + 1;
        t.inject(rport, LPORT, ACK, PEER_ISN + 1, snd, 65535, null, 0);
        return snd;
    }

    private static TcpScenario scenario(Consumer<InetStack.Builder> config) { return new TcpScenario(config); }

    private static MibCounters<TcpExtMib> ext(TcpScenario t) { return t.stack.net().mibs().tcpExt; }

    @Test
    void aBurstOfSynsEarnsOneChallengeAckAndTheRestAreCountedAsSkipped() throws Exception {
        try (TcpScenario t = scenario(b -> {})) {
            Socket l = StreamSockets.listener(t.stack, LPORT, 8);
            int snd = accept(t, l, 40000);
            for (int i = 0; i < 5; i++) t.inject(40000, LPORT, SYN, PEER_ISN, 0, 65535, null, 1460);
            assertThat(t.expect().ack()).isEqualTo(PEER_ISN + 1);
            assertThat(t.silentFor(0.4)).isTrue();
            assertThat(ext(t).get(TcpExtMib.TCPSYNChallenge)).isEqualTo(5);
            assertThat(ext(t).get(TcpExtMib.TCPChallengeACK)).isEqualTo(1);
            assertThat(ext(t).get(TcpExtMib.TCPACKSkippedChallenge)).isEqualTo(4);

            // An ACK beyond the window shares the socket's budget: skipped now, answered 500 ms after the last.
            t.inject(40000, LPORT, ACK, PEER_ISN + 1 + 100_000, snd, 65535, null, 0);
            assertThat(ext(t).get(TcpExtMib.TCPACKSkippedSeq)).isEqualTo(1);
            t.run(0.1);
            t.inject(40000, LPORT, ACK, PEER_ISN + 1 + 100_000, snd, 65535, null, 0);
            assertThat(t.expect().ack()).isEqualTo(PEER_ISN + 1);
            assertThat(ext(t).get(TcpExtMib.TCPACKSkippedSeq)).isEqualTo(1);
        }
    }

    @Test
    void aConnectionMakesItsRateLimitWithTheFirstInvalidSegment() throws Exception {
        try (TcpScenario t = scenario(b -> {})) {
            Socket l = StreamSockets.listener(t.stack, LPORT, 8);
            int snd = handshake(t, 40000);
            TcpSock sk = (TcpSock) StreamSockets.accept(l).sk;
            assertThat(sk.oow).as("an idle connection carries none").isNull();
            t.inject(40000, LPORT, ACK, PEER_ISN + 1 + 100_000, snd, 65535, null, 0);
            assertThat(t.expect().ack()).isEqualTo(PEER_ISN + 1);
            assertThat(sk.oow).isNotNull();
        }
    }

    @Test
    void tcpInvalidRatelimitZeroAnswersEveryInvalidSegment() throws Exception {
        try (TcpScenario t = scenario(b -> b.sysctl("net.ipv4.tcp_invalid_ratelimit", "0"))) {
            Socket l = StreamSockets.listener(t.stack, LPORT, 8);
            accept(t, l, 40000);
            for (int i = 0; i < 3; i++) t.inject(40000, LPORT, SYN, PEER_ISN, 0, 65535, null, 1460);
            for (int i = 0; i < 3; i++) assertThat(t.expect()).isNotNull();
            assertThat(ext(t).get(TcpExtMib.TCPChallengeACK)).isEqualTo(3);
        }
    }

    @Test
    void tcpChallengeAckLimitBoundsChallengeAcksPerSecondAcrossTheStack() throws Exception {
        // A limit of 1 draws a budget of exactly one a second: a random count in [half, limit + half - 1], half = 1.
        try (TcpScenario t = scenario(b -> b.sysctl("net.ipv4.tcp_invalid_ratelimit", "0")
                .sysctl("net.ipv4.tcp_challenge_ack_limit", "1"))) {
            Socket l = StreamSockets.listener(t.stack, LPORT, 8);
            accept(t, l, 40000);
            accept(t, l, 40001);
            t.run(1.0 - (t.now() % 1.0)); // the start of a second
            t.inject(40000, LPORT, SYN, PEER_ISN, 0, 65535, null, 1460);
            t.inject(40001, LPORT, SYN, PEER_ISN, 0, 65535, null, 1460);
            t.inject(40000, LPORT, SYN, PEER_ISN, 0, 65535, null, 1460);
            assertThat(t.expect().dport()).isEqualTo(40000);
            assertThat(t.silentFor(0.5)).isTrue();
            assertThat(ext(t).get(TcpExtMib.TCPSYNChallenge)).isEqualTo(3);
            assertThat(ext(t).get(TcpExtMib.TCPChallengeACK)).isEqualTo(1);
            t.run(0.5);
            t.inject(40001, LPORT, SYN, PEER_ISN, 0, 65535, null, 1460);
            assertThat(t.expect().dport()).isEqualTo(40001);
        }
    }
}
