package io.inet4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the production loop: work handed over from other threads runs as the state's owner (the loop thread, or
 * a thread that held the state when the work came and runs it as it leaves) in each submitter's order, timers
 * fire no earlier than asked (and within generous bounds), a failing task or timer does not kill the stack's only
 * thread, and {@code close} runs what was queued and joins the thread.
 */
@Timeout(30)
class ThreadEventLoopTest {
    private static final long MS = 1_000_000L;
    /** How long any wait here may take before the test calls it a hang; never a performance bound. */
    private static final long PATIENCE_S = 10;

    private final ThreadEventLoop loop = new ThreadEventLoop("test-loop");

    @AfterEach
    void close() { loop.close(); }

    /** Keeps the loop's thread busy in a task until the returned latch is counted down, so work queues up behind it. */
    private CountDownLatch holdLoop() {
        CountDownLatch hold = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return hold;
    }

    /** Runs {@code r} on the loop and waits for it. */
    private void onLoop(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                r.run();
            } finally {
                done.countDown();
            }
        });
        assertThat(done.await(PATIENCE_S, TimeUnit.SECONDS)).as("loop ran the task").isTrue();
    }

    private Thread loopThread() throws InterruptedException {
        AtomicReference<Thread> t = new AtomicReference<>();
        onLoop(() -> t.set(Thread.currentThread()));
        return t.get();
    }

    @Test
    void tasksFromOtherThreadsRunOnTheLoopInEachSubmittersOrder() throws Exception {
        int submitters = 3;
        int perSubmitter = 2_000;
        List<int[]> ran = new ArrayList<>(); // touched on the loop only
        AtomicBoolean offLoop = new AtomicBoolean();
        CountDownLatch all = new CountDownLatch(submitters * perSubmitter);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int me = s;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    int seq = i;
                    loop.execute(() -> {
                        if (!loop.inEventLoop()) offLoop.set(true);
                        ran.add(new int[] {me, seq});
                        all.countDown();
                    });
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        assertThat(all.await(PATIENCE_S, TimeUnit.SECONDS)).isTrue();
        assertThat(offLoop).isFalse();
        int[][] order = new int[1][];
        onLoop(() -> {
            int[] next = new int[submitters];
            for (int[] r : ran) {
                assertThat(r[1]).as("submitter " + r[0]).isEqualTo(next[r[0]]++);
            }
            order[0] = next;
        });
        assertThat(order[0]).containsOnly(perSubmitter);
    }

    @ParameterizedTest(name = "executeOrRun: {0}")
    @ValueSource(booleans = {false, true})
    void workQueuedWhileAnotherThreadOwnsTheStateRunsOnThatOwnerAsItLeaves(boolean callerWaits) throws Exception {
        // release_sock: the owner runs what came meanwhile, so the loop's thread is not woken only to wait for it.
        while (!loop.tryEnter()) Thread.onSpinWait(); // the fresh loop's thread may still hold the state
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Runnable task = () -> ranOn.set(Thread.currentThread());
        Thread submitter = new Thread(() -> {
            if (callerWaits) loop.executeOrRun(task);
            else loop.execute(task);
        });
        try {
            submitter.start();
            submitter.join(TimeUnit.SECONDS.toMillis(PATIENCE_S));
            assertThat(submitter.isAlive()).as("handed over without the state").isFalse();
            assertThat(ranOn.get()).as("nothing runs while this thread owns the state").isNull();
        } finally {
            loop.exit();
        }
        assertThat(ranOn.get()).as("run by the owner on its way out").isSameAs(Thread.currentThread());
        // The loop's own thread may take a turn first (it runs whenever it wakes); the state must come free again.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_S);
        boolean entered;
        while (!(entered = loop.tryEnter()) && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(entered).as("the state is free again").isTrue();
        loop.exit();
    }

    @Test
    void aCallerThatWaitsForItsTaskRunsTheQueueItselfWhenTheStateIsFree() throws Exception {
        // Handed to the parked loop's thread instead, the task would cost two wake-ups: the loop's, then the caller's.
        while (!loop.tryEnter()) Thread.onSpinWait(); // the fresh loop's thread has had its turn and parked
        loop.exit();
        List<Thread> ranOn = new ArrayList<>();
        loop.executeOrRun(() -> ranOn.add(Thread.currentThread()));
        assertThat(ranOn).as("run before executeOrRun returned, by its caller").containsExactly(Thread.currentThread());
        assertThat(loop.inEventLoop()).as("the state given back").isFalse();
    }

    /** A wake-up that notes where it ran and whether the state was still held then. */
    private final class NotedWake extends WakeQNode {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Override
        protected void wake() {
            log.add(Thread.currentThread().getName() + (loop.inEventLoop() ? " holding the state" : " after letting go"));
        }
    }

    @Test
    void aWakeUpAnOwnerDefersComesOnceAsItLetsGo() throws Exception {
        // wake_q: the woken thread must find the state free, not run into its waker still holding it.
        while (!loop.tryEnter()) Thread.onSpinWait();
        NotedWake w = new NotedWake();
        try {
            loop.wakeLater(w);
            loop.wakeLater(w); // still pending: one wake-up covers both
            assertThat(w.log).as("nothing is woken while the state is held").isEmpty();
        } finally {
            loop.exit();
        }
        assertThat(w.log).containsExactly(Thread.currentThread().getName() + " after letting go");
        assertThat(loop.tryEnter()).isTrue();
        try {
            loop.wakeLater(w);
        } finally {
            loop.exit();
        }
        assertThat(w.log).as("woken again for a later change").hasSize(2);
    }

    @Test
    void aTransmitQueueRunsAfterEverySleeperItsOwnerWokeWhicheverWasQueuedFirst() throws Exception {
        // tcp_data_queue wakes the reader, then tcp_ack_snd_check sends: the reader runs while the ACK is written.
        List<String> log = new CopyOnWriteArrayList<>();
        WakeQNode reader = new WakeQNode() {
            @Override protected void wake() { log.add("reader"); }
        };
        WakeQNode acceptor = new WakeQNode() {
            @Override protected void wake() { log.add("acceptor"); }
        };
        WakeQNode txq = new WakeQNode() {
            @Override protected void wake() { log.add("transmit"); }
            @Override protected boolean transmits() { return true; }
        };
        while (!loop.tryEnter()) Thread.onSpinWait();
        try {
            loop.wakeLater(reader);
            loop.wakeLater(txq);
            loop.wakeLater(acceptor);
        } finally {
            loop.exit();
        }
        assertThat(log).hasSize(3).endsWith("transmit");
        log.clear();
        while (!loop.tryEnter()) Thread.onSpinWait();
        try {
            loop.wakeLater(txq);
            loop.wakeLater(reader);
        } finally {
            loop.exit();
        }
        assertThat(log).containsExactly("reader", "transmit");
    }

    @Test
    void aWakeUpTheLoopsThreadDefersComesAfterItsTurn() throws Exception {
        NotedWake w = new NotedWake();
        CountDownLatch woken = new CountDownLatch(1);
        WakeQNode counted = new WakeQNode() {
            @Override
            protected void wake() {
                w.wake();
                woken.countDown();
            }
        };
        loop.execute(() -> loop.wakeLater(counted));
        assertThat(woken.await(PATIENCE_S, TimeUnit.SECONDS)).isTrue();
        assertThat(w.log).containsExactly("test-loop after letting go");
    }

    @Test
    void onlyTheStatesOwnerMayDeferAWakeUp() {
        assertThatThrownBy(() -> loop.wakeLater(new NotedWake())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tasksQueuedByTheLoopRunAfterTheCurrentOne() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            loop.execute(() -> log.add("second"));
            loop.execute(done::countDown);
            log.add("first");
        });
        assertThat(done.await(PATIENCE_S, TimeUnit.SECONDS)).isTrue();
        assertThat(log).containsExactly("first", "second");
    }

    @Test
    void timersFireNoEarlierThanAskedAndInDeadlineOrder() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        long[] armedAt = new long[1];
        long[] firedAt = new long[3];
        CountDownLatch all = new CountDownLatch(3);
        long[] delays = {60 * MS, 20 * MS, 40 * MS};
        onLoop(() -> {
            armedAt[0] = loop.clock().nanoTime();
            for (int i = 0; i < 3; i++) {
                int me = i;
                loop.schedule(new Timer(() -> {
                    firedAt[me] = loop.clock().nanoTime();
                    fired.add("t" + delays[me] / MS);
                    all.countDown();
                }), delays[i]);
            }
        });
        assertThat(all.await(PATIENCE_S, TimeUnit.SECONDS)).as("all timers fired").isTrue();
        assertThat(fired).containsExactly("t20", "t40", "t60");
        for (int i = 0; i < 3; i++) {
            assertThat(firedAt[i] - armedAt[0]).as("timer %d ms", delays[i] / MS)
                    .isGreaterThanOrEqualTo(delays[i]).isLessThan(delays[i] + TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void aCancelledTimerDoesNotFire() throws Exception {
        AtomicBoolean fired = new AtomicBoolean();
        Timer t = new Timer(() -> fired.set(true));
        onLoop(() -> loop.schedule(t, 20 * MS));
        onLoop(() -> loop.cancel(t));
        CountDownLatch later = new CountDownLatch(1);
        onLoop(() -> loop.schedule(new Timer(later::countDown), 60 * MS));
        assertThat(later.await(PATIENCE_S, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).isFalse();
    }

    @Test
    void aFailingTaskOrTimerDoesNotKillTheLoop() throws Exception {
        loop.execute(() -> {
            throw new IllegalStateException("expected by the test: a buggy task");
        });
        onLoop(() -> loop.schedule(new Timer(() -> {
            throw new IllegalStateException("expected by the test: a buggy timer");
        }), MS));
        CountDownLatch after = new CountDownLatch(2);
        onLoop(() -> loop.schedule(new Timer(after::countDown), 20 * MS));
        loop.execute(after::countDown);
        assertThat(after.await(PATIENCE_S, TimeUnit.SECONDS)).as("the loop still runs tasks and timers").isTrue();
    }

    @Test
    void closeRunsWhatWasQueuedAndJoinsTheThread() throws Exception {
        Thread thread = loopThread();
        assertThat(thread.isAlive()).isTrue();
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).isEqualTo("test-loop");
        int[] ran = new int[1];
        for (int i = 0; i < 100; i++) loop.execute(() -> ran[0]++);
        loop.close();
        assertThat(thread.isAlive()).as("joined").isFalse();
        assertThat(ran[0]).isEqualTo(100);
        loop.close(); // idempotent
    }

    @Test
    void onlyTheLoopThreadIsInTheLoop() throws Exception {
        assertThat(loop.inEventLoop()).isFalse();
        AtomicBoolean inside = new AtomicBoolean();
        onLoop(() -> inside.set(loop.inEventLoop()));
        assertThat(inside).isTrue();
        assertThat(loop.clock()).isSameAs(SystemClock.INSTANCE);
    }

    @Test
    void aClosedLoopRefusesWorkAndACallRacingTheCloseNeverHangs() throws Exception {
        for (int round = 0; round < 200; round++) {
            ThreadEventLoop l = new ThreadEventLoop("closing-" + round);
            java.util.concurrent.atomic.AtomicInteger outcome = new java.util.concurrent.atomic.AtomicInteger();
            Thread caller = new Thread(() -> {
                try {
                    for (;;) io.inet4j.socket.LoopCall.call(l, () -> 1);
                } catch (java.util.concurrent.RejectedExecutionException refused) {
                    outcome.set(1);
                }
            });
            caller.start();
            Thread.sleep(round % 3);
            l.close();
            caller.join(5_000);
            assertThat(caller.isAlive()).as("a call submitted while the loop closed must not hang").isFalse();
            assertThat(outcome.get()).isEqualTo(1);
            assertThatThrownBy(() -> l.execute(() -> {}))
                    .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        }
    }

    @Test
    void aTaskThatIsItsOwnNodeRunsEachTimeItIsQueuedAndKeepsItsPlaceAmongOthers() throws Exception {
        List<Integer> order = new ArrayList<>();
        int[] next = new int[1];
        LoopTask reused = new LoopTask() {
            @Override public void run() { order.add(-1); }
        };
        CountDownLatch hold = holdLoop();
        // More than one turn's budget queues up behind the held loop: the rest waits for the next turn, in order.
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            loop.execute(() -> order.add(n));
            expected.add(n);
        }
        loop.execute(reused);
        expected.add(-1);
        hold.countDown();
        onLoop(() -> {});
        for (int round = 0; round < 3; round++) {
            loop.execute(reused);
            expected.add(-1);
            int n = 10_000 + next[0]++;
            loop.execute(() -> order.add(n));
            expected.add(n);
            onLoop(() -> {});
        }
        onLoop(() -> assertThat(order).containsExactlyElementsOf(expected));
    }

    @Test
    void aTaskThatIsItsOwnNodeCannotBeQueuedTwiceBeforeItRuns() throws Exception {
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        LoopTask task = new LoopTask() {
            @Override public void run() { ran.incrementAndGet(); }
        };
        CountDownLatch hold = holdLoop();
        loop.execute(task);
        assertThatThrownBy(() -> loop.execute(task)).isInstanceOf(IllegalStateException.class);
        hold.countDown();
        onLoop(() -> {});
        assertThat(ran.get()).isEqualTo(1);
        onLoop(() -> {});
        loop.execute(task); // once it has run it may go again
        onLoop(() -> {});
        assertThat(ran.get()).isEqualTo(2);
    }

    @Test
    void queuingATaskThatIsItsOwnNodeAllocatesNothing() throws Exception {
        java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();
        LoopTask task = new LoopTask() {
            @Override public void run() { ran.incrementAndGet(); }
        };
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = 0;
        for (int i = 1; i <= 20_000; i++) {
            if (i == 10_001) before = threads.getCurrentThreadAllocatedBytes(); // after a warm-up half
            loop.execute(task);
            while (ran.get() < i) Thread.onSpinWait();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // A node per execute would be 240,000 bytes here.
        assertThat(allocated).as("bytes allocated by 10,000 executes").isLessThan(4_096);
    }

    @Test
    void aTaskQueuedWhileTheLoopClosesEitherRunsOrIsRefusedNeverBothNorNeither() throws Exception {
        for (int round = 0; round < 50; round++) {
            ThreadEventLoop l = new ThreadEventLoop("closing-" + round);
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                Thread t = new Thread(() -> {
                    try {
                        for (;;) {
                            l.execute(ran::incrementAndGet);
                            accepted.incrementAndGet();
                        }
                    } catch (java.util.concurrent.RejectedExecutionException refused) {
                        // the loop is gone: this task was not taken
                    }
                });
                producers.add(t);
                t.start();
            }
            Thread.sleep(round % 3);
            l.close();
            for (Thread t : producers) t.join(5_000);
            // close() waits only a second for the loop's thread, which may still be running the millions of tasks
            // accepted before it: wait for it, bounded, so a task accepted and never run still fails the round.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_S);
            while (ran.get() < accepted.get() && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(ran.get()).as("round %d: tasks run = tasks accepted", round).isEqualTo(accepted.get());
        }
    }

    @Test
    void anythingATaskThrowsIsCountedAndTheLoopGoesOn() throws Exception {
        loop.execute(() -> sneakyThrow(new java.io.IOException("a checked exception the compiler never saw")));
        loop.execute(() -> {
            throw new OutOfMemoryError("Cannot reserve direct buffer memory");
        });
        loop.execute(() -> {
            throw new StackOverflowError();
        });
        AtomicBoolean ran = new AtomicBoolean();
        onLoop(() -> ran.set(true));
        assertThat(ran).as("the loop survived all three").isTrue();
        assertThat(loop.taskFailures()).isEqualTo(3);
        assertThat(loop.failure()).isNull();
    }

    @Test
    void anErrorFromATimerIsCountedAndLaterTimersStillFire() throws Exception {
        CountDownLatch later = new CountDownLatch(1);
        onLoop(() -> {
            loop.schedule(new Timer(() -> {
                throw new OutOfMemoryError("Direct buffer memory");
            }), MS);
            loop.schedule(new Timer(later::countDown), 30 * MS);
        });
        assertThat(later.await(PATIENCE_S, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.timerFailures()).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
