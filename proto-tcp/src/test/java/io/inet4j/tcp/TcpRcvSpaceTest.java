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
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.Socket;
import io.inet4j.socket.TcpInfo;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Receive-buffer auto-tuning (tcp_rcv_space_adjust) on the virtual clock: a receiver that starts from a 16 KiB
 * buffer (tcp_rmem[1]) and reads at once, 20 ms from its sender, grows the buffer as the sender's slow start
 * delivers more per round trip, and the window it advertises follows up to the 64 KiB an unscaled window carries;
 * SO_RCVBUF or tcp_moderate_rcvbuf = 0 keep the buffer where it was.
 */
class TcpRcvSpaceTest {
    private static final int SIZE = 2_000_000;

    /** What the receiving socket showed: its buffer and largest advertised window, and its final TCP_INFO. */
    record Run(int rcvbufBefore, int rcvbufAfter, int maxWindow, int firstWindow, TcpInfo info) {}

    private static Run transfer(Consumer<TwoStacks> setup, Consumer<Socket> listenerSetup) throws Exception {
        try (TwoStacks t = new TwoStacks(1500, FaultSpec.parse("delay=10ms"))) {
            t.b.net().sysctls().set("net.ipv4.tcp_rmem", "4096 16384 6291456");
            setup.accept(t);
            Socket l = listener(t.b, 5001, 8);
            listenerSetup.accept(l);
            Socket c = socket(t.a);
            connect(c, TwoStacks.B, 5001);
            Socket[] s = new Socket[1];
            assertThat(t.runUntil(5, () -> (s[0] = accept(l)) != null)).isTrue();
            TcpSock rx = (TcpSock) s[0].sk;
            int before = rx.rcvbuf;
            int first = rx.rcvWnd;
            byte[] data = new byte[64 * 1024];
            byte[] buf = new byte[256 * 1024];
            int[] sent = {0};
            long[] got = {0};
            int[] maxWnd = {0};
            assertThat(t.runUntil(60, () -> {
                int w;
                while (sent[0] < SIZE && (w = write(c, data, 0, Math.min(data.length, SIZE - sent[0]))) > 0) sent[0] += w;
                int r;
                while ((r = read(s[0], buf, 0, buf.length)) > 0) got[0] += r;
                maxWnd[0] = Math.max(maxWnd[0], rx.rcvWnd);
                return got[0] == SIZE;
            })).isTrue();
            byte[] info = new byte[TcpInfo.SIZE];
            int len = s[0].ops.getsockopt(s[0], SockOpt.SOL_TCP, SockOpt.TCP_INFO, info);
            return new Run(before, rx.rcvbuf, maxWnd[0], first, TcpInfo.of(info, len));
        }
    }

    @Test
    void theBufferGrowsAndTheWindowFollows() throws Exception {
        Run r = transfer(t -> {}, l -> {});
        assertThat(r.rcvbufBefore()).isEqualTo(16384);
        // Half the buffer in whole segments of 1448 bytes (1460 less the timestamp option): five.
        assertThat(r.firstWindow()).as("the window the 16 KiB buffer offers at first").isEqualTo(7240);
        assertThat(r.rcvbufAfter()).as("grown towards tcp_rmem[2]").isGreaterThan(4 * 65536);
        assertThat(r.maxWindow()).as("the advertised window followed, up to the unscaled cap").isGreaterThan(60000);
        assertThat(r.info().get(TcpInfo.Field.TCPI_RCV_RTT)).as("the receiver's RTT estimate, microseconds")
                .isBetween(20_000L, 40_000L);
        assertThat(r.info().get(TcpInfo.Field.TCPI_RCV_SPACE)).as("bytes read per RTT").isGreaterThan(14600);
    }

    @Test
    void soRcvbufFixesTheBuffer() throws Exception {
        Run r = transfer(t -> {}, l -> l.ops.setsockopt(l, SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF, 8192));
        assertThat(r.rcvbufBefore()).isEqualTo(16384);
        assertThat(r.rcvbufAfter()).isEqualTo(16384);
        assertThat(r.maxWindow()).isLessThanOrEqualTo(8192);
    }

    @Test
    void moderateRcvbufOffFixesTheBuffer() throws Exception {
        Run r = transfer(t -> t.b.net().sysctls().set("net.ipv4.tcp_moderate_rcvbuf", "0"), l -> {});
        assertThat(r.rcvbufAfter()).isEqualTo(16384);
        assertThat(r.maxWindow()).isLessThanOrEqualTo(8192);
        assertThat(r.info().get(TcpInfo.Field.TCPI_RCV_RTT)).as("still measured").isPositive();
    }

    @Test
    void queuesThatOutgrowAnUnfixedBufferGrowItFirst() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket c = socket(t.stack);
            TcpScenario.Seg syn = t.activeOpen(c, 80);
            TcpSock tp = (TcpSock) c.sk;
            int before = tp.rcvbuf;
            // Out-of-order runts, each pinning a whole buffer: far more memory than data (tcp_clamp_window's case).
            for (int i = 1; tp.rmemAlloc <= before; i++) {
                t.inject(80, syn.sport(), io.inet4j.tcp.wire.TcpHeader.ACK, 101 + 20 * i, syn.seq() + 1, new byte[10]);
            }
            t.inject(80, syn.sport(), io.inet4j.tcp.wire.TcpHeader.ACK, 101 + 20 * 1000, syn.seq() + 1, new byte[10]);
            assertThat(tp.rcvbuf).as("grown to what the queues pin").isGreaterThan(before);
            assertThat(t.stack.net().mibs().tcpExt.get(io.inet4j.mib.TcpExtMib.TCPOFODrop)).isZero();
        }
    }
}
