package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import java.time.Duration;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SO_LINGER with a positive time: close waits for the FIN to be acknowledged, at most that long. */
class InetSocketLingerTest {
    // The tests cut the wire; the lingering close is what they time, not the stack's own drain at close.
    private final ThreadedStacks t = new ThreadedStacks(b -> b.closeTimeout(Duration.ZERO));

    @AfterEach
    void close() { t.close(); }

    @Test
    void closeReturnsOnceThePeerAcknowledgedTheFin() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80); InetSocket c = t.a.socket()) {
            c.connect(TwoStacks.B, 80, 2000);
            InetSocket s = server.accept();
            FutureTask<byte[]> reader = new FutureTask<>(() -> s.getInputStream().readAllBytes());
            new Thread(reader, "reader").start();
            c.getOutputStream().write(new byte[100_000]);
            c.setSoLinger(true, 5);
            long t0 = System.nanoTime();
            c.close();
            assertThat(System.nanoTime() - t0).isLessThan(4_000_000_000L);
            assertThat(reader.get(5, TimeUnit.SECONDS)).hasSize(100_000);
            s.close();
        }
    }

    @Test
    void closeGivesUpAfterTheLingerTimeWhenThePeerIsGone() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80); InetSocket c = t.a.socket()) {
            c.connect(TwoStacks.B, 80, 2000);
            server.accept();
            t.b.call(() -> {
                t.b.device("veth-b").close();
                return null;
            });
            c.setSoLinger(true, 1);
            long t0 = System.nanoTime();
            c.close();
            assertThat(System.nanoTime() - t0).isBetween(900_000_000L, 3_000_000_000L);
        }
    }
}
