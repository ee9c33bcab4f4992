package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/** TIME_WAIT against a scripted peer: what a RST, a new SYN and stray segments do (tcp_timewait_state_process). */
class TcpTimewaitTest {
    private static final int LPORT = 80;
    private static final int RPORT = 40000;
    private static final int PEER_ISN = 1000;

    /** A connection the stack closed first, now in TIME_WAIT; {@code snd} and {@code rcv} are past the FINs. */
    private static final class Tw implements AutoCloseable {
        final TcpScenario t = new TcpScenario();
        final int lport;
        final int rport;
        int snd;
        int rcv;

        /** Accepted from the peer (a listener stays on the port), or connected to it. */
        Tw(boolean passive) throws Exception {
            Socket s;
            if (passive) {
                Socket l = StreamSockets.listener(t.stack, LPORT, 8);
                t.inject(RPORT, LPORT, SYN, PEER_ISN, 0, 65535, null, 1460);
                snd = t.expect().seq() + 1;
                t.inject(RPORT, LPORT, ACK, PEER_ISN + 1, snd, null);
                s = StreamSockets.accept(l);
                lport = LPORT;
                rport = RPORT;
                rcv = PEER_ISN + 1;
            } else {
                s = StreamSockets.socket(t.stack);
                TcpScenario.Seg syn = t.activeOpen(s, RPORT);
                snd = syn.seq() + 1;
                lport = syn.sport();
                rport = RPORT;
                rcv = 101;
            }
            s.ops.release(s);
            TcpScenario.Seg fin = t.expect();
            assertThat(fin.flags() & FIN).isEqualTo(FIN);
            snd++;
            peer(ACK | FIN, rcv, null);
            rcv++;
            assertThat(t.expect().ack()).isEqualTo(rcv);
            assertThat(t.tcp().timewaitCount()).isEqualTo(1);
        }

        void peer(int flags, int seq, byte[] data) { t.inject(rport, lport, flags, seq, snd, data); }

        @Override
        public void close() { t.close(); }
    }

    @Test
    void pastTcpMaxTwBucketsAClosingSocketGetsNoTimeWait() throws Exception {
        try (Tw tw = new Tw(true)) {
            tw.t.tcp().sysctls.maxTwBuckets.set("1");
            Socket l = StreamSockets.listener(tw.t.stack, LPORT + 1, 8);
            tw.t.inject(RPORT, LPORT + 1, SYN, PEER_ISN, 0, 65535, null, 1460);
            int snd = tw.t.expect().seq() + 1;
            tw.t.inject(RPORT, LPORT + 1, ACK, PEER_ISN + 1, snd, null);
            Socket s = StreamSockets.accept(l);
            TcpSock sk = (TcpSock) s.sk;
            s.ops.release(s);
            assertThat(tw.t.expect().flags()).isEqualTo(FIN | ACK);
            tw.t.inject(RPORT, LPORT + 1, FIN | ACK, PEER_ISN + 1, snd + 1, null);
            assertThat(tw.t.expect().ack()).as("the FIN is still acknowledged").isEqualTo(PEER_ISN + 2);
            assertThat(sk.state).isEqualTo(TcpState.CLOSE);
            assertThat(tw.t.tcp().timewaitCount()).isEqualTo(1);
            assertThat(tw.t.stack.net().mibs().tcpExt.get(io.inet4j.mib.TcpExtMib.TCPTimeWaitOverflow)).isEqualTo(1);
            assertThat(tw.t.tcp().sockets()).doesNotContain(sk);
            tw.t.inject(RPORT, LPORT + 1, FIN | ACK, PEER_ISN + 1, snd + 1, null);
            assertThat(tw.t.expect().flags()).as("nothing remembers the connection").isEqualTo(RST);
        }
    }

    @Test
    void onlyAResetAtRcvNxtEndsTimeWait() throws Exception {
        try (Tw tw = new Tw(true)) {
            tw.peer(RST, tw.rcv + 100, null);
            assertThat(tw.t.tcp().timewaitCount()).as("a blind RST is ignored").isEqualTo(1);
            assertThat(tw.t.silentFor(0.5)).isTrue();
            tw.peer(RST, tw.rcv, null);
            assertThat(tw.t.tcp().timewaitCount()).as("tcp_rfc1337 = 0: a valid RST kills it").isZero();
        }
    }

    @Test
    void anOutOfWindowAckIsAnsweredWithAnAck() throws Exception {
        try (Tw tw = new Tw(true)) {
            tw.peer(ACK, tw.rcv - 500, null);
            TcpScenario.Seg ack = tw.t.expect();
            assertThat(ack.flags()).isEqualTo(ACK);
            assertThat(ack.seq()).isEqualTo(tw.snd);
            assertThat(ack.ack()).isEqualTo(tw.rcv);
            tw.peer(ACK, tw.rcv, null);
            assertThat(tw.t.silentFor(0.5)).as("a bare ACK at rcv_nxt needs no answer").isTrue();
        }
    }

    @Test
    void aNewSynWithNoListenerIsAcknowledgedAndTimeWaitStays() throws Exception {
        try (Tw tw = new Tw(false)) {
            tw.t.inject(tw.rport, tw.lport, SYN, tw.rcv + 1000, 0, 65535, null, 1460);
            TcpScenario.Seg ack = tw.t.expect();
            assertThat(ack.flags()).as("tcp_v4_rcv: TCP_TW_SYN with no listener falls through to TCP_TW_ACK")
                    .isEqualTo(ACK);
            assertThat(ack.seq()).isEqualTo(tw.snd);
            assertThat(ack.ack()).isEqualTo(tw.rcv);
            assertThat(tw.t.tcp().timewaitCount()).isEqualTo(1);
        }
    }

    @Test
    void aNewSynReopensWithAnIsnAboveTheOldSndNxt() throws Exception {
        try (Tw tw = new Tw(true)) {
            tw.t.inject(RPORT, LPORT, SYN, tw.rcv + 1000, 0, 65535, null, 1460);
            TcpScenario.Seg synAck = tw.t.expect();
            assertThat(synAck.flags()).isEqualTo(SYN | ACK);
            assertThat(synAck.ack()).isEqualTo(tw.rcv + 1001);
            assertThat(synAck.seq()).as("tw_snd_nxt + 65535 + 2 (tcp_timewait_state_process)")
                    .isEqualTo(tw.snd + 65535 + 2);
            assertThat(tw.t.tcp().timewaitCount()).isZero();
        }
    }
}
