package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SO_BUSY_POLL and {@code net.core.busy_read}: a blocking read spins on its socket for the given microseconds
 * before it sleeps; the option reads back what was set, refuses a negative value as Linux does (EINVAL), takes its
 * default from the sysctl, and an accepted connection inherits its listener's.
 */
@Timeout(60)
class BusyPollTest {
    private final ThreadedStacks t = new ThreadedStacks(b -> b.sysctl("net.core.busy_read", "7"));

    @AfterEach
    void tearDown() { t.close(); }

    @Test
    void theOptionReadsBackTakesTheSysctlAsDefaultAndRefusesNegativeValues() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(7); InetSocket c = t.a.socket()) {
            assertThat(c.getOption(InetSocketOptions.SO_BUSY_POLL)).as("busy_read").isEqualTo(7);
            c.setOption(InetSocketOptions.SO_BUSY_POLL, 50);
            assertThat(c.getOption(InetSocketOptions.SO_BUSY_POLL)).isEqualTo(50);
            assertThatThrownBy(() -> c.setOption(InetSocketOptions.SO_BUSY_POLL, -1))
                    .isInstanceOf(SocketException.class).hasMessageContaining("Invalid argument");
            server.setOption(InetSocketOptions.SO_BUSY_POLL, 33);
            c.connect(new InetSocketAddress(TwoStacks.B, 7), 2000);
            try (InetSocket s = server.accept()) {
                assertThat(s.getOption(InetSocketOptions.SO_BUSY_POLL)).as("the listener's, as sk_clone copies it")
                        .isEqualTo(33);
            }
        }
    }

    @Test
    void aBlockingReadWithBusyPollSpinsInsteadOfSleeping() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(7); InetSocket c = t.a.socket()) {
            c.connect(new InetSocketAddress(TwoStacks.B, 7), 2000);
            try (InetSocket s = server.accept()) {
                s.setOption(InetSocketOptions.SO_BUSY_POLL, 0);
                assertThat(readerStateWhileWaiting(s, c)).as("without busy poll the reader sleeps")
                        .isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
                s.setOption(InetSocketOptions.SO_BUSY_POLL, 5_000_000);
                assertThat(readerStateWhileWaiting(s, c)).as("with 5 s of busy poll it spins")
                        .isEqualTo(Thread.State.RUNNABLE);
            }
        }
    }

    /** Starts a reader on {@code s}, samples its state once it has waited a while, then sends it a byte from {@code peer}. */
    private static Thread.State readerStateWhileWaiting(InetSocket s, InetSocket peer) throws Exception {
        CompletableFuture<Integer> got = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                got.complete(s.getInputStream().read());
            } catch (Exception e) {
                got.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(200); // the reader found nothing and waits, one way or the other
        Thread.State state = reader.getState();
        peer.getOutputStream().write(42);
        assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        return state;
    }
}
