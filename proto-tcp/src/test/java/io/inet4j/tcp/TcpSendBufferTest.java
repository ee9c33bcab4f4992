package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.SockOpt;
import io.inet4j.socket.Socket;
import io.inet4j.socket.TcpInfo;
import org.junit.jupiter.api.Test;

/**
 * The send buffer as Linux sizes it (issue 7, defect 11): {@code tcp_init_buffer_space} when a connection is
 * established, active or accepted, then {@code tcp_new_space} / {@code tcp_sndbuf_expand} whenever an ACK frees
 * space a writer waits for while cwnd has room, within {@code tcp_wmem[2]}; SO_SNDBUF fixes it.
 */
class TcpSendBufferTest {
    private static final int LPORT = 80;
    private static final int RPORT = 40000;
    private static final int PEER_ISN = 1000;
    private static final int MSS = 1460;

    /** An accepted connection from a peer offering {@code window} with MSS 1460; {@code sndbuf} > 0 sets SO_SNDBUF on the listener. */
    private static TcpSock accepted(TcpScenario t, int sndbuf) throws Exception {
        Socket l = StreamSockets.listener(t.stack, LPORT, 8);
        if (sndbuf > 0) l.ops.setsockopt(l, SockOpt.SOL_SOCKET, SockOpt.SO_SNDBUF, sndbuf);
        t.inject(RPORT, LPORT, SYN, PEER_ISN, 0, 65535, null, MSS);
        int snd = t.expect().seq() + 1;
        t.inject(RPORT, LPORT, ACK, PEER_ISN + 1, snd, 65535, null, 0);
        return (TcpSock) StreamSockets.accept(l).sk;
    }

    /**
     * One round trip of a bulk sender: the application writes until the buffer is full, the peer acknowledges all
     * that went out. Returns the bytes acknowledged.
     */
    private static int round(TcpScenario t, TcpSock tp) {
        Socket s = tp.socket;
        byte[] chunk = new byte[64 * 1024];
        while (StreamSockets.write(s, chunk, 0, chunk.length) > 0) {
            // fill the buffer
        }
        int una = tp.sndUna;
        int end = una;
        for (TcpScenario.Seg seg; (seg = t.expect(0.01)) != null; ) end = seg.seq() + seg.len();
        t.run(0.05);
        t.inject(RPORT, LPORT, ACK, PEER_ISN + 1, end, 65535, null, 0);
        return end - una;
    }

    @Test
    void anAcceptedConnectionsSendBufferFitsTheInitialWindowAndGrowsWithCwnd() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSock tp = accepted(t, 0);
            // tcp_init_buffer_space: two initial windows of full segments, more than tcp_wmem[1].
            assertThat(tp.sndbuf).isEqualTo(2 * Tcp.TCP_INIT_CWND * MSS);
            int last = 0;
            for (int i = 0; i < 6; i++) last = round(t, tp);
            // Slow start doubled cwnd each round trip and the buffer followed: a round trip now carries the peer's
            // whole window (44 segments of 65535), not the 16 KiB of tcp_wmem[1].
            assertThat(tp.sndbuf).isEqualTo(2 * tp.sndCwnd * MSS).isGreaterThan(100_000);
            assertThat(last).isEqualTo(65535 / MSS * MSS);
            assertThat(TcpInfoTest.info(tp.socket).get(TcpInfo.Field.TCPI_SNDBUF_LIMITED))
                    .as("data always waited behind cwnd: never limited by the buffer").isZero();
        }
    }

    @Test
    void theBufferNeverGrowsPastTcpWmemMax() throws Exception {
        try (TcpScenario t = new TcpScenario(b -> b.sysctl("net.ipv4.tcp_wmem", "4096 16384 40000"))) {
            TcpSock tp = accepted(t, 0);
            for (int i = 0; i < 6; i++) round(t, tp);
            assertThat(tp.sndbuf).isEqualTo(40000);
        }
    }

    @Test
    void soSndbufOnTheListenerFixesTheAcceptedConnectionsBuffer() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSock tp = accepted(t, 10000);
            assertThat(tp.sndbuf).isEqualTo(20000);
            for (int i = 0; i < 6; i++) assertThat(round(t, tp)).isLessThanOrEqualTo(20000);
            assertThat(tp.sndbuf).isEqualTo(20000);
            // Slow start counts as cwnd-limited while cwnd < twice the most in flight (tcp_is_cwnd_limited): three
            // round trips grow it from 10 to 34 segments past the buffer's 14; in each round trip after that the
            // buffer, not cwnd, held the writer back until the ACK (tcp_chrono, SNDBUF_LIMITED).
            TcpInfo i = TcpInfoTest.info(tp.socket);
            assertThat(tp.sndCwnd).isGreaterThanOrEqualTo(2 * tp.maxPacketsOut);
            assertThat(i.get(TcpInfo.Field.TCPI_SNDBUF_LIMITED)).isGreaterThanOrEqualTo(3 * 50_000L);
            assertThat(i.get(TcpInfo.Field.TCPI_BUSY_TIME)).isGreaterThanOrEqualTo(i.get(TcpInfo.Field.TCPI_SNDBUF_LIMITED));
        }
    }
}
