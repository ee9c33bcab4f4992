package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.inet4j.socket.Socket;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded garbage at TCP: random flags, sequence numbers, windows, options and payloads aimed at a listener and
 * at live connections. Nothing throws out of the receive path, no buffer leaks, and a connection the garbage
 * did not hit by luck still carries data afterwards.
 */
class TcpRandomSegmentsTest {
    @Test
    void randomSegmentsNeverThrowOrLeak() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket l = StreamSockets.listener(t.stack, 80, 64);
            // One live connection with a peer we keep honest.
            t.inject(50000, 80, SYN, 1000, 0, 65535, null, 1460);
            TcpScenario.Seg synAck = t.expect();
            t.inject(50000, 80, ACK, 1001, synAck.seq() + 1, null);
            Socket live = StreamSockets.accept(l);
            long outstanding = t.stack.net().pool().outstanding();
            SplittableRandom rnd = new SplittableRandom(99);
            assertThatCode(() -> {
                for (int i = 0; i < 30_000; i++) {
                    int sport = 40000 + rnd.nextInt(8);
                    int dport = rnd.nextInt(4) == 0 ? 80 : rnd.nextInt(4) == 0 ? 81 : 80;
                    byte[] payload = rnd.nextInt(3) == 0 ? null : new byte[rnd.nextInt(1400)];
                    if (payload != null) rnd.nextBytes(payload);
                    t.inject(sport, dport, rnd.nextInt(256), rnd.nextInt(), rnd.nextInt(), rnd.nextInt(65536),
                            payload, rnd.nextInt(3) == 0 ? rnd.nextInt(65536) : 0);
                    if (i % 500 == 0) t.run(0.3);
                }
            }).doesNotThrowAnyException();
            // The honest connection still works.
            t.run(5);
            while (t.expect() != null) {
                // drain what the garbage provoked
            }
            t.inject(50000, 80, ACK, 1001, synAck.seq() + 1, "still here".getBytes());
            byte[] buf = new byte[32];
            t.run(0.1);
            assertThat(StreamSockets.read(live, buf, 0, 32)).isEqualTo(10);
            live.ops.release(live);
            l.ops.release(l);
            t.run(300); // an orphan with data out gives up after tcp_orphan_retries (8) backoffs from its RTO
            assertThat(t.stack.net().pool().outstanding()).isLessThanOrEqualTo(outstanding);
            assertThat(t.tcp().sockets()).isEmpty();
        }
    }
}
