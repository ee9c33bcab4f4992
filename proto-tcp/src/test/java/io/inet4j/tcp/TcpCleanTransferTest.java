package io.inet4j.tcp;

import static io.inet4j.tcp.StreamSockets.accept;
import static io.inet4j.tcp.StreamSockets.connect;
import static io.inet4j.tcp.StreamSockets.listener;
import static io.inet4j.tcp.StreamSockets.read;
import static io.inet4j.tcp.StreamSockets.socket;
import static io.inet4j.tcp.StreamSockets.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.mib.TcpMib;
import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/**
 * A megabyte between two stacks over a wire that loses nothing: not one segment is retransmitted. (A test's own
 * writes, made while the simulated loop checks its condition, once sat queued until the next timer, 200 ms of
 * virtual time later, and the first flight met its RTO: nine needless retransmissions.)
 */
class TcpCleanTransferTest {
    @Test
    void aMegabyteOverACleanWireIsNeverRetransmitted() throws Exception {
        int size = 1 << 20;
        try (TwoStacks t = new TwoStacks()) {
            Socket l = listener(t.b, 5001, 8);
            Socket c = socket(t.a);
            connect(c, TwoStacks.B, 5001);
            Socket[] s = new Socket[1];
            assertThat(t.runUntil(5, () -> (s[0] = accept(l)) != null)).isTrue();
            byte[] buf = new byte[16 * 1024];
            long[] sent = {0};
            long[] got = {0};
            boolean done = t.runUntil(60, () -> {
                int w;
                while (sent[0] < size && (w = write(c, buf, 0, (int) Math.min(buf.length, size - sent[0]))) > 0) sent[0] += w;
                int r;
                while ((r = read(s[0], buf, 0, 3000)) > 0) got[0] += r;
                return got[0] == size;
            });
            assertThat(done).isTrue();
            assertThat(t.a.net().mibs().tcp.get(TcpMib.RetransSegs)).isZero();
            assertThat(t.a.net().mibs().tcpExt.get(TcpExtMib.TCPFastRetrans)).isZero();
        }
    }
}
