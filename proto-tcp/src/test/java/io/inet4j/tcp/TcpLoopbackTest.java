package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.IpMib;
import io.inet4j.socket.Socket;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TCP over {@code lo} (MTU 65536) on a simulated loop (issue 7, item 19): the MSS follows from what IPv4 can
 * carry (65535 - 40, as {@code ipv4_mtu} and {@code ipv4_default_advmss} cap it), so writes larger than 64 KB to
 * 127.0.0.1 or to the stack's own address arrive instead of being refused by IP and retransmitted forever.
 */
class TcpLoopbackTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", TcpScenario.LOCAL})
    void aWriteLargerThanAnIpDatagramArrivesWhole(String addr) throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket l = StreamSockets.listener(t.stack, 80, 8);
            Socket c = StreamSockets.socket(t.stack);
            StreamSockets.connect(c, addr, 80);
            t.run(0.01);
            Socket s = StreamSockets.accept(l);
            assertThat(s).isNotNull();
            assertThat((int) ((TcpSock) c.sk).advmss).isEqualTo(65535 - 40);
            assertThat((int) ((TcpSock) s.sk).advmss).isEqualTo(65535 - 40);

            byte[] data = new byte[200_000];
            new SplittableRandom(1).nextBytes(data);
            byte[] got = new byte[data.length];
            int sent = 0;
            int read = 0;
            for (int round = 0; round < 1000 && read < data.length; round++) {
                if (sent < data.length) {
                    int n = StreamSockets.write(c, data, sent, data.length - sent);
                    if (n > 0) sent += n;
                }
                t.run(0.01);
                int n = StreamSockets.read(s, got, read, got.length - read);
                if (n > 0) read += n;
            }
            assertThat(read).isEqualTo(data.length);
            assertThat(Arrays.equals(got, data)).isTrue();
            assertThat(t.stack.net().mibs().ip.get(IpMib.OutDiscards)).isZero();
        }
    }
}
