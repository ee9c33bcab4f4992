package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pins how {@link Signal}'s woken sleepers leave: without the lock a waker may still hold. */
@Timeout(60)
class SignalTest {
    /** How long a wait that must succeed may take before the test calls it lost; never a performance bound. */
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void aWokenSleeperReturnsWhileTheWakerStillHoldsTheLock() throws Exception {
        Signal s = new Signal();
        long ticket = s.ticket();
        CompletableFuture<Boolean> woken = new CompletableFuture<>();
        Thread sleeper = new Thread(() -> {
            try {
                woken.complete(s.await(ticket, 0));
            } catch (Throwable e) {
                woken.completeExceptionally(e);
            }
        });
        sleeper.setDaemon(true);
        sleeper.start();
        long end = System.nanoTime() + PATIENCE_NANOS;
        while (sleeper.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("sleeper went to sleep").isLessThan(end);
            Thread.onSpinWait();
        }
        // A waker that is preempted right after its unpark, or wakes several sleepers, still holds the lock: the
        // woken thread must not go back to sleep on it.
        synchronized (s) {
            s.signal();
            while (!woken.isDone() && System.nanoTime() - end < 0) Thread.onSpinWait();
            assertThat(woken.isDone()).as("the woken sleeper returned while the lock was held").isTrue();
        }
        assertThat(woken.get()).isTrue();
    }
}
