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
import io.inet4j.netdev.FaultSpec;
import io.inet4j.socket.Socket;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * 20 MB through a wire that loses, duplicates and reorders 5% of the frames in each direction: the bytes
 * arrive intact (same SHA-256), and the same seed replays the same run to the same virtual nanosecond.
 */
class TcpLossyTransferTest {
    private static final int SIZE = 20 * 1024 * 1024;

    record Outcome(byte[] sent, byte[] received, long endNanos, long retrans) {}

    @Test
    void twentyMegabytesArriveIntactAndTheRunIsDeterministic() throws Exception {
        Outcome first = transfer(11);
        assertThat(first.received()).isEqualTo(first.sent());
        assertThat(first.retrans()).isGreaterThan(100);
        Outcome again = transfer(11);
        assertThat(again.endNanos()).isEqualTo(first.endNanos());
        assertThat(again.retrans()).isEqualTo(first.retrans());
    }

    private static Outcome transfer(long seed) throws Exception {
        FaultSpec faults = FaultSpec.parse("loss=0.05,dup=0.05,reorder=0.05,seed=" + seed);
        try (TwoStacks t = new TwoStacks(1500, faults)) {
            Socket l = listener(t.b, 5001, 8);
            Socket c = socket(t.a);
            connect(c, TwoStacks.B, 5001);
            assertThat(t.runUntil(30, () -> c.sk.state == TcpState.ESTABLISHED)).isTrue();
            Socket[] s = new Socket[1];
            assertThat(t.runUntil(30, () -> (s[0] = accept(l)) != null)).isTrue();
            MessageDigest out = MessageDigest.getInstance("SHA-256");
            MessageDigest in = MessageDigest.getInstance("SHA-256");
            SplittableRandom rnd = new SplittableRandom(seed);
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
                    int off = chunkLen[0] - pending[0];
                    int w = write(c, chunk, off, pending[0]);
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
            return new Outcome(out.digest(), in.digest(), t.loop.clock().nanoTime(),
                    t.a.net().mibs().tcp.get(TcpMib.RetransSegs));
        }
    }
}
