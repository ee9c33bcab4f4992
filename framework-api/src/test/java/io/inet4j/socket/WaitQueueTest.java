package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.loop.ThreadEventLoop;
import io.inet4j.netdev.BusyPoll;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pins {@link WaitQueue}'s ticket protocol: a wake-up after the ticket releases the waiter (also one that came
 * before {@code await} was entered), no wake-up means a timeout, zero waits until woken, one wake-up releases all
 * waiters, interrupts are thrown, and a rapid hand-off between the loop and an application thread loses nothing.
 */
@Timeout(60)
class WaitQueueTest {
    /** How long a wait that must succeed may take before the test calls it lost; never a performance bound. */
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final WaitQueue wq = new WaitQueue();

    /** Awaits {@code ticket} on another thread; the future completes with await's answer. */
    private CompletableFuture<Boolean> awaitElsewhere(long ticket, long timeoutNanos) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(wq.await(ticket, timeoutNanos));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        awaitParked(t);
        return f;
    }

    /** Waits until {@code t} sleeps (so the wake-up really finds a waiter). */
    private static void awaitParked(Thread t) {
        long end = System.nanoTime() + PATIENCE_NANOS;
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("thread went to sleep").isLessThan(end);
            Thread.onSpinWait();
        }
    }

    @Test
    void aWakeUpReleasesASleepingWaiter() throws Exception {
        CompletableFuture<Boolean> woken = awaitElsewhere(wq.ticket(), PATIENCE_NANOS);
        wq.wakeUp();
        assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWakeUpFromTheStatesOwnerReachesTheSleeperOnceItLetsGo() throws Exception {
        // sk_data_ready from the owner: woken at once, the reader would find the state held and queue its call.
        try (ThreadEventLoop loop = new ThreadEventLoop("wq-loop")) {
            CompletableFuture<Boolean> woken = awaitElsewhere(wq.ticket(), PATIENCE_NANOS);
            while (!loop.tryEnter()) Thread.onSpinWait();
            long ticket = wq.ticket();
            boolean wokenWhileOwned;
            try {
                wq.wakeUp(loop);
                assertThat(wq.ticket()).as("the change is visible at once").isNotEqualTo(ticket);
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (!woken.isDone() && System.nanoTime() - end < 0) Thread.onSpinWait();
                wokenWhileOwned = woken.isDone();
            } finally {
                loop.exit();
            }
            assertThat(wokenWhileOwned).as("the sleeper woke only after the owner let go").isFalse();
            assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aWakeUpFromAThreadThatDoesNotOwnTheStateIsImmediate() throws Exception {
        try (ThreadEventLoop loop = new ThreadEventLoop("wq-loop")) {
            CompletableFuture<Boolean> woken = awaitElsewhere(wq.ticket(), PATIENCE_NANOS);
            wq.wakeUp(loop);
            assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void zeroTimeoutWaitsUntilWoken() throws Exception {
        CompletableFuture<Boolean> woken = awaitElsewhere(wq.ticket(), 0);
        assertThat(woken).isNotDone();
        wq.wakeUp();
        assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void withoutAWakeUpAwaitTimesOut() throws InterruptedException {
        assertThat(wq.await(wq.ticket(), TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
        assertThat(wq.await(wq.ticket(), 5, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(wq.await(wq.ticket(), -1)).as("a timeout already passed").isFalse();
    }

    @Test
    void aWakeUpBetweenTheTicketAndAwaitIsNotLost() throws InterruptedException {
        long ticket = wq.ticket(); // 1. take the ticket
        // 2. check the condition: "not ready" -- and here the loop makes it ready and wakes, before we sleep
        wq.wakeUp();
        assertThat(wq.await(ticket, PATIENCE_NANOS)).as("returns at once").isTrue();
        assertThat(wq.await(ticket, 0)).as("and keeps returning for that ticket").isTrue();
        assertThat(wq.await(wq.ticket(), 1_000_000)).as("a fresh ticket waits for the next wake-up").isFalse();
    }

    @Test
    void oneWakeUpReleasesEveryWaiter() throws Exception {
        long ticket = wq.ticket();
        List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) waiters.add(awaitElsewhere(ticket, PATIENCE_NANOS));
        wq.wakeUp();
        for (CompletableFuture<Boolean> w : waiters) assertThat(w.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void sleepingAndBeingWokenAllocatesNothingAfterTheThreadsFirstSleep() throws Exception {
        int rounds = 4_000;
        java.util.concurrent.atomic.AtomicInteger asleep = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Long> allocated = new CompletableFuture<>();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Thread sleeper = new Thread(() -> {
            try {
                long before = 0;
                for (int i = 1; i <= rounds; i++) {
                    if (i == rounds / 2 + 1) before = threads.getCurrentThreadAllocatedBytes(); // after a warm-up half
                    long ticket = wq.ticket();
                    asleep.set(i);
                    wq.await(ticket, i % 2 == 0 ? 0 : PATIENCE_NANOS); // untimed and timed sleeps alike
                }
                allocated.complete(threads.getCurrentThreadAllocatedBytes() - before);
            } catch (Throwable t) {
                allocated.completeExceptionally(t);
            }
        });
        sleeper.start();
        for (int i = 1; i <= rounds; i++) {
            while (asleep.get() < i || (sleeper.getState() != Thread.State.WAITING
                    && sleeper.getState() != Thread.State.TIMED_WAITING)) {
                Thread.onSpinWait();
            }
            wq.wakeUp();
        }
        // A Condition node per sleep would be some 64,000 bytes here.
        assertThat(allocated.get(30, TimeUnit.SECONDS)).as("bytes allocated by 2,000 sleeps").isLessThan(4_096);
    }

    @Test
    void anInterruptedWaiterGetsInterruptedException() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> wq.await(wq.ticket(), 0)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    /**
     * The loop answers and wakes while the application thread is between its ticket and its sleep, many thousand
     * times. The waiter sleeps without a timeout, so a lost wake-up is a hang that the test's timeout reports;
     * the race is narrow, so a broken queue fails most runs rather than every run.
     */
    @Test
    @Timeout(20)
    void aRapidHandOffLosesNoWakeUp() throws Exception {
        int rounds = 100_000;
        AtomicLong state = new AtomicLong();
        Thread loop = new Thread(() -> {
            for (int i = 1; i <= rounds; i++) {
                while (state.get() != 2L * i - 1) Thread.onSpinWait(); // the waiter asked
                state.set(2L * i); // the loop answers
                wq.wakeUp();
            }
        });
        loop.setDaemon(true);
        loop.start();
        for (int i = 1; i <= rounds; i++) {
            long ticket = wq.ticket();
            state.set(2L * i - 1);
            while (state.get() != 2L * i) {
                wq.await(ticket, 0);
                ticket = wq.ticket();
            }
        }
        loop.join();
    }

    /**
     * A device a sleeper polls: {@link #pollOnce} waits for a kick that {@link #wakePoller} gives (the TAP's
     * eventfd), or returns at once when {@link #waitInPoll} is off; {@link #onPoll} plays a frame read meanwhile.
     */
    private static final class FakePoll implements BusyPoll {
        final Semaphore kicks = new Semaphore(0);
        final List<Thread> woken = new CopyOnWriteArrayList<>();
        final AtomicInteger polls = new AtomicInteger();
        volatile boolean usable = true;
        volatile boolean waitInPoll = true;
        volatile Runnable onPoll = () -> {};

        @Override public boolean tryStartPoll() { return true; }

        @Override
        public boolean pollOnce(long nanos) {
            if (!usable) return false;
            polls.incrementAndGet();
            onPoll.run();
            if (waitInPoll) {
                try {
                    kicks.tryAcquire(PATIENCE_NANOS, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        }

        @Override
        public void wakePoller(Thread poller) {
            woken.add(poller);
            if (poller == Thread.currentThread()) return;
            kicks.release();
            LockSupport.unpark(poller);
        }

        @Override public void endPoll() {}
    }

    private CompletableFuture<Boolean> awaitPollingElsewhere(long ticket, FakePoll via) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(wq.awaitPolling(ticket, 0, via));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "poller");
        t.setDaemon(true);
        t.start();
        awaitParked(t);
        return f;
    }

    @Test
    void aSleeperThatPollsIsWokenThroughItsDevice() throws Exception {
        FakePoll device = new FakePoll();
        CompletableFuture<Boolean> woken = awaitPollingElsewhere(wq.ticket(), device);
        assertThat(device.polls.get()).as("sleeps in the device's poll, not in a park").isEqualTo(1);

        wq.wakeUp();

        assertThat(woken.get(PATIENCE_NANOS, TimeUnit.NANOSECONDS)).isTrue();
        assertThat(device.woken).extracting(Thread::getName).containsExactly("poller");
    }

    @Test
    void aFrameThePollReadsEndsTheWaitWithoutAWakeUpFromAnotherThread() throws Exception {
        FakePoll device = new FakePoll();
        device.waitInPoll = false;
        device.onPoll = wq::wakeUp; // the frame read in the poll makes the sleeper's own socket ready

        assertThat(wq.awaitPolling(wq.ticket(), 0, device)).isTrue();

        assertThat(device.polls.get()).isEqualTo(1);
        assertThat(device.woken).as("the wake function ran for the poller itself, which ignores it")
                .containsExactly(Thread.currentThread());
    }

    @Test
    void aSleeperWhoseDeviceCannotBePolledParksAndIsStillWoken() throws Exception {
        FakePoll device = new FakePoll();
        device.usable = false;
        CompletableFuture<Boolean> woken = awaitPollingElsewhere(wq.ticket(), device);

        wq.wakeUp();

        assertThat(woken.get(PATIENCE_NANOS, TimeUnit.NANOSECONDS)).isTrue();
        assertThat(device.polls.get()).isZero();
    }
}
