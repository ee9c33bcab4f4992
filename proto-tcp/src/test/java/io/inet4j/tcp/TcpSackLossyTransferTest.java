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
import io.inet4j.netdev.FaultSpec;
import io.inet4j.socket.Socket;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The same lossy transfer (4 MB, 3% of the frames lost each way, virtual clock) with SACK and, with
 * {@code tcp_sack} = 0 on the sender, with NewReno alone: both arrive intact; with SACK the sender repairs
 * several holes per round trip and falls back to timeouts far less, so it finishes sooner.
 */
class TcpSackLossyTransferTest {
    private static final int SIZE = 4 * 1024 * 1024;

    record Outcome(boolean intact, long endNanos, long timeouts, long sackRecoveries, long sackOkChild) {}

    @Test
    void sackRecoversFasterThanNewRenoOnTheSameLossyPath() throws Exception {
        Outcome sack = transfer(true);
        Outcome reno = transfer(false);
        assertThat(sack.intact()).isTrue();
        assertThat(reno.intact()).isTrue();
        assertThat(sack.sackOkChild()).isEqualTo(1);
        assertThat(reno.sackOkChild()).isEqualTo(0);
        assertThat(sack.sackRecoveries()).isGreaterThan(10);
        assertThat(reno.sackRecoveries()).isZero();
        assertThat(sack.timeouts()).as("RTOs with SACK vs without: %s vs %s", sack, reno).isLessThan(reno.timeouts());
        assertThat(sack.endNanos()).as("completion with SACK vs without: %s vs %s", sack, reno)
                .isLessThan(reno.endNanos());
    }

    private static Outcome transfer(boolean sackOn) throws Exception {
        FaultSpec faults = FaultSpec.parse("loss=0.03,seed=5");
        try (TwoStacks t = new TwoStacks(1500, faults)) {
            t.a.net().sysctls().set("net.ipv4.tcp_sack", sackOn ? "1" : "0");
            // The comparison is of loss recovery; reno keeps the window arithmetic out of it.
            t.a.net().sysctls().set("net.ipv4.tcp_congestion_control", "reno");
            Socket l = listener(t.b, 5001, 8);
            Socket c = socket(t.a);
            connect(c, TwoStacks.B, 5001);
            assertThat(t.runUntil(30, () -> c.sk.state == TcpState.ESTABLISHED)).isTrue();
            Socket[] s = new Socket[1];
            assertThat(t.runUntil(30, () -> (s[0] = accept(l)) != null)).isTrue();
            long start = t.loop.clock().nanoTime();
            MessageDigest out = MessageDigest.getInstance("SHA-256");
            MessageDigest in = MessageDigest.getInstance("SHA-256");
            SplittableRandom rnd = new SplittableRandom(7);
            byte[] chunk = new byte[64 * 1024];
            byte[] buf = new byte[64 * 1024];
            int[] sent = {0};
            int[] pending = {0};
            int[] chunkLen = {0};
            long[] got = {0};
            boolean ok = t.runUntil(600, () -> {
                while (sent[0] < SIZE) {
                    if (pending[0] == 0) {
                        int n = Math.min(chunk.length, SIZE - sent[0]);
                        rnd.nextBytes(chunk);
                        out.update(chunk, 0, n);
                        pending[0] = n;
                        chunkLen[0] = n;
                    }
                    int w = write(c, chunk, chunkLen[0] - pending[0], pending[0]);
                    if (w <= 0) break;
                    pending[0] -= w;
                    sent[0] += w;
                }
                int r;
                while ((r = read(s[0], buf, 0, buf.length)) > 0) {
                    in.update(buf, 0, r);
                    got[0] += r;
                }
                return got[0] == SIZE;
            });
            assertThat(ok).as("transfer finished; got " + got[0]).isTrue();
            var ext = t.a.net().mibs().tcpExt;
            return new Outcome(MessageDigest.isEqual(out.digest(), in.digest()), t.loop.clock().nanoTime() - start,
                    ext.get(TcpExtMib.TCPTimeouts), ext.get(TcpExtMib.TCPSackRecovery),
                    ((TcpSock) s[0].sk).rxOpt.sackOk ? 1 : 0);
        }
    }
}
