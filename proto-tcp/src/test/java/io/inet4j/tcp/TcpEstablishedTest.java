package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.PSH;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.mib.TcpMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An ESTABLISHED connection (accepted from a scripted peer) under data, loss, windows, resets and closes. */
class TcpEstablishedTest {
    private static final int LPORT = 80;
    private static final int RPORT = 40000;
    private static final int PEER_ISN = 1000;

    /** The scenario, the accepted socket, and the stack's next sequence number. */
    private static final class Conn implements AutoCloseable {
        final TcpScenario t = new TcpScenario();
        final Socket s;
        int snd;
        int rcv = PEER_ISN + 1;

        Conn(int window) throws Exception { this(window, 0); }

        /** With {@code rcvbuf} > 0 the listener's SO_RCVBUF is set first, so the child inherits it. */
        Conn(int window, int rcvbuf) throws Exception {
            Socket l = StreamSockets.listener(t.stack, LPORT, 8);
            if (rcvbuf > 0) {
                l.ops.setsockopt(l, io.inet4j.socket.SockOpt.SOL_SOCKET, io.inet4j.socket.SockOpt.SO_RCVBUF, rcvbuf);
            }
            t.inject(RPORT, LPORT, SYN, PEER_ISN, 0, window, null, 1460);
            TcpScenario.Seg synAck = t.expect();
            snd = synAck.seq() + 1;
            t.inject(RPORT, LPORT, ACK, rcv, snd, window, null, 0);
            s = StreamSockets.accept(l);
        }

        Conn() throws Exception { this(65535); }

        void peer(int flags, byte[] data) { t.inject(RPORT, LPORT, flags, rcv, snd, data); }

        void peerAt(int seq, int flags, byte[] data) { t.inject(RPORT, LPORT, flags, seq, snd, data); }

        /** Small segments, each ACKed at once, until the connection leaves quick-ACK mode. */
        void spendQuickAcks() {
            do {
                peer(ACK, bytes(10));
                rcv += 10;
                assertThat(t.expect().ack()).isEqualTo(rcv);
            } while (sk().ackQuick > 0);
        }

        TcpSock sk() { return (TcpSock) s.sk; }

        @Override
        public void close() { t.close(); }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) i;
        return b;
    }

    @Test
    void aNewConnectionAcksAtOnceUntilItsQuickAcksAreSpentThenOneSegmentWaits40msTwoFullOnesDoNot() throws Exception {
        try (Conn c = new Conn()) {
            // tcp_event_data_recv: the first data starts quick-ACK mode, min(rcv_wnd / (2 * rcv_mss), 16) ACKs.
            c.spendQuickAcks();
            assertThat(c.sk().ackQuick).isZero();
            c.peer(ACK | PSH, bytes(100));
            double t0 = c.t.now();
            TcpScenario.Seg ack = c.t.expect(1);
            assertThat(ack.ack()).isEqualTo(c.rcv + 100);
            assertThat(ack.atNanos() / 1e9 - t0).isBetween(0.039, 0.042);
            c.rcv += 100;
            c.peer(ACK, bytes(1460));
            c.rcv += 1460;
            assertThat(c.t.silentFor(0.001)).as("one full segment waits").isTrue();
            c.peer(ACK, bytes(1460));
            c.rcv += 1460;
            TcpScenario.Seg quick = c.t.expect();
            assertThat(quick.ack()).isEqualTo(c.rcv);
            assertThat(quick.atNanos() / 1e9).isEqualTo(c.t.now());
        }
    }

    @Test
    void outOfOrderDataGetsDuplicateAcksAndIsDeliveredOnceTheHoleFills() throws Exception {
        try (Conn c = new Conn()) {
            c.peerAt(c.rcv + 100, ACK, bytes(50));
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv);
            c.peerAt(c.rcv + 150, ACK, bytes(50));
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv);
            byte[] buf = new byte[1000];
            assertThat(StreamSockets.read(c.s, buf, 0, 1000)).isEqualTo(Errno.EAGAIN.neg());
            c.peer(ACK, bytes(100));
            assertThat(c.t.expect(1).ack()).isEqualTo(c.rcv + 200);
            assertThat(StreamSockets.read(c.s, buf, 0, 1000)).isEqualTo(200);
        }
    }

    @Test
    void segmentsOutsideTheWindowGetADuplicateAckAndAreDropped() throws Exception {
        try (Conn c = new Conn()) {
            c.peerAt(c.rcv - 500, ACK, bytes(10)); // old
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv);
            c.peerAt(c.rcv + 1_000_000, ACK, bytes(10)); // far ahead
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv);
            assertThat(c.sk().rmemAlloc).isZero();
        }
    }

    @Test
    void dataBeyondTheOfferedWindowIsTrimmed() throws Exception {
        try (Conn c = new Conn(65535, 4096)) {
            int window = c.sk().rcvWnd;
            assertThat(window).isEqualTo(2920); // SO_RCVBUF 4096 doubles to 8192; half is receive space, in MSS units
            byte[] big = bytes(window + 1000);
            c.peer(ACK, big);
            TcpScenario.Seg ack = c.t.expect(1);
            assertThat(ack.ack()).isEqualTo(c.rcv + window);
        }
    }

    @Test
    void inWindowResetEarnsAChallengeAckExactResetKills() throws Exception {
        try (Conn c = new Conn()) {
            c.peerAt(c.rcv + 10, RST, null);
            TcpScenario.Seg challenge = c.t.expect();
            assertThat(challenge.flags()).isEqualTo(ACK);
            assertThat(challenge.ack()).isEqualTo(c.rcv);
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPChallengeACK)).isEqualTo(1);
            assertThat(c.sk().state).isEqualTo(TcpState.ESTABLISHED);
            c.peer(RST, null);
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE);
            assertThat(StreamSockets.read(c.s, new byte[10], 0, 10)).isEqualTo(Errno.ECONNRESET.neg());
            assertThat(c.t.stack.net().mibs().tcp.get(TcpMib.EstabResets)).isEqualTo(1);
            assertThat(c.t.silentFor(1)).isTrue();
        }
    }

    @Test
    void synOnAnEstablishedConnectionEarnsAChallengeAck() throws Exception {
        try (Conn c = new Conn()) {
            c.peer(SYN, null);
            TcpScenario.Seg challenge = c.t.expect();
            assertThat(challenge.flags()).isEqualTo(ACK);
            assertThat(c.sk().state).isEqualTo(TcpState.ESTABLISHED);
            c.t.run(0.5); // past tcp_invalid_ratelimit, which allows one answer per 500 ms
            c.peerAt(c.rcv + 1_000_000, SYN, null); // out of window too (tcp_validate_incoming: syn_challenge)
            assertThat(c.t.expect().flags()).isEqualTo(ACK);
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPChallengeACK)).isEqualTo(2);
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPSYNChallenge)).isEqualTo(2);
        }
    }

    @Test
    void unacknowledgedDataIsRetransmittedWithExponentialBackoff() throws Exception {
        try (Conn c = new Conn()) {
            StreamSockets.write(c.s, bytes(100), 0, 100);
            TcpScenario.Seg first = c.t.expect();
            assertThat(first.len()).isEqualTo(100);
            List<Double> gaps = new ArrayList<>();
            double last = first.atNanos() / 1e9;
            for (int i = 0; i < 4; i++) {
                TcpScenario.Seg r = c.t.expect(200);
                assertThat(r.seq()).isEqualTo(first.seq());
                gaps.add(Math.round((r.atNanos() / 1e9 - last) * 10) / 10.0);
                last = r.atNanos() / 1e9;
            }
            // The final ACK of the handshake timed our SYN-ACK (tcp_synack_rtt_meas): RTT ~0, so the RTO starts at
            // rto_min, 200 ms, not at the 1 s of a connection without a sample.
            assertThat(gaps).containsExactly(0.2, 0.4, 0.8, 1.6);
            assertThat(c.t.stack.net().mibs().tcp.get(TcpMib.RetransSegs)).isEqualTo(4);
            c.t.inject(RPORT, LPORT, ACK, c.rcv, first.seq() + 100, null);
            assertThat(c.t.silentFor(100)).isTrue();
        }
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmit() throws Exception {
        try (Conn c = new Conn()) {
            StreamSockets.write(c.s, bytes(1460 * 6), 0, 1460 * 6);
            List<TcpScenario.Seg> sent = new ArrayList<>();
            TcpScenario.Seg s;
            while ((s = c.t.expect()) != null) sent.add(s);
            assertThat(sent).hasSize(6);
            int base = sent.get(0).seq();
            for (int i = 0; i < 3; i++) c.t.inject(RPORT, LPORT, ACK, c.rcv, base, null);
            TcpScenario.Seg retrans = c.t.expect();
            assertThat(retrans.seq()).isEqualTo(base);
            assertThat(retrans.atNanos() / 1e9).isLessThan(0.5 + sent.get(0).atNanos() / 1e9);
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPFastRetrans)).isEqualTo(1);
        }
    }

    @Test
    void zeroWindowStopsDataAndIsProbedUntilItOpens() throws Exception {
        try (Conn c = new Conn(0)) {
            assertThat(StreamSockets.write(c.s, bytes(500), 0, 500)).isEqualTo(500);
            TcpScenario.Seg probe = c.t.expect(2);
            assertThat(probe.len()).isZero();
            assertThat(probe.seq()).isEqualTo(c.snd - 1);
            TcpScenario.Seg probe2 = c.t.expect(5);
            // The first probe waits one RTO (200 ms: the SYN-ACK's RTT sample), the next twice that.
            assertThat(probe2.atNanos() - probe.atNanos()).as("probes back off").isGreaterThanOrEqualTo(400_000_000L);
            c.t.inject(RPORT, LPORT, ACK, c.rcv, c.snd, 65535, null, 0);
            TcpScenario.Seg data = c.t.expect();
            assertThat(data.len()).isEqualTo(500);
            assertThat(data.seq()).isEqualTo(c.snd);
        }
    }

    @Test
    void passiveCloseGoesThroughCloseWaitAndLastAck() throws Exception {
        try (Conn c = new Conn()) {
            c.peer(FIN | ACK, null);
            TcpScenario.Seg ack = c.t.expect();
            assertThat(ack.ack()).isEqualTo(c.rcv + 1);
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE_WAIT);
            assertThat(StreamSockets.read(c.s, new byte[10], 0, 10)).isZero();
            TcpSock sk = c.sk();
            c.s.ops.release(c.s);
            TcpScenario.Seg fin = c.t.expect();
            assertThat(fin.flags()).isEqualTo(FIN | ACK);
            assertThat(sk.state).isEqualTo(TcpState.LAST_ACK);
            c.t.inject(RPORT, LPORT, ACK, c.rcv + 1, fin.seq() + 1, null);
            assertThat(sk.state).isEqualTo(TcpState.CLOSE);
            assertThat(c.t.tcp().sockets()).doesNotContain(sk);
        }
    }

    @Test
    void activeCloseGoesThroughFinWaitToTimeWaitAndItsFinIsReAcked() throws Exception {
        try (Conn c = new Conn()) {
            TcpSock sk = c.sk();
            c.s.ops.release(c.s);
            TcpScenario.Seg fin = c.t.expect();
            assertThat(fin.flags()).isEqualTo(FIN | ACK);
            assertThat(sk.state).isEqualTo(TcpState.FIN_WAIT1);
            c.t.inject(RPORT, LPORT, ACK, c.rcv, fin.seq() + 1, null);
            assertThat(sk.state).isEqualTo(TcpState.FIN_WAIT2);
            c.t.inject(RPORT, LPORT, FIN | ACK, c.rcv, fin.seq() + 1, null);
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv + 1);
            assertThat(c.t.tcp().timewaitCount()).isEqualTo(1);
            c.t.run(30);
            c.t.inject(RPORT, LPORT, FIN | ACK, c.rcv, fin.seq() + 1, null); // our ACK was lost
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv + 1);
            c.t.run(59);
            assertThat(c.t.tcp().timewaitCount()).isEqualTo(1); // restarted by the FIN
            c.t.run(2);
            assertThat(c.t.tcp().timewaitCount()).isZero();
            c.t.inject(RPORT, LPORT, ACK, c.rcv + 1, fin.seq() + 1, null);
            assertThat(c.t.expect().flags()).isEqualTo(RST);
        }
    }

    @Test
    void finThatAlsoAcknowledgesOurFinGoesStraightToTimeWait() throws Exception {
        try (Conn c = new Conn()) {
            TcpSock sk = c.sk();
            c.s.ops.release(c.s);
            TcpScenario.Seg fin = c.t.expect();
            c.t.inject(RPORT, LPORT, FIN | ACK, c.rcv, fin.seq() + 1, null);
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv + 1);
            assertThat(sk.state).isEqualTo(TcpState.CLOSE);
            assertThat(c.t.tcp().timewaitCount()).isEqualTo(1);
        }
    }

    @Test
    void simultaneousCloseEndsInTimeWait() throws Exception {
        try (Conn c = new Conn()) {
            TcpSock sk = c.sk();
            c.s.ops.release(c.s);
            TcpScenario.Seg fin = c.t.expect();
            c.t.inject(RPORT, LPORT, FIN | ACK, c.rcv, fin.seq(), null); // crosses our FIN
            assertThat(sk.state).isEqualTo(TcpState.CLOSING);
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv + 1);
            c.t.inject(RPORT, LPORT, ACK, c.rcv + 1, fin.seq() + 1, null);
            assertThat(c.t.tcp().timewaitCount()).isEqualTo(1);
        }
    }

    @Test
    void resetKillsTimeWait() throws Exception {
        try (Conn c = new Conn()) {
            c.s.ops.release(c.s);
            TcpScenario.Seg fin = c.t.expect();
            c.t.inject(RPORT, LPORT, FIN | ACK, c.rcv, fin.seq() + 1, null);
            c.t.expect();
            assertThat(c.t.tcp().timewaitCount()).isEqualTo(1);
            c.t.inject(RPORT, LPORT, RST, c.rcv + 1, 0, null);
            assertThat(c.t.tcp().timewaitCount()).isZero();
        }
    }

    @Test
    void orphanInFinWait2GoesAfterTcpFinTimeout() throws Exception {
        try (Conn c = new Conn()) {
            TcpSock sk = c.sk();
            c.s.ops.release(c.s);
            TcpScenario.Seg fin = c.t.expect();
            c.t.inject(RPORT, LPORT, ACK, c.rcv, fin.seq() + 1, null);
            assertThat(sk.state).isEqualTo(TcpState.FIN_WAIT2);
            c.t.run(59);
            assertThat(c.t.tcp().sockets()).contains(sk);
            c.t.run(2);
            assertThat(c.t.tcp().sockets()).doesNotContain(sk);
        }
    }

    @Test
    void closeWithUnreadDataSendsAReset() throws Exception {
        try (Conn c = new Conn()) {
            c.peer(ACK | PSH, bytes(10));
            c.t.expect(1);
            c.s.ops.release(c.s);
            TcpScenario.Seg rst = c.t.expect();
            assertThat(rst.flags() & RST).isEqualTo(RST);
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPAbortOnClose)).isEqualTo(1);
        }
    }

    @Test
    void lingerZeroAbortsWithAReset() throws Exception {
        try (Conn c = new Conn()) {
            c.s.ops.setsockopt(c.s, io.inet4j.socket.SockOpt.SOL_SOCKET, io.inet4j.socket.SockOpt.SO_LINGER, 0);
            c.s.ops.release(c.s);
            assertThat(c.t.expect().flags() & RST).isEqualTo(RST);
        }
    }

    @Test
    void outOfOrderDataBeyondTheFinIsDiscarded() throws Exception {
        try (Conn c = new Conn()) {
            c.peerAt(c.rcv + 10, ACK | FIN, null);
            c.t.expect();
            c.peerAt(c.rcv + 11, ACK, bytes(20)); // after the peer's own end of stream
            c.t.expect();
            c.peer(ACK, bytes(10));
            assertThat(c.t.expect().ack()).isEqualTo(c.rcv + 11);
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE_WAIT);
            assertThat(c.sk().ofoQueue.size()).isZero();
            byte[] buf = new byte[100];
            assertThat(StreamSockets.read(c.s, buf, 0, 100)).isEqualTo(10);
            assertThat(StreamSockets.read(c.s, buf, 0, 100)).isZero();
        }
    }

    @Test
    void anAckOlderThanTheMaxWindowDropsTheSegmentWithAChallengeAck() throws Exception {
        try (Conn c = new Conn()) {
            // RFC 5961 section 5: SND.UNA - MAX.SND.WND <= SEG.ACK, else the segment goes (tcp_ack, TCP_TOO_OLD_ACK);
            // Linux 6.7+ narrows MAX.SND.WND to the bytes the peer acknowledged so far.
            c.t.inject(RPORT, LPORT, ACK | PSH, c.rcv, c.snd - 65535 - 10, bytes(10));
            TcpScenario.Seg challenge = c.t.expect();
            assertThat(challenge.flags()).isEqualTo(ACK);
            assertThat(challenge.ack()).isEqualTo(c.rcv);
            assertThat(c.sk().rcvQueued).isZero();
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPChallengeACK)).isEqualTo(1);
            // Old but acceptable: no older than what the peer ever acknowledged (min(max_window, bytes_acked)).
            c.t.inject(RPORT, LPORT, ACK | PSH, c.rcv, c.snd - (int) c.sk().bytesAcked, bytes(10));
            assertThat(c.t.expect(1).ack()).isEqualTo(c.rcv + 10);
            assertThat(c.sk().rcvQueued).isEqualTo(10);
        }
    }

    @Test
    void anAckForUnsentDataIsDroppedSilentlyWhenEstablishedChallengedOtherwise() throws Exception {
        try (Conn c = new Conn()) {
            // No answer in ESTABLISHED (tcp_rcv_established, TCP_ACK_UNSENT_DATA): two desynchronised ends
            // must not ACK each other forever.
            c.t.inject(RPORT, LPORT, ACK | PSH, c.rcv, c.snd + 1000, bytes(10));
            assertThat(c.t.silentFor(1)).isTrue();
            assertThat(c.sk().rmemAlloc).isZero();
            c.peer(ACK | FIN, null);
            c.rcv++;
            c.t.expect();
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE_WAIT);
            // tcp_rcv_state_process answers the unacceptable ACK with a challenge ACK.
            c.t.inject(RPORT, LPORT, ACK, c.rcv, c.snd + 1000, null);
            TcpScenario.Seg challenge = c.t.expect();
            assertThat(challenge.flags()).isEqualTo(ACK);
            assertThat(challenge.ack()).isEqualTo(c.rcv);
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPChallengeACK)).isEqualTo(1);
        }
    }

    @Test
    void theWindowEndsWhereItWasAdvertisedNotRcvNxtPlusTheWindow() throws Exception {
        try (Conn c = new Conn()) {
            c.spendQuickAcks();
            int rightEdge = c.sk().rcvWup + c.sk().rcvWnd;
            c.peer(ACK | PSH, bytes(100)); // rcv_nxt moves on; the ACK (and a new window) is still delayed
            c.peerAt(rightEdge + 10, ACK, bytes(10));
            assertThat(c.t.expect().ack()).as("a duplicate ACK").isEqualTo(c.rcv + 100);
            assertThat(c.sk().ofoQueue.size()).as("beyond the advertised window (tcp_receive_window)").isZero();
        }
    }

    @Test
    void aBareFinIsTakenThroughAZeroWindowDataIsNot() throws Exception {
        try (Conn c = new Conn(65535, 4096)) {
            // Unread segments fill the buffer by what they pin, until the window the stack offers is zero.
            int window;
            do {
                c.peer(ACK, bytes(1460));
                c.rcv += 1460;
                window = c.t.expect(1).window();
            } while (window > 0);
            c.peer(ACK, bytes(1));
            assertThat(c.t.expect().ack()).as("no room for data").isEqualTo(c.rcv);
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPZeroWindowDrop)).isEqualTo(1);
            c.peer(ACK | FIN, null);
            assertThat(c.sk().state).as("tcp_data_queue takes a bare FIN at rcv_nxt").isEqualTo(TcpState.CLOSE_WAIT);
            // tcp_fin owes the ACK without hurry (pingpong): with no reply to ride on, it goes after ato.
            c.t.run(0.05);
            TcpScenario.Seg ack = c.t.expect();
            assertThat(ack.ack()).isEqualTo(c.rcv + 1);
        }
    }

    @Test
    void aReadThatOpensNoMoreWindowThanRcvSsthreshAllowsSendsNoAck() throws Exception {
        try (Conn c = new Conn()) {
            c.spendQuickAcks();
            byte[] buf = new byte[64 * 1024];
            assertThat(StreamSockets.read(c.s, buf, 0, buf.length)).isPositive();
            TcpSock sk = c.sk();
            // What tcp_rcv_space_adjust makes of a 1-byte ping-pong once its window-based RTT sample (the time to
            // fill one window, seconds at one byte per round trip) counts a window's worth of bytes read per "RTT":
            // a buffer far larger than the window rcv_ssthresh lets us offer.
            sk.rcvbuf *= 4;
            sk.windowClamp = TcpOutput.winFromSpace(sk, sk.rcvbuf);
            assertThat(TcpOutput.space(sk) - TcpOutput.receiveWindow(sk)).isGreaterThan(2 * sk.advmss);
            sk.pingpong = TcpDelack.TCP_PINGPONG_THRESH; // replies went out within ato: interactive
            c.peer(ACK | PSH, bytes(1));
            c.rcv += 1;
            assertThat(StreamSockets.read(c.s, buf, 0, buf.length)).isEqualTo(1);
            // tcp_cleanup_rbuf: the window we would offer now is no more than the one on offer; the owed ACK waits
            // for the reply to carry it.
            assertThat(c.t.silentFor(0.01)).as("no window update after the read").isTrue();
        }
    }

    @Test
    void aReadThatReopensAZeroWindowSendsTheUpdate() throws Exception {
        try (Conn c = new Conn(65535, 4096)) {
            do {
                c.peer(ACK, bytes(1460));
                c.rcv += 1460;
            } while (c.t.expect(1).window() > 0);
            byte[] buf = new byte[64 * 1024];
            assertThat(StreamSockets.read(c.s, buf, 0, buf.length)).isPositive();
            TcpScenario.Seg update = c.t.expect();
            assertThat(update.ack()).isEqualTo(c.rcv);
            assertThat(update.window()).as("tcp_cleanup_rbuf: the window reopened").isPositive();
        }
    }

    /** The byte the test peer sends at {@code off} bytes past the first sequence number, so order errors show. */
    private static byte at(int off) { return (byte) (off * 31 + (off >> 8)); }

    private static byte[] stream(int off, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = at(off + i);
        return b;
    }

    /** Reads {@code len} bytes and checks them against {@link #at}, from stream offset {@code off}. */
    private static void readStream(Conn c, int off, int len) {
        byte[] got = new byte[len];
        int n = 0;
        while (n < len) {
            byte[] chunk = new byte[len - n];
            int r = recv(c.s, chunk, 0);
            assertThat(r).as("recv after %d of %d bytes", n, len).isPositive();
            System.arraycopy(chunk, 0, got, n, r);
            n += r;
        }
        assertThat(got).isEqualTo(stream(off, len));
    }

    @Test
    void oneByteSegmentsToABusyReaderPinBuffersByTheirDataNotOneEach() throws Exception {
        try (Conn c = new Conn()) {
            long before = c.t.stack.net().pool().outstanding();
            for (int i = 0; i < 5000; i++) c.peerAt(c.rcv + i, ACK, stream(i, 1));
            TcpSock sk = c.sk();
            assertThat(sk.rcvQueued).isEqualTo(5000);
            // tcp_try_coalesce copies each byte into the tail buffer: a few buffers, not 5,000 of 2 KiB (10 MB).
            int bufferSize = c.t.stack.net().pool().bufferSize();
            assertThat(sk.rmemAlloc).isLessThanOrEqualTo(4 * bufferSize).isLessThanOrEqualTo(sk.rcvbuf);
            assertThat((c.t.stack.net().pool().outstanding() - before) * bufferSize).isLessThanOrEqualTo(sk.rcvbuf);
            assertThat(c.t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPRcvCoalesce)).isGreaterThanOrEqualTo(4990);
            readStream(c, 0, 5000);
            assertThat(sk.rmemAlloc).isZero();
        }
    }

    @Test
    void oneByteSegmentsOutOfOrderArePrunedToTheReceiveBuffer() throws Exception {
        try (Conn c = new Conn()) {
            long before = c.t.stack.net().pool().outstanding();
            TcpSock sk = c.sk();
            // 5,000 one-byte islands with holes between them: nothing to coalesce or collapse.
            for (int i = 0; i < 5000; i++) c.peerAt(c.rcv + 2 + 2 * i, ACK, stream(2 + 2 * i, 1));
            int bufferSize = c.t.stack.net().pool().bufferSize();
            assertThat(sk.rmemAlloc).isLessThanOrEqualTo(sk.rcvbuf + bufferSize);
            assertThat((c.t.stack.net().pool().outstanding() - before) * bufferSize)
                    .isLessThanOrEqualTo(sk.rcvbuf + bufferSize);
            var ext = c.t.stack.net().mibs().tcpExt;
            assertThat(ext.get(TcpExtMib.PruneCalled)).isPositive();
            assertThat(ext.get(TcpExtMib.RcvPruned)).as("arrivals beyond the last island are the ones to drop")
                    .isPositive();
            assertThat(ext.get(TcpExtMib.TCPOFODrop)).isEqualTo(ext.get(TcpExtMib.RcvPruned));
            assertThat(sk.rcvSsthresh).as("tcp_clamp_window").isEqualTo(2 * sk.advmss);
            int kept = sk.ofoQueue.size();
            // One below them all: tcp_prune_ofo_queue makes room by dropping from the far end.
            c.peerAt(c.rcv + 1, ACK, stream(1, 1));
            assertThat(ext.get(TcpExtMib.OfoPruned)).isPositive();
            assertThat(sk.ofoQueue.size()).isLessThan(kept + 1);
            assertThat(sk.rmemAlloc).isLessThanOrEqualTo(sk.rcvbuf);
            // The first byte fills the first hole: bytes 1 and 2 become readable, the rest waits for its holes.
            c.peerAt(c.rcv, ACK, stream(0, 1));
            readStream(c, 0, 3);
            // tcp_grow_window: small segments leave the clamped window where it is; a full one, whose buffer the
            // window can afford, lets it grow back.
            c.peerAt(c.rcv + 3, ACK, stream(3, 100));
            assertThat(sk.rcvSsthresh).isEqualTo(2 * sk.advmss);
            c.peerAt(c.rcv + 103, ACK, stream(103, 1460));
            assertThat(sk.rcvSsthresh).isEqualTo(4 * sk.advmss);
            readStream(c, 3, 1560);
        }
    }

    @Test
    void bloatedOutOfOrderSegmentsAreCollapsedIntoFullBuffersAndReadIntact() throws Exception {
        // SO_RCVBUF fixes the 128 KiB buffer: an unfixed one would grow to what the queues pin (tcp_clamp_window).
        try (Conn c = new Conn(65535, 65536)) {
            TcpSock sk = c.sk();
            // 500-byte segments each in a 2 KiB buffer, arriving last first so none coalesces with the one before.
            int n = 100;
            for (int k = n; k >= 1; k--) c.peerAt(c.rcv + 500 * k, ACK, stream(500 * k, 500));
            var ext = c.t.stack.net().mibs().tcpExt;
            assertThat(ext.get(TcpExtMib.PruneCalled)).isPositive();
            assertThat(ext.get(TcpExtMib.TCPRcvCollapsed)).isPositive();
            assertThat(ext.get(TcpExtMib.TCPOFODrop)).as("collapsing made room for every segment").isZero();
            assertThat(sk.rmemAlloc).isLessThanOrEqualTo(sk.rcvbuf);
            c.peerAt(c.rcv, ACK, stream(0, 500));
            readStream(c, 0, 500 * (n + 1));
            assertThat(sk.ofoQueue.size()).isZero();
            assertThat(sk.rmemAlloc).isZero();
        }
    }

    @Test
    void overTheBufferTheReceiveQueueIsCollapsedIntoFullBuffersAndReadIntact() throws Exception {
        try (Conn c = new Conn(65535, 65536)) { // a fixed buffer, as above
            TcpSock sk = c.sk();
            // 1000-byte segments to a busy reader: each pins a 2 KiB buffer and none fits in the one before.
            int n = 30;
            for (int i = 0; i < n; i++) c.peerAt(c.rcv + 1000 * i, ACK, stream(1000 * i, 1000));
            int inOrder = 1000 * n;
            assertThat(sk.rcvQueued).isEqualTo(inOrder);
            // One-byte islands beyond push the queues over rcvbuf: tcp_prune_queue collapses the receive queue.
            var ext = c.t.stack.net().mibs().tcpExt;
            for (int i = 0; sk.rmemAlloc <= sk.rcvbuf && ext.get(TcpExtMib.PruneCalled) == 0; i++) {
                c.peerAt(c.rcv + inOrder + 2 + 2 * i, ACK, stream(inOrder + 2 + 2 * i, 1));
            }
            c.peerAt(c.rcv + inOrder + 1000, ACK, stream(inOrder + 1000, 1));
            assertThat(ext.get(TcpExtMib.PruneCalled)).isPositive();
            assertThat(ext.get(TcpExtMib.TCPRcvCollapsed)).isGreaterThanOrEqualTo(n);
            assertThat(sk.receiveQueue.size()).isLessThanOrEqualTo(inOrder / c.t.stack.net().pool().bufferSize() + 1);
            assertThat(sk.rmemAlloc).isLessThanOrEqualTo(sk.rcvbuf);
            readStream(c, 0, inOrder);
        }
    }

    @Test
    void outOfOrderInsertsInDescendingOrderKeepTheTreeLogarithmic() throws Exception {
        try (Conn c = new Conn()) {
            TcpSock sk = c.sk();
            int n = 60; // within the 128 KiB buffer at 2 KiB a segment: none is pruned
            for (int k = n; k >= 1; k--) c.peerAt(c.rcv + 2 * k, ACK, stream(2 * k, 1));
            assertThat(sk.ofoQueue.size()).isEqualTo(n);
            assertThat(height(sk.ofoQueue.root())).isLessThanOrEqualTo((int) (2 * Math.log(n + 1) / Math.log(2)));
            assertThat(sk.oooLastSkb).isSameAs(sk.ofoQueue.last());
            assertThat(TcpSock.seq(sk.oooLastSkb)).isEqualTo(c.rcv + 2 * n);
        }
    }

    private static int height(io.inet4j.buffer.PacketBuffer n) {
        return n == null ? 0 : 1 + Math.max(height(io.inet4j.buffer.PacketBufferRbTree.left(n)),
                height(io.inet4j.buffer.PacketBufferRbTree.right(n)));
    }

    private static int recv(Socket s, byte[] into, int flags) {
        return s.ops.recvmsg(s, new io.inet4j.socket.MsgHdr(java.nio.ByteBuffer.wrap(into), null), flags);
    }

    private static byte[] ascii(String s) { return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII); }

    @Test
    void theUrgentByteIsTakenOutOfTheStreamAndReadWithMsgOob() throws Exception {
        try (Conn c = new Conn()) {
            // BSD's urgent pointer (tcp_stdurg = 0) points just past the urgent byte, X.
            c.t.injectUrgent(RPORT, LPORT, ACK | PSH, c.rcv, c.snd, ascii("abcXdef"), 4);
            assertThat(c.s.ops.poll(c.s) & io.inet4j.socket.PollEvents.POLLPRI).isNotZero();
            byte[] buf = new byte[100];
            assertThat(recv(c.s, buf, 0)).as("a read stops at the mark").isEqualTo(3);
            assertThat(new String(buf, 0, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("abc");
            assertThat(recv(c.s, buf, io.inet4j.socket.MsgFlags.MSG_OOB)).isEqualTo(1);
            assertThat(buf[0]).isEqualTo((byte) 'X');
            assertThat(recv(c.s, buf, io.inet4j.socket.MsgFlags.MSG_OOB)).as("read once").isEqualTo(Errno.EINVAL.neg());
            assertThat(recv(c.s, buf, 0)).isEqualTo(3);
            assertThat(new String(buf, 0, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("def");
        }
    }

    @Test
    void withOobInlineTheUrgentByteStaysInTheStream() throws Exception {
        try (Conn c = new Conn()) {
            c.s.ops.setsockopt(c.s, io.inet4j.socket.SockOpt.SOL_SOCKET, io.inet4j.socket.SockOpt.SO_OOBINLINE, 1);
            c.t.injectUrgent(RPORT, LPORT, ACK | PSH, c.rcv, c.snd, ascii("abcXdef"), 4);
            byte[] buf = new byte[100];
            assertThat(recv(c.s, buf, io.inet4j.socket.MsgFlags.MSG_OOB)).isEqualTo(Errno.EINVAL.neg());
            assertThat(recv(c.s, buf, 0)).isEqualTo(3);
            assertThat(recv(c.s, buf, 0)).isEqualTo(4);
            assertThat(new String(buf, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("Xdef");
        }
    }

    @Test
    void disconnectForgetsOutOfOrderData() throws Exception {
        try (Conn c = new Conn()) {
            c.peerAt(c.rcv + 100, ACK, bytes(50));
            c.t.expect();
            assertThat(c.sk().ofoQueue.size()).isEqualTo(1);
            c.sk().prot.disconnect(c.sk(), 0);
            assertThat(c.sk().ofoQueue.size()).as("tcp_disconnect purges out_of_order_queue").isZero();
        }
    }

    @Test
    void afterThePeersFinAResetAtTheFinsSequenceStillResets() throws Exception {
        try (Conn c = new Conn()) {
            c.peer(ACK | FIN, null);
            c.t.expect();
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE_WAIT);
            // tcp_reset_check: the peer's RST may carry the sequence number of its FIN (rcv_nxt - 1).
            c.peer(RST, null);
            assertThat(c.sk().state).isEqualTo(TcpState.CLOSE);
            assertThat(StreamSockets.read(c.s, new byte[10], 0, 10)).isEqualTo(Errno.EPIPE.neg());
        }
    }
}
