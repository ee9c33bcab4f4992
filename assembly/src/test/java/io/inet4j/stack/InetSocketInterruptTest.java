package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.Errno;
import io.inet4j.socket.PollEvents;
import io.inet4j.tcp.Tcp;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interrupts never lose what a call already did (issue 7, item 6): a read that took bytes returns them, an accept
 * that took a connection returns it, a write reports how much it queued. The races are made deterministic by
 * holding the stack's loop while the caller is interrupted, so the interrupt lands while the call is queued.
 */
@Timeout(30)
class InetSocketInterruptTest {
    private final ThreadedStacks t = new ThreadedStacks();

    @AfterEach
    void tearDown() { t.close(); }

    @Test
    void aReadInterruptedAfterItTookBytesReturnsThem() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80); InetSocket c = t.a.socket()) {
            c.connect(TwoStacks.B, 80, 2000);
            InetSocket s = server.accept();
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            awaitReadable(t.a);
            byte[] buf = new byte[100];
            Interrupted<Integer> read = interruptWhileQueued(t.a, () -> c.getInputStream().read(buf));
            assertThat(read.result).isEqualTo(5);
            assertThat(new String(buf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(read.stillInterrupted).isTrue();
            s.close();
        }
    }

    @Test
    void anAcceptInterruptedAfterItTookAConnectionReturnsIt() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80); InetSocket c = t.a.socket()) {
            c.connect(TwoStacks.B, 80, 2000);
            awaitReadable(t.b);
            Interrupted<InetSocket> accepted = interruptWhileQueued(t.b, server::accept);
            assertThat(accepted.result.getPort()).isEqualTo(c.getLocalPort());
            accepted.result.getOutputStream().write(1);
            assertThat(c.getInputStream().read()).as("the child works, it was not leaked").isEqualTo(1);
            accepted.result.close();
        }
    }

    @Test
    void aWriteInterruptedWhileItWaitsForRoomReportsWhatItQueued() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80); InetSocket c = t.a.socket()) {
            c.connect(TwoStacks.B, 80, 2000);
            InetSocket s = server.accept(); // never reads: the writer fills the window and both buffers, then sleeps
            int size = 16 << 20;
            FutureTask<Throwable> writer = new FutureTask<>(() -> {
                try {
                    c.getOutputStream().write(new byte[size]);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            Thread w = new Thread(writer, "writer");
            w.start();
            awaitSleeping(w);
            w.interrupt();
            Throwable e = writer.get(10, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(InterruptedIOException.class);
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EINTR);
            int queued = ((InterruptedIOException) e).bytesTransferred;
            assertThat(queued).isBetween(1, size - 1);
            c.shutdownOutput();
            assertThat(s.getInputStream().readAllBytes()).as("exactly what was reported queued arrives").hasSize(queued);
            s.close();
        }
    }

    @Test
    void aReadInterruptedWithNothingReadThrowsInterruptedIoExceptionAndKeepsTheSocket() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80); InetSocket c = t.a.socket()) {
            c.connect(TwoStacks.B, 80, 2000);
            InetSocket s = server.accept();
            FutureTask<Throwable> reader = new FutureTask<>(() -> {
                try {
                    c.getInputStream().read();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            Thread r = new Thread(reader, "reader");
            r.start();
            awaitSleeping(r);
            r.interrupt();
            Throwable e = reader.get(10, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(InterruptedIOException.class);
            assertThat(((InterruptedIOException) e).bytesTransferred).isZero();
            assertThat(c.isClosed()).isFalse();
            s.getOutputStream().write(7);
            assertThat(c.getInputStream().read()).isEqualTo(7);
            s.close();
        }
    }

    /** The outcome of a call whose thread was interrupted while the call sat in the loop's queue. */
    private record Interrupted<T>(T result, boolean stillInterrupted) {}

    /**
     * Holds {@code stack}'s loop, starts {@code call} on a new thread, interrupts it once it sleeps waiting for the
     * queued call, then lets the loop go: the call runs with the interrupt already delivered.
     */
    private static <T> Interrupted<T> interruptWhileQueued(InetStack stack, Callable<T> call) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        stack.loop().execute(() -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        FutureTask<T> task = new FutureTask<>(() -> {
            try {
                return call.call();
            } finally {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        Thread app = new Thread(task, "app");
        app.start();
        awaitSleeping(app);
        app.interrupt();
        release.countDown();
        return new Interrupted<>(task.get(10, TimeUnit.SECONDS), stillInterrupted.get());
    }

    private static void awaitSleeping(Thread th) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (th.getState() != Thread.State.WAITING && th.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("%s never went to sleep", th.getName()).isLessThan(end);
            Thread.onSpinWait();
        }
    }

    /** Waits until one of {@code stack}'s TCP sockets is readable: data queued, or a connection to accept. */
    private static void awaitReadable(InetStack stack) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!stack.call(() -> Tcp.of(stack.inet()).sockets().stream()
                .anyMatch(sk -> (sk.prot.poll(sk) & PollEvents.POLLIN) != 0))) {
            assertThat(System.nanoTime()).as("nothing became readable").isLessThan(end);
            Thread.sleep(1);
        }
    }
}
