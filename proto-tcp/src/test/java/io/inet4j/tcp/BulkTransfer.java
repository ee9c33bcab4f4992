package io.inet4j.tcp;

import static io.inet4j.tcp.StreamSockets.accept;
import static io.inet4j.tcp.StreamSockets.connect;
import static io.inet4j.tcp.StreamSockets.listener;
import static io.inet4j.tcp.StreamSockets.read;
import static io.inet4j.tcp.StreamSockets.socket;
import static io.inet4j.tcp.StreamSockets.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.Socket;
import java.security.MessageDigest;
import java.util.SplittableRandom;

/**
 * The bulk transfer the lossy tests share: a connection from stack a to a listener on b, then {@code size} seeded
 * random bytes written by a and read by b on the virtual clock, hashed on both sides.
 */
final class BulkTransfer {
    /**
     * SHA-256 of what a wrote and of what b read, the loop's time once the connection was accepted (the transfer's
     * start), and the accepted socket.
     */
    record Result(byte[] sent, byte[] received, long startNanos, Socket server) {
        boolean intact() { return MessageDigest.isEqual(sent, received); }
    }

    private BulkTransfer() {}

    static Result run(TwoStacks t, int size, long seed) throws Exception {
        Socket l = listener(t.b, 5001, 8);
        Socket c = socket(t.a);
        connect(c, TwoStacks.B, 5001);
        assertThat(t.runUntil(30, () -> c.sk.state == TcpState.ESTABLISHED)).isTrue();
        Socket[] s = new Socket[1];
        assertThat(t.runUntil(30, () -> (s[0] = accept(l)) != null)).isTrue();
        long start = t.loop.clock().nanoTime();
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
            while (sent[0] < size) {
                if (pending[0] == 0) {
                    int n = Math.min(chunk.length, size - sent[0]);
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
            return got[0] == size;
        });
        assertThat(ok).as("transfer finished; got " + got[0]).isTrue();
        return new Result(out.digest(), in.digest(), start, s[0]);
    }
}
