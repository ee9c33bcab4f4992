package io.inet4j.tcp;

import static io.inet4j.tcp.StreamSockets.accept;
import static io.inet4j.tcp.StreamSockets.connect;
import static io.inet4j.tcp.StreamSockets.listener;
import static io.inet4j.tcp.StreamSockets.read;
import static io.inet4j.tcp.StreamSockets.socket;
import static io.inet4j.tcp.StreamSockets.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.TcpMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.Socket;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Two stacks on a simulated wire: handshake, data both ways, orderly close, no socket left behind. */
class TcpHandshakeDataCloseTest {
    @Test
    void connectTransferAndCloseBothOrders() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket l = listener(t.b, 80, 16);
            Socket c = socket(t.a);
            assertThat(connect(c, TwoStacks.B, 80)).isEqualTo(Errno.EINPROGRESS.neg());
            assertThat(connect(c, TwoStacks.B, 80)).isEqualTo(Errno.EALREADY.neg());
            assertThat(t.runUntil(1, () -> c.sk.state == TcpState.ESTABLISHED)).isTrue();
            assertThat(connect(c, TwoStacks.B, 80)).isZero();
            assertThat(connect(c, TwoStacks.B, 80)).isEqualTo(Errno.EISCONN.neg());
            t.run(0.01);
            Socket s = accept(l);
            assertThat(s).isNotNull();
            assertThat(accept(l)).isNull();

            byte[] data = new byte[300_000];
            new SplittableRandom(5).nextBytes(data);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int[] sent = {0};
            byte[] buf = new byte[65536];
            assertThat(t.runUntil(30, () -> {
                if (sent[0] < data.length) {
                    int n = write(c, data, sent[0], data.length - sent[0]);
                    if (n > 0) sent[0] += n;
                }
                int r = read(s, buf, 0, buf.length);
                if (r > 0) got.write(buf, 0, r);
                return got.size() == data.length;
            })).isTrue();
            assertThat(Arrays.equals(got.toByteArray(), data)).isTrue();

            // The server answers and closes first: it ends in TIME_WAIT, the client in CLOSE.
            assertThat(write(s, "bye".getBytes(), 0, 3)).isEqualTo(3);
            s.ops.release(s);
            byte[] three = new byte[10];
            assertThat(t.runUntil(1, () -> read(c, three, 0, 10) == 3)).isTrue();
            assertThat(t.runUntil(1, () -> read(c, three, 0, 10) == 0)).isTrue();
            c.ops.release(c);
            t.run(1);
            assertThat(Tcp.of(t.a.inet()).sockets()).isEmpty();
            assertThat(Tcp.of(t.b.inet()).sockets()).containsExactly((TcpSock) l.sk);
            assertThat(Tcp.of(t.b.inet()).timewaitCount()).isEqualTo(1);
            t.run(61);
            assertThat(Tcp.of(t.b.inet()).timewaitCount()).isZero();
            assertThat(t.a.net().mibs().tcp.get(TcpMib.ActiveOpens)).isEqualTo(1);
            assertThat(t.b.net().mibs().tcp.get(TcpMib.PassiveOpens)).isEqualTo(1);
            assertThat(t.a.net().mibs().tcp.get(TcpMib.CurrEstab)).isZero();
            assertThat(t.b.net().mibs().tcp.get(TcpMib.CurrEstab)).isZero();
        }
    }

    @Test
    void connectToClosedPortIsRefused() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket c = socket(t.a);
            assertThat(connect(c, TwoStacks.B, 81)).isEqualTo(Errno.EINPROGRESS.neg());
            assertThat(t.runUntil(1, () -> c.sk.state == TcpState.CLOSE)).isTrue();
            assertThat(connect(c, TwoStacks.B, 81)).isEqualTo(Errno.ECONNREFUSED.neg());
            assertThat(t.b.net().mibs().tcp.get(TcpMib.OutRsts)).isEqualTo(1);
            assertThat(t.a.net().mibs().tcp.get(TcpMib.AttemptFails)).isEqualTo(1);
        }
    }
}
