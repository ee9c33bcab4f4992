package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.mib.TcpMib;
import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/**
 * F-RTO's counters ({@link TcpFrto}; the wire behaviour is in the frto-*.pkt scripts): a timeout that data never
 * retransmitted shows spurious counts TCPSpuriousRTOs with its TCPLossUndo; a real one, or F-RTO off, neither.
 */
class TcpFrtoTest {
    private static final int MSS = 1000;
    private static final int PEER_ISN = 1000;

    /** Ten segments out, the timeout's retransmission of the head, then the peer's ACK of the head. */
    private static final class Conn implements AutoCloseable {
        final TcpScenario t = new TcpScenario();
        final int una;

        Conn(int frto) throws Exception {
            t.stack.net().sysctls().set("net.ipv4.tcp_frto", Integer.toString(frto));
            t.stack.net().sysctls().set("net.ipv4.tcp_congestion_control", "reno");
            Socket l = StreamSockets.listener(t.stack, 80, 8);
            t.inject(40000, 80, SYN, PEER_ISN, 0, 65535, null, MSS);
            una = t.expect().seq() + 1;
            ack(una);
            Socket s = StreamSockets.accept(l);
            StreamSockets.write(s, new byte[15 * MSS], 0, 15 * MSS);
            for (int i = 0; i < 10; i++) assertThat(t.expect()).isNotNull();
            assertThat(t.expect(1).seq()).as("the timeout's retransmission").isEqualTo(una);
            ack(una + MSS);
        }

        void ack(int ack) { t.inject(40000, 80, ACK, PEER_ISN + 1, ack, 65535, null, 0); }

        long ext(TcpExtMib m) { return t.stack.net().mibs().tcpExt.get(m); }

        @Override
        public void close() { t.close(); }
    }

    @Test
    void aTimeoutShownSpuriousByOriginalDataIsCountedAndUndone() throws Exception {
        try (Conn c = new Conn(2)) {
            assertThat(c.t.expect().seq()).as("step 2b: new data").isEqualTo(c.una + 10 * MSS);
            c.ack(c.una + 3 * MSS);
            assertThat(c.ext(TcpExtMib.TCPSpuriousRTOs)).isEqualTo(1);
            assertThat(c.ext(TcpExtMib.TCPLossUndo)).isEqualTo(1);
            assertThat(c.t.stack.net().mibs().tcp.get(TcpMib.RetransSegs)).isEqualTo(1);
        }
    }

    @Test
    void aRealLossIsNotUndone() throws Exception {
        try (Conn c = new Conn(2)) {
            assertThat(c.t.expect().seq()).as("step 2b: new data").isEqualTo(c.una + 10 * MSS);
            assertThat(c.t.expect().seq()).as("step 2b: new data").isEqualTo(c.una + 11 * MSS);
            c.ack(c.una + MSS);
            assertThat(c.t.expect().seq()).as("step 3a: go-back-N").isEqualTo(c.una + MSS);
            c.ack(c.una + 3 * MSS);
            assertThat(c.ext(TcpExtMib.TCPSpuriousRTOs)).isZero();
            assertThat(c.ext(TcpExtMib.TCPLossUndo)).isZero();
        }
    }

    @Test
    void withFrtoOffTheSameAcksUndoNothing() throws Exception {
        try (Conn c = new Conn(0)) {
            assertThat(c.t.expect().seq()).as("go-back-N").isEqualTo(c.una + MSS);
            c.ack(c.una + 3 * MSS);
            assertThat(c.ext(TcpExtMib.TCPSpuriousRTOs)).isZero();
            assertThat(c.ext(TcpExtMib.TCPLossUndo)).isZero();
        }
    }
}
