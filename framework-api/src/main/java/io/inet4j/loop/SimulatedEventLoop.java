package io.inet4j.loop;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * A deterministic {@link EventLoop} on a {@link VirtualClock}, driven by the test's own thread. Several stacks
 * may share one simulated loop; then every packet between them, every timer and every task runs in one
 * reproducible order, and time jumps straight to the next timer when nothing else is left to do.
 */
public final class SimulatedEventLoop implements EventLoop {
    private final VirtualClock clock;
    private final TimerWheel timers;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Thread owner = Thread.currentThread();

    public SimulatedEventLoop(VirtualClock clock) {
        this.clock = clock;
        this.timers = new TimerWheel(clock.nanoTime());
    }

    public SimulatedEventLoop() { this(new VirtualClock()); }

    @Override public boolean inEventLoop() { return Thread.currentThread() == owner; }
    @Override public VirtualClock clock() { return clock; }
    @Override public TimerWheel timers() { return timers; }

    @Override
    public void execute(Runnable task) {
        if (!inEventLoop()) throw new IllegalStateException("a simulated loop is driven by its owner thread only");
        tasks.add(task);
    }

    /** Runs queued tasks (and tasks they queue) without moving the clock; returns how many ran. */
    public int runPending() {
        int n = 0;
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }

    /** Runs everything due, advancing virtual time from timer to timer, up to {@code durationNanos} from now. */
    public void runFor(long durationNanos) { runUntil(clock.nanoTime() + durationNanos, () -> false); }

    /**
     * Runs until {@code done} holds or virtual time reaches {@code deadlineNanos}; returns whether
     * {@code done} held. The condition is checked after every task and timer batch.
     */
    public boolean runUntil(long deadlineNanos, BooleanSupplier done) {
        for (;;) {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
                if (done.getAsBoolean()) return true;
            }
            if (done.getAsBoolean()) return true;
            // The check itself may have queued work (a test writing to a socket): it runs now, not after time moved.
            if (!tasks.isEmpty()) continue;
            long wake = timers.nextWakeup();
            if (wake == Long.MAX_VALUE && deadlineNanos == Long.MAX_VALUE) {
                return done.getAsBoolean(); // idle for ever: nothing left that could make it true
            }
            if (wake > deadlineNanos) {
                clock.advanceTo(Math.max(clock.nanoTime(), deadlineNanos));
                timers.advance(clock.nanoTime());
                runPending();
                return done.getAsBoolean();
            }
            clock.advanceTo(Math.max(clock.nanoTime(), wake));
            timers.advance(clock.nanoTime());
        }
    }

    /** Runs until {@code done} holds, giving up after {@code maxNanos} of virtual time. */
    public boolean runUntilFor(long maxNanos, BooleanSupplier done) {
        return runUntil(clock.nanoTime() + maxNanos, done);
    }
}
