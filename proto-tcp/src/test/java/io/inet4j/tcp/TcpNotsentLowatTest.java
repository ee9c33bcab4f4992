package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/**
 * TCP_NOTSENT_LOWAT and {@code tcp_notsent_lowat} ({@code __tcp_stream_memory_free}): a write stops starting new
 * segments once the unsent bytes reach the mark, and poll and the writer's wakeup wait until they are below half
 * of it. The peer's window of two segments keeps the rest unsent.
 */
class TcpNotsentLowatTest {
    private static final int LPORT = 80;
    private static final int RPORT = 40000;
    private static final int PEER_ISN = 1000;
    private static final int MSS = 1460;
    private static final int WINDOW = 2 * MSS;

    private static TcpSock accepted(TcpScenario t) throws Exception {
        Socket l = StreamSockets.listener(t.stack, LPORT, 8);
        t.inject(RPORT, LPORT, SYN, PEER_ISN, 0, WINDOW, null, MSS);
        int snd = t.expect().seq() + 1;
        t.inject(RPORT, LPORT, ACK, PEER_ISN + 1, snd, WINDOW, null, 0);
        return (TcpSock) StreamSockets.accept(l).sk;
    }

    private static boolean writable(TcpSock tp) { return (tp.prot.poll(tp) & PollEvents.POLLOUT) != 0; }

    private static int writeAll(TcpSock tp) {
        byte[] chunk = new byte[100_000];
        return StreamSockets.write(tp.socket, chunk, 0, chunk.length);
    }

    /** Acknowledges everything sent so far, with the same two-segment window. */
    private static void ackAll(TcpScenario t, TcpSock tp) {
        t.inject(RPORT, LPORT, ACK, PEER_ISN + 1, tp.sndNxt, WINDOW, null, 0);
    }

    @Test
    void unsentBytesHoldWritesPollAndTheWakeupBackUntilBelowHalfTheMark() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSock tp = accepted(t);
            Socket s = tp.socket;
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_NOTSENT_LOWAT, 5000)).isZero();
            int[] v = new int[1];
            s.ops.getsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_NOTSENT_LOWAT, v);
            assertThat(v[0]).isEqualTo(5000);
            // New segments while fewer than 5000 bytes are unsent: four, two of them sent, then two more.
            assertThat(writeAll(tp)).isEqualTo(6 * MSS);
            assertThat(tp.writeSeq - tp.sndNxt).isEqualTo(4 * MSS);
            assertThat(tp.nospace).isTrue();
            assertThat(writable(tp)).isFalse();
            ackAll(t, tp); // two more go: 2920 unsent, not below 2500
            assertThat(tp.writeSeq - tp.sndNxt).isEqualTo(2 * MSS);
            assertThat(tp.nospace).isTrue();
            assertThat(writable(tp)).isFalse();
            ackAll(t, tp); // the last two go: nothing unsent, the writer is woken
            assertThat(tp.writeSeq).isEqualTo(tp.sndNxt);
            assertThat(tp.nospace).isFalse();
            assertThat(writable(tp)).isTrue();
        }
    }

    @Test
    void theSysctlIsTheMarkOfSocketsWithoutTheOptionAndDefaultsToUintMax() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            assertThat(t.stack.net().sysctls().get("net.ipv4.tcp_notsent_lowat").asString()).isEqualTo("4294967295");
            TcpSock tp = accepted(t);
            // Without a mark only the send buffer stops the write.
            assertThat(writeAll(tp)).isEqualTo(tp.sndbuf);
        }
        try (TcpScenario t = new TcpScenario(b -> b.sysctl("net.ipv4.tcp_notsent_lowat", "5000"))) {
            TcpSock tp = accepted(t);
            assertThat(writeAll(tp)).isEqualTo(6 * MSS);
            assertThat(writable(tp)).isFalse();
        }
    }

    @Test
    void raisingTheMarkWakesAWriterItHeldBack() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSock tp = accepted(t);
            Socket s = tp.socket;
            s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_NOTSENT_LOWAT, 5000);
            writeAll(tp);
            assertThat(tp.nospace).isTrue();
            // do_tcp_setsockopt's sk_write_space: 5840 unsent bytes are below half of the new mark.
            s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_NOTSENT_LOWAT, 20000);
            assertThat(tp.nospace).isFalse();
            assertThat(writable(tp)).isTrue();
        }
    }
}
