package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.netdev.InMemoryLink;
import io.inet4j.socket.Errno;
import io.inet4j.socket.LoopCall;
import io.inet4j.socket.Poll;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** poll() over several sockets of stacks on their own threads: sleeps until one is ready, reports only those. */
class PollTest {
    @Test
    void pollWakesForTheSocketThatBecameReady() throws Exception {
        InMemoryLink[] wire = InMemoryLink.pair("a0", "b0", 1500);
        try (InetStack a = InetStack.builder().name("a").link(wire[0], "10.1.0.1/24").build();
             InetStack b = InetStack.builder().name("b").link(wire[1], "10.1.0.2/24").build()) {
            Socket l = b.call(() -> {
                try {
                    return StreamSockets.listener(b, 7, 8);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int[] rev = new int[1];
            assertThat(Poll.poll(b.loop(), new Socket[] {l}, new int[] {PollEvents.POLLIN}, rev, 0)).isZero();

            Socket[] clients = new Socket[3];
            for (int i = 0; i < 3; i++) {
                Socket c = StreamSockets.socket(a);
                assertThat(LoopCall.call(a.loop(), () -> StreamSockets.connect(c, "10.1.0.2", 7)))
                        .isEqualTo(Errno.EINPROGRESS.neg());
                clients[i] = c;
            }
            assertThat(Poll.poll(b.loop(), new Socket[] {l}, new int[] {PollEvents.POLLIN}, rev,
                    TimeUnit.SECONDS.toNanos(5))).isEqualTo(1);
            assertThat(rev[0] & PollEvents.POLLIN).isNotZero();

            int[] out = new int[3];
            int[] want = {PollEvents.POLLOUT, PollEvents.POLLOUT, PollEvents.POLLOUT};
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Poll.poll(a.loop(), clients, want, out, TimeUnit.SECONDS.toNanos(1)) < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(out).containsOnly(PollEvents.POLLOUT);

            Socket[] accepted = new Socket[3];
            for (int i = 0; i < 3; i++) {
                Socket n = new Socket(l.type);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (LoopCall.call(b.loop(), () -> l.ops.accept(l, n, 0)) != 0 && System.nanoTime() < until) {
                    Poll.poll(b.loop(), new Socket[] {l}, new int[] {PollEvents.POLLIN}, rev, TimeUnit.SECONDS.toNanos(1));
                }
                accepted[i] = n;
            }
            int[] in = {PollEvents.POLLIN, PollEvents.POLLIN, PollEvents.POLLIN};
            assertThat(Poll.poll(b.loop(), accepted, in, out, TimeUnit.MILLISECONDS.toNanos(50))).isZero();

            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                LoopCall.call(a.loop(), () -> StreamSockets.write(clients[1], new byte[] {42}, 0, 1));
            });
            writer.start();
            long t0 = System.nanoTime();
            assertThat(Poll.poll(b.loop(), accepted, in, out, TimeUnit.SECONDS.toNanos(5))).isEqualTo(1);
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(4));
            writer.join();
            int ready = -1;
            for (int i = 0; i < 3; i++) if (out[i] != 0) ready = i;
            byte[] one = new byte[1];
            int r = LoopCall.call(b.loop(), () -> StreamSockets.read(accepted[0], one, 0, 1)) == 1 ? 0
                    : LoopCall.call(b.loop(), () -> StreamSockets.read(accepted[2], one, 0, 1)) == 1 ? 2 : 1;
            assertThat(ready).isEqualTo(r);
        }
    }
}
