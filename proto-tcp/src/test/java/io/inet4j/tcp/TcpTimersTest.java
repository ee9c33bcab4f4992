package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * TCP's timers over long lives: when retransmission, zero-window probing and keepalive give up (and when they
 * must not, because the peer answers), and the FIN_WAIT2 timeout of orphans, as Linux's {@code tcp_timer.c} does.
 */
class TcpTimersTest {
    private static final int LPORT = 80;
    private static final int RPORT = 40000;
    private static final int PEER_ISN = 1000;
    private static final int MSS = 1460;

    /** An accepted connection with a scripted peer; {@code snd} is the stack's next sequence number. */
    private static final class Conn implements AutoCloseable {
        final TcpScenario t;
        final Socket s;
        final int una;
        int rcv = PEER_ISN + 1;

        Conn(int window, Consumer<InetStack.Builder> config) throws Exception {
            t = new TcpScenario(config);
            Socket l = StreamSockets.listener(t.stack, LPORT, 8);
            t.inject(RPORT, LPORT, SYN, PEER_ISN, 0, window, null, MSS);
            una = t.expect().seq() + 1;
            t.inject(RPORT, LPORT, ACK, rcv, una, window, null, 0);
            s = StreamSockets.accept(l);
        }

        Conn() throws Exception { this(65535, b -> {}); }

        /** The peer acknowledges {@code ack} with {@code window}. */
        void ack(int ack, int window) { t.inject(RPORT, LPORT, ACK, rcv, ack, window, null, 0); }

        void ack(int ack) { ack(ack, 65535); }

        TcpSock sk() { return (TcpSock) s.sk; }

        @Override
        public void close() { t.close(); }
    }

    @Test
    void anEarlyFastRetransmitDoesNotShortenTheGiveUpOfALaterTimeout() throws Exception {
        try (Conn c = new Conn()) {
            StreamSockets.write(c.s, new byte[6 * MSS], 0, 6 * MSS);
            for (int i = 0; i < 6; i++) assertThat(c.t.expect()).isNotNull();
            for (int i = 0; i < 3; i++) c.ack(c.una);
            assertThat(c.t.expect().seq()).as("fast retransmit").isEqualTo(c.una);
            StreamSockets.write(c.s, new byte[MSS], 0, MSS);
            c.ack(c.una); // a fourth duplicate inflates cwnd enough for the new segment
            TcpScenario.Seg newest = c.t.expect();
            assertThat(newest.seq()).isEqualTo(c.una + 6 * MSS);
            c.ack(newest.seq()); // recovery ends; only never-retransmitted data is outstanding
            // A bulk transfer for longer than tcp_retries2's 924.6 s, the queue never empty, every segment acked.
            for (int i = 0; i < 9500; i++) {
                StreamSockets.write(c.s, new byte[MSS], 0, MSS);
                TcpScenario.Seg next = c.t.expect();
                assertThat(next.seq()).isEqualTo(newest.seq() + MSS);
                c.t.run(0.1);
                c.ack(next.seq());
                newest = next;
            }
            // Now the peer goes quiet: the newest segment is retransmitted with backoff, not abandoned.
            for (int i = 0; i < 4; i++) {
                TcpScenario.Seg r = c.t.expect(200);
                assertThat(r).as("retransmission %d", i + 1).isNotNull();
                assertThat(r.seq()).isEqualTo(newest.seq());
            }
            assertThat(c.sk().state).isEqualTo(TcpState.ESTABLISHED);
        }
    }

    /** Keepalive after 10 s idle, probes 2 s apart, 3 unanswered probes to give up. */
    private static Conn keepaliveConn() throws Exception {
        Conn c = new Conn(65535, b -> b.sysctl("net.ipv4.tcp_keepalive_time", "10")
                .sysctl("net.ipv4.tcp_keepalive_intvl", "2").sysctl("net.ipv4.tcp_keepalive_probes", "3"));
        c.s.ops.setsockopt(c.s, SockOpt.SOL_SOCKET, SockOpt.SO_KEEPALIVE, 1);
        return c;
    }

    @Test
    void keepaliveKeepsAConnectionWhosePeerAnswersEveryProbe() throws Exception {
        try (Conn c = keepaliveConn()) {
            double last = c.t.now();
            for (int i = 0; i < 10; i++) {
                TcpScenario.Seg probe = c.t.expect(20);
                assertThat(probe).as("probe %d", i + 1).isNotNull();
                assertThat(probe.seq()).isEqualTo(c.una - 1);
                assertThat(probe.atNanos() / 1e9 - last).as("an answered probe restarts the idle time").isBetween(9.9, 10.1);
                last = probe.atNanos() / 1e9;
                c.ack(c.una); // the peer's answer: a duplicate ACK
            }
            assertThat(c.sk().state).isEqualTo(TcpState.ESTABLISHED);
        }
    }

    @Test
    void aZeroWindowIsProbedForAsLongAsThePeerAnswers() throws Exception {
        try (Conn c = new Conn(0, b -> {})) {
            StreamSockets.write(c.s, new byte[500], 0, 500);
            long gap = 0;
            long last = 0;
            for (int i = 0; i < 25; i++) { // well past tcp_retries2 (15) probes
                TcpScenario.Seg probe = c.t.expect(200);
                assertThat(probe).as("probe %d", i + 1).isNotNull();
                assertThat(probe.seq()).isEqualTo(c.una - 1);
                if (i > 0) gap = probe.atNanos() - last;
                last = probe.atNanos();
                c.ack(c.una, 0); // answered: still no room
            }
            assertThat(gap).as("answered probes still back off to TCP_RTO_MAX").isEqualTo(RtoEstimator.TCP_RTO_MAX);
            assertThat(c.sk().state).isEqualTo(TcpState.ESTABLISHED);
            c.ack(c.una, 65535);
            assertThat(c.t.expect().len()).isEqualTo(500);
        }
    }

    @Test
    void anOrphanStopsProbingAnAnsweredZeroWindowOnceItsProbesBackOffToTheCap() throws Exception {
        try (Conn c = new Conn(0, b -> {})) {
            StreamSockets.write(c.s, new byte[500], 0, 500);
            TcpSock sk = c.sk();
            c.s.ops.release(c.s); // the FIN waits behind the data
            int probes = 0;
            for (TcpScenario.Seg probe; (probe = c.t.expect(300)) != null; probes++) {
                assertThat(probe.seq()).isEqualTo(c.una - 1);
                c.ack(c.una, 0);
            }
            // tcp_orphan_retries 0: alive while the probe interval (0.2, 0.4, ... 102.4 s from the 200 ms RTO the
            // SYN-ACK's RTT sample gave) is under TCP_RTO_MAX, gone when the next one would reach it.
            assertThat(probes).isEqualTo(10);
            assertThat(c.t.tcp().sockets()).doesNotContain(sk);
        }
    }

    @Test
    void unansweredZeroWindowProbesEndTheConnectionWithoutAReset() throws Exception {
        try (Conn c = new Conn(0, b -> {})) {
            StreamSockets.write(c.s, new byte[500], 0, 500);
            int probes = 0;
            for (TcpScenario.Seg seg; (seg = c.t.expect(300)) != null; probes++) {
                assertThat(seg.flags()).as("tcp_write_err sends nothing").isEqualTo(ACK);
                assertThat(seg.seq()).isEqualTo(c.una - 1);
            }
            assertThat(probes).isEqualTo(15); // tcp_retries2
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE);
            assertThat(StreamSockets.read(c.s, new byte[1], 0, 1)).isEqualTo(Errno.ETIMEDOUT.neg());
        }
    }

    @Test
    void keepaliveGivesUpWithAReset() throws Exception {
        try (Conn c = keepaliveConn()) {
            for (int i = 0; i < 3; i++) assertThat(c.t.expect(20).seq()).isEqualTo(c.una - 1);
            TcpScenario.Seg rst = c.t.expect(3);
            assertThat(rst).as("tcp_keepalive_timer: tcp_send_active_reset, then tcp_write_err").isNotNull();
            assertThat(rst.flags()).isEqualTo(RST | ACK);
            assertThat(rst.seq()).isEqualTo(c.una);
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE);
            assertThat(StreamSockets.read(c.s, new byte[1], 0, 1)).isEqualTo(Errno.ETIMEDOUT.neg());
        }
    }

    @Test
    void everyTimeoutGiveUpCountsTcpAbortOnTimeout() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket s = StreamSockets.socket(t.stack);
            StreamSockets.connect(s, TcpScenario.REMOTE, 7);
            t.run(200); // tcp_syn_retries
            assertThat(s.sk.state).isEqualTo(TcpState.CLOSE);
            assertThat(t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPAbortOnTimeout)).as("tcp_write_err").isEqualTo(1);
        }
        try (Conn c = new Conn(0, b -> {})) {
            StreamSockets.write(c.s, new byte[500], 0, 500);
            c.t.run(2000);
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE);
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPAbortOnTimeout)).isEqualTo(1);
        }
    }

    @Test
    void closingAfterShutdownInFinWait2StartsTheFinTimeout() throws Exception {
        try (Conn c = new Conn()) {
            TcpSock sk = c.sk();
            assertThat(c.s.ops.shutdown(c.s, 1)).isZero(); // SHUT_WR
            TcpScenario.Seg fin = c.t.expect();
            c.ack(fin.seq() + 1);
            assertThat(sk.state).isEqualTo(TcpState.FIN_WAIT2);
            c.t.run(100); // owned: FIN_WAIT2 waits for the peer as long as the application likes
            assertThat(sk.state).isEqualTo(TcpState.FIN_WAIT2);
            c.s.ops.release(c.s);
            c.t.run(59);
            assertThat(c.t.tcp().sockets()).contains(sk);
            c.t.run(2); // tcp_fin_timeout
            assertThat(c.t.tcp().sockets()).doesNotContain(sk);
        }
    }

    @Test
    void duplicateAcksAtTheOldRecoveryPointDoNotStartAnotherFastRetransmit() throws Exception {
        try (Conn c = new Conn()) {
            StreamSockets.write(c.s, new byte[6 * MSS], 0, 6 * MSS);
            for (int i = 0; i < 6; i++) assertThat(c.t.expect()).isNotNull();
            int recover = c.una + 6 * MSS; // high_seq: snd_nxt when recovery starts
            for (int i = 0; i < 3; i++) c.ack(c.una);
            assertThat(c.t.expect().seq()).as("fast retransmit").isEqualTo(c.una);
            StreamSockets.write(c.s, new byte[2 * MSS], 0, 2 * MSS);
            for (int i = 0; i < 3; i++) c.ack(c.una); // inflation sends the new data
            assertThat(c.t.expect().seq()).isEqualTo(recover);
            assertThat(c.t.expect().seq()).isEqualTo(recover + MSS);
            c.ack(recover); // everything up to the recovery point
            for (int i = 0; i < 3; i++) c.ack(recover);
            // RFC 6582 3.2 step 1: the ACK does not cover more than recover, so no new fast retransmit.
            assertThat(c.t.expect()).isNull();
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPFastRetrans)).isEqualTo(1);
            c.ack(recover + 2 * MSS);
            assertThat(c.sk().caState()).isEqualTo(io.inet4j.tcp.cong.TcpCongestionOps.TCP_CA_OPEN);
        }
    }

    @Test
    void segmentsTheConnectionRejectsDoNotCountAsSignsOfLife() throws Exception {
        try (Conn c = keepaliveConn()) {
            double t0 = c.t.now();
            c.t.run(5);
            c.t.inject(RPORT, LPORT, ACK, c.rcv + 1_000_000, c.una, new byte[10]); // beyond the window
            assertThat(c.t.expect().ack()).as("the duplicate ACK").isEqualTo(c.rcv);
            c.t.inject(RPORT, LPORT, ACK, c.rcv, c.una + 1_000_000, null); // acknowledges what was never sent
            assertThat(c.t.expect()).as("tcp_rcv_established drops it unanswered").isNull();
            c.t.inject(RPORT, LPORT, RST, c.rcv + 100, 0, null); // in the window, not exact: a challenge ACK
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv);
            TcpScenario.Seg probe = c.t.expect(20);
            assertThat(probe.seq()).isEqualTo(c.una - 1);
            assertThat(probe.atNanos() / 1e9 - t0).as("idle since the handshake").isBetween(9.9, 10.1);
        }
    }

    @Test
    void disconnectLeavesNothingOfTheOldConnectionBehind() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket s = StreamSockets.socket(t.stack);
            TcpSock sk = (TcpSock) s.sk;
            TcpScenario.Seg syn = t.activeOpen(s, 7);
            t.inject(7, syn.sport(), ACK, 201, syn.seq() + 1, new byte[10]); // out of order: a hole at 101
            t.expect();
            StreamSockets.write(s, new byte[100], 0, 100);
            for (int i = 0; i < 4; i++) t.expect(20); // sent, then three timeouts: the RTO backs off
            assertThat(s.ops.shutdown(s, 1)).isZero(); // a FIN queued behind the data
            assertThat(s.ops.connect(s, io.inet4j.socket.SockAddr.UNSPEC, 0)).isZero();
            assertThat(t.expect().flags() & RST).isEqualTo(RST);
            assertThat(sk.ofoQueue.size()).as("tcp_disconnect: skb_rbtree_purge(out_of_order_queue)").isZero();
            assertThat(sk.sndSsthresh).as("TCP_INFINITE_SSTHRESH").isEqualTo(Integer.MAX_VALUE);

            StreamSockets.connect(s, TcpScenario.REMOTE, 8);
            syn = t.expect();
            TcpScenario.Seg again = t.expect(20);
            assertThat(again.atNanos() - syn.atNanos()).as("icsk_rto = TCP_TIMEOUT_INIT")
                    .isEqualTo(RtoEstimator.TCP_TIMEOUT_INIT);
            t.inject(8, syn.sport(), SYN | ACK, 100, syn.seq() + 1, 65535, null, MSS);
            t.expect();
            assertThat(s.ops.shutdown(s, 1)).isZero();
            TcpScenario.Seg fin = t.expect();
            assertThat(fin).as("a FIN for the new connection").isNotNull();
            assertThat(fin.flags()).isEqualTo(io.inet4j.tcp.wire.TcpHeader.FIN | ACK);
        }
    }

    @Test
    void retransmissionsIntoAShrunkWindowDoNotGiveUpWhileThePeerAnswers() throws Exception {
        try (Conn c = new Conn()) {
            StreamSockets.write(c.s, new byte[100], 0, 100);
            assertThat(c.t.expect().len()).isEqualTo(100);
            c.ack(c.una, 0); // the receiver shrinks its window to nothing
            int answered = 0;
            for (double start = c.t.now(); c.t.now() - start < 1500; answered++) {
                TcpScenario.Seg r = c.t.expect(200);
                assertThat(r).as("retransmission %d", answered + 1).isNotNull();
                assertThat(r.seq()).isEqualTo(c.una);
                c.ack(c.una, 0);
            }
            assertThat(c.sk().state).isEqualTo(TcpState.ESTABLISHED);
            c.ack(c.una + 100, 65535);
            assertThat(c.sk().rtxQueue).isEmpty();
        }
    }

    @Test
    void retransmissionsIntoAShrunkWindowGiveUpOnceNeitherSideHeardForTwiceTheMaxRto() throws Exception {
        try (Conn c = new Conn()) {
            StreamSockets.write(c.s, new byte[100], 0, 100);
            c.t.expect();
            c.ack(c.una, 0);
            c.t.run(240);
            assertThat(c.sk().state).isEqualTo(TcpState.ESTABLISHED);
            c.t.run(200);
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE);
            assertThat(StreamSockets.read(c.s, new byte[1], 0, 1)).isEqualTo(Errno.ETIMEDOUT.neg());
        }
    }

    @Test
    void keepaliveWatchesAHalfClosedConnectionToo() throws Exception {
        try (Conn c = keepaliveConn()) {
            assertThat(c.s.ops.shutdown(c.s, 1)).isZero(); // SHUT_WR
            TcpScenario.Seg fin = c.t.expect();
            c.ack(fin.seq() + 1);
            assertThat(c.sk().state).isEqualTo(TcpState.FIN_WAIT2);
            for (int i = 0; i < 3; i++) {
                TcpScenario.Seg probe = c.t.expect(20);
                assertThat(probe).as("probe %d", i + 1).isNotNull();
                assertThat(probe.seq()).isEqualTo(fin.seq()); // snd_una - 1
            }
            assertThat(c.t.expect(3).flags()).isEqualTo(RST | ACK);
            assertThat(StreamSockets.read(c.s, new byte[1], 0, 1)).isEqualTo(Errno.ETIMEDOUT.neg());
        }
    }
}
