package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.loop.ThreadEventLoop;
import io.inet4j.loop.Timer;
import io.inet4j.loop.WakeQNode;
import io.inet4j.net.Net;
import io.inet4j.net.NetConfig;
import io.inet4j.netdev.BusyPoll;
import io.inet4j.netdev.Link;
import io.inet4j.netdev.LinkHost;
import io.inet4j.netdev.MacAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pins how application threads call into a {@link ThreadEventLoop}: {@link LoopCall#call} runs the operation in
 * the caller's thread when the state is free, else on the loop, and hands back its result or exception (directly
 * when already on the loop) and keeps the caller's interrupt; {@link LoopCall#blocking} retries on EAGAIN after each wake-up of the socket, gives up with EAGAIN
 * at its timeout, and answers at once when non-blocking.
 */
@Timeout(30)
class LoopCallTest {
    private static final long MS = 1_000_000L;
    private static final int EAGAIN = Errno.EAGAIN.neg();

    private final ThreadEventLoop loop = new ThreadEventLoop("call-loop");
    private final Socket sock = new Socket(SockType.SOCK_STREAM);

    @AfterEach
    void close() { loop.close(); }

    @Test
    void withTheStateFreeTheCallRunsInTheCallersThreadAsItsOwner() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<Boolean> owned = new AtomicReference<>();
        int r = LoopCall.call(loop, () -> {
            ranOn.set(Thread.currentThread());
            owned.set(loop.inEventLoop());
            return 42;
        });
        assertThat(r).isEqualTo(42);
        assertThat(ranOn.get()).as("no hop: lock_sock in process context").isSameAs(Thread.currentThread());
        assertThat(owned.get()).isTrue();
        assertThat(loop.inEventLoop()).as("given back").isFalse();
    }

    @Test
    void withTheLoopBusyTheCallIsQueuedToTheLoop() throws Exception {
        CountDownLatch release = busyLoop();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Integer> r = new CompletableFuture<>();
        Thread app = new Thread(() -> r.complete(LoopCall.call(loop, () -> {
            ranOn.set(Thread.currentThread());
            return 42;
        })));
        app.setDaemon(true);
        app.start();
        awaitQueued(app);
        release.countDown();
        assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(ranOn.get().getName()).isEqualTo("call-loop");
    }

    @Test
    void aTimerAnOwnerArmsWakesTheParkedLoop() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        // The loop has no timer and parks for good; the owner's earlier timer must wake it on exit.
        Thread.sleep(20);
        assertThat(loop.tryEnter()).isTrue();
        try {
            loop.schedule(new Timer(fired::countDown), 5 * MS);
        } finally {
            loop.exit();
        }
        assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCallerThatEntersAgainAndAgainDoesNotStarveTheLoopsTimers() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        LoopCall.call(loop, () -> {
            loop.schedule(new Timer(fired::countDown), 5 * MS);
            return 0;
        });
        Thread hog = new Thread(() -> {
            while (fired.getCount() > 0) {
                if (loop.tryEnter()) loop.exit();
            }
        });
        hog.setDaemon(true);
        hog.start();
        assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
        hog.join(10_000);
    }

    @Test
    void tryEnterRefusesWhileWorkIsQueuedSoItRunsFirst() throws Exception {
        CountDownLatch release = busyLoop();
        AtomicInteger order = new AtomicInteger();
        loop.execute(() -> order.compareAndSet(0, 1));
        assertThat(loop.tryEnter()).as("the loop owns the state").isFalse();
        release.countDown();
        int r = LoopCall.call(loop, () -> order.compareAndSet(1, 2) ? 0 : -1);
        assertThat(r).as("the queued task ran before the call").isZero();
        assertThatThrownBy(loop::exit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCallQueuedBehindAnOwnerWakesItsCallerOnlyOnceTheOwnerLetsGo() throws Exception {
        // Woken while the owner still runs the rest of its work, the caller's next call would find the state held.
        while (!loop.tryEnter()) Thread.onSpinWait();
        AtomicBoolean returned = new AtomicBoolean();
        AtomicReference<Boolean> returnedWhileOwned = new AtomicReference<>();
        Thread app = new Thread(() -> {
            LoopCall.call(loop, () -> 42);
            returned.set(true);
        });
        app.setDaemon(true);
        try {
            app.start();
            awaitQueued(app);
            // Runs after the call, on this owner as it leaves: the caller must still be asleep.
            loop.execute(() -> {
                long end = System.nanoTime() + 300 * MS;
                while (!returned.get() && System.nanoTime() - end < 0) Thread.onSpinWait();
                returnedWhileOwned.set(returned.get());
            });
        } finally {
            loop.exit();
        }
        app.join(10_000);
        assertThat(returned).as("the caller got its answer").isTrue();
        assertThat(returnedWhileOwned.get()).as("the caller woke only after the owner let go").isFalse();
    }

    /** Waits until {@code app} sleeps in {@link LoopCall#call} for its queued call. */
    private static void awaitQueued(Thread app) throws InterruptedException {
        while (!(java.util.concurrent.locks.LockSupport.getBlocker(app) instanceof LoopCall)) Thread.sleep(1);
    }

    /** Occupies the loop's thread (as the state's owner) until the returned latch opens. */
    private CountDownLatch busyLoop() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            running.countDown();
            awaitUninterruptibly(release);
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void onTheLoopACallRunsDirectly() {
        int r = LoopCall.call(loop, () -> {
            Thread loopThread = Thread.currentThread();
            return LoopCall.call(loop, () -> Thread.currentThread() == loopThread ? 7 : -1);
        });
        assertThat(r).isEqualTo(7);
    }

    @Test
    void anExceptionFromTheOperationReachesTheCaller() {
        assertThatThrownBy(() -> LoopCall.call(loop, () -> {
            throw new IllegalArgumentException("bad option");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad option");
        assertThat(LoopCall.call(loop, () -> 1)).as("the loop survives").isEqualTo(1);
    }

    @Test
    void anErrorInTheCallWakesTheCallerWithAnErrnoAndTheLoopGoesOn() throws Exception {
        assertThat(callOnAnotherThread(() -> {
            throw new OutOfMemoryError("Cannot reserve direct buffer memory");
        })).isEqualTo(Errno.ENOMEM.neg());
        assertThat(callOnAnotherThread(() -> {
            throw new StackOverflowError();
        })).isEqualTo(Errno.EIO.neg());
        assertThat(LoopCall.call(loop, () -> 1)).as("the loop survives").isEqualTo(1);
        assertThat(loop.taskFailures()).as("the loop counted both").isEqualTo(2);
    }

    @Test
    void anErrorInACallItsCallerRanItselfIsCountedByTheLoop() throws Exception {
        // The caller runs its own queued call when it finds the state free after queuing it: here the loop's thread is
        // held up outside the state (in a wake-up it runs after letting go) with a task left queued, so the call
        // cannot enter while that task waits, queues, and finds the state free.
        CountDownLatch inWake = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        WakeQNode stuck = new WakeQNode() {
            @Override
            protected void wake() {
                inWake.countDown();
                awaitUninterruptibly(letGo);
            }
        };
        loop.execute(() -> loop.wakeLater(stuck));
        try {
            assertThat(inWake.await(10, TimeUnit.SECONDS)).isTrue();
            loop.execute(() -> {});
            assertThat(LoopCall.call(loop, () -> {
                throw new OutOfMemoryError("Cannot reserve direct buffer memory");
            })).isEqualTo(Errno.ENOMEM.neg());
            assertThat(loop.taskFailures()).as("counted and logged, not swallowed").isEqualTo(1);
        } finally {
            letGo.countDown();
        }
    }

    @Test
    void theCallersInterruptIsNeverSwallowed() {
        Thread caller = Thread.currentThread();
        for (int i = 0; i < 200; i++) {
            int r = LoopCall.call(loop, () -> {
                caller.interrupt();
                return 42;
            });
            assertThat(r).as("round %d: the result, never EINTR", i).isEqualTo(42);
            assertThat(Thread.interrupted()).as("round %d: interrupt status kept", i).isTrue();
        }
    }

    @Test
    void anInterruptWhileTheCallRunsNeverLosesWhatTheCallDid() throws Exception {
        CountDownLatch busy = busyLoop(); // so the call is queued to the loop and the caller waits for it
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> result = new CompletableFuture<>();
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread app = new Thread(() -> {
            result.complete(LoopCall.call(loop, () -> {
                running.countDown();
                awaitUninterruptibly(release);
                return 42; // say, 42 bytes already taken from the receive queue
            }));
            stillInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        app.setDaemon(true);
        app.start();
        awaitQueued(app);
        busy.countDown();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        app.interrupt();
        release.countDown();
        assertThat(result.get(10, TimeUnit.SECONDS)).as("the count, not EINTR").isEqualTo(42);
        assertThat(stillInterrupted.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCallQueuedToTheLoopAllocatesNothingAfterTheThreadsFirst() {
        // A loop that never lets a caller in, so every call below is queued to the loop's thread.
        io.inet4j.loop.EventLoop neverFree = new io.inet4j.loop.EventLoop() {
            @Override public boolean inEventLoop() { return loop.inEventLoop(); }
            @Override public io.inet4j.loop.Clock clock() { return loop.clock(); }
            @Override public io.inet4j.loop.TimerWheel timers() { return loop.timers(); }
            @Override public void execute(Runnable task) { loop.execute(task); }
        };
        java.util.function.IntSupplier op = () -> loop.inEventLoop() ? 1 : 0;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = 0;
        int onLoop = 0;
        for (int i = 1; i <= 20_000; i++) {
            if (i == 10_001) before = threads.getCurrentThreadAllocatedBytes(); // after a warm-up half
            onLoop += LoopCall.call(neverFree, op);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(onLoop).as("every call ran on the loop").isEqualTo(20_000);
        // A call object and a queue node each time would be over 500,000 bytes here.
        assertThat(allocated).as("bytes allocated by 10,000 queued calls").isLessThan(4_096);
    }

    /** {@link LoopCall#call} from a helper thread, so a caller that never wakes fails the test instead of hanging it. */
    private int callOnAnotherThread(java.util.function.IntSupplier op) throws Exception {
        CompletableFuture<Integer> r = new CompletableFuture<>();
        Thread app = new Thread(() -> r.complete(LoopCall.call(loop, op)));
        app.setDaemon(true);
        app.start();
        return r.get(10, TimeUnit.SECONDS);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void blockingRetriesAfterEachWakeUpUntilTheAnswerIsReady() {
        AtomicInteger ready = new AtomicInteger();
        AtomicInteger tries = new AtomicInteger();
        LoopCall.call(loop, () -> {
            loop.schedule(new Timer(() -> {
                sock.wakeUp(); // a spurious wake-up: still not ready
                loop.schedule(new Timer(() -> {
                    ready.set(1);
                    sock.wakeUp();
                }), 10 * MS);
            }), 10 * MS);
            return 0;
        });
        int r = LoopCall.blocking(loop, sock, () -> {
            tries.incrementAndGet();
            return ready.get() == 1 ? 99 : EAGAIN;
        }, 0, false);
        assertThat(r).isEqualTo(99);
        assertThat(tries.get()).as("one try per wake-up, no busy loop").isBetween(2, 3);
    }

    @Test
    void blockingGivesUpWithEagainAtItsTimeout() {
        AtomicInteger tries = new AtomicInteger();
        int r = LoopCall.blocking(loop, sock, () -> {
            tries.incrementAndGet();
            return EAGAIN;
        }, 30 * MS, false);
        assertThat(r).isEqualTo(EAGAIN);
        assertThat(tries.get()).as("one try before the wait, one last look after it").isEqualTo(2);
    }

    @Test
    void nonBlockingAnswersAtOnce() {
        AtomicInteger tries = new AtomicInteger();
        int r = LoopCall.blocking(loop, sock, () -> {
            tries.incrementAndGet();
            return EAGAIN;
        }, 0, true);
        assertThat(r).isEqualTo(EAGAIN);
        assertThat(tries.get()).isEqualTo(1);
    }

    @Test
    void onTheLoopBlockingNeverSleeps() {
        int r = LoopCall.call(loop, () -> LoopCall.blocking(loop, sock, () -> EAGAIN, 0, false));
        assertThat(r).isEqualTo(EAGAIN);
    }

    @Test
    void anInterruptedBlockingCallReturnsEintr() throws Exception {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread app = new Thread(() -> {
            result.complete(LoopCall.blocking(loop, sock, () -> EAGAIN, 0, false));
            stillInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        app.setDaemon(true);
        app.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (app.getState() != Thread.State.WAITING && System.nanoTime() < end) Thread.onSpinWait();
        app.interrupt();
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(Errno.EINTR.neg());
        assertThat(stillInterrupted.get(10, TimeUnit.SECONDS)).isTrue();
    }

    /** A device that is never busy and never has a frame: each poll returns at once, having slept for nothing. */
    static final class IdleDevice implements BusyPoll, Link {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger ends = new AtomicInteger();
        final AtomicLong longestPoll = new AtomicLong();
        final AtomicInteger sleepersWithoutPoll = new AtomicInteger();

        @Override public boolean tryStartPoll() { starts.incrementAndGet(); return true; }
        @Override public boolean pollOnce(long nanos) { longestPoll.accumulateAndGet(nanos, Math::max); return true; }
        @Override public void wakePoller(Thread poller) { LockSupport.unpark(poller); }
        @Override public void endPoll() { ends.incrementAndGet(); }
        @Override public void sleeperWithoutPoll() { sleepersWithoutPoll.incrementAndGet(); }

        @Override public String name() { return "idle"; }
        @Override public int mtu() { return 1500; }
        @Override public MacAddress mac() { return null; }
        @Override public void start(LinkHost host) {}
        @Override public void transmit(PacketBuffer frame) { frame.release(); }
        @Override public BusyPoll busyPoll() { return this; }
        @Override public void close() {}
    }

    /** Gives {@link #sock} a stack whose one device is {@code device}, as if its segments had come from there. */
    private IdleDevice onDevice(IdleDevice device) {
        Net net = new Net(NetConfig.named("t").withSeed(1), new SimulatedEventLoop(), PacketBufferPool.standard());
        SockOptionsTest.TestSock sk = new SockOptionsTest.TestSock(net);
        sk.napiId = net.addDevice(device).ifindex();
        sock.sk = sk;
        return device;
    }

    @Test
    void aReceivePollsItsDeviceOnlyForTheFirstPartOfALongWaitThenParks() {
        IdleDevice device = onDevice(new IdleDevice());

        int r = LoopCall.blocking(loop, sock, () -> EAGAIN, 50 * MS, false, true);

        assertThat(r).isEqualTo(EAGAIN);
        assertThat(device.starts.get()).as("took the device once").isEqualTo(1);
        assertThat(device.ends.get()).as("and gave it back").isEqualTo(1);
        assertThat(device.longestPoll.get()).as("never asked to poll past the first part of the wait")
                .isPositive().isLessThanOrEqualTo(10 * MS);
    }

    @Test
    void aSendNeverPollsTheDevice() {
        IdleDevice device = onDevice(new IdleDevice());

        assertThat(LoopCall.blocking(loop, sock, () -> EAGAIN, 5 * MS, false, false)).isEqualTo(EAGAIN);

        assertThat(device.starts.get()).isZero();
    }

    @Test
    void aCallThatParksTellsTheStacksPolledDevicesSoTheirReadersServeIt() {
        // A connect waiting for its SYN-ACK parks: a TAP reader that stepped aside for polling callers must not
        // leave that frame for its next look (1 ms a connection, the client's connects/s fell 6x).
        IdleDevice device = onDevice(new IdleDevice());

        assertThat(LoopCall.blocking(loop, sock, () -> EAGAIN, 5 * MS, false, false)).isEqualTo(EAGAIN);

        assertThat(device.sleepersWithoutPoll.get()).isPositive();
    }

    @Test
    void aReceiveThatPollsDoesNotSayItSleepsWithoutPolling() {
        IdleDevice device = onDevice(new IdleDevice());

        assertThat(LoopCall.blocking(loop, sock, () -> EAGAIN, 5 * MS, false, true)).isEqualTo(EAGAIN);

        assertThat(device.starts.get()).isPositive();
        assertThat(device.sleepersWithoutPoll.get()).isZero();
    }
}
