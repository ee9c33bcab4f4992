package io.inet4j.tcp;

import static io.inet4j.tcp.StreamSockets.accept;
import static io.inet4j.tcp.StreamSockets.connect;
import static io.inet4j.tcp.StreamSockets.listener;
import static io.inet4j.tcp.StreamSockets.read;
import static io.inet4j.tcp.StreamSockets.socket;
import static io.inet4j.tcp.StreamSockets.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.netdev.FaultSpec;
import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/**
 * tcp_slow_start_after_idle (tcp_cwnd_restart): after a transfer grew cwnd, two seconds of idleness (many RTOs)
 * bring it back to the initial window at the next write, unless the sysctl is 0.
 */
class TcpCwndRestartTest {
    /** cwnd before and just after the write that follows the idle time. */
    private static int[] cwndAroundIdleWrite(String sysctl) throws Exception {
        try (TwoStacks t = new TwoStacks(1500, FaultSpec.parse("delay=5ms"))) {
            t.a.net().sysctls().set("net.ipv4.tcp_slow_start_after_idle", sysctl);
            Socket l = listener(t.b, 5001, 8);
            Socket c = socket(t.a);
            connect(c, TwoStacks.B, 5001);
            Socket[] s = new Socket[1];
            assertThat(t.runUntil(5, () -> (s[0] = accept(l)) != null)).isTrue();
            byte[] data = new byte[200_000];
            byte[] buf = new byte[65536];
            int[] sent = {0};
            long[] got = {0};
            assertThat(t.runUntil(30, () -> {
                int w;
                while (sent[0] < data.length && (w = write(c, data, sent[0], data.length - sent[0])) > 0) sent[0] += w;
                int r;
                while ((r = read(s[0], buf, 0, buf.length)) > 0) got[0] += r;
                return got[0] == data.length && ((TcpSock) c.sk).packetsOut == 0;
            })).isTrue();
            t.run(2);
            TcpSock tp = (TcpSock) c.sk;
            int before = tp.sndCwnd;
            write(c, data, 0, 1000);
            return new int[] {before, tp.sndCwnd};
        }
    }

    @Test
    void idlenessRestartsFromTheInitialWindow() throws Exception {
        int[] cwnd = cwndAroundIdleWrite("1");
        assertThat(cwnd[0]).isGreaterThan(2 * Tcp.TCP_INIT_CWND);
        assertThat(cwnd[1]).isEqualTo(Tcp.TCP_INIT_CWND);
    }

    @Test
    void offKeepsTheWindow() throws Exception {
        int[] cwnd = cwndAroundIdleWrite("0");
        assertThat(cwnd[1]).isEqualTo(cwnd[0]).isGreaterThan(2 * Tcp.TCP_INIT_CWND);
    }
}
