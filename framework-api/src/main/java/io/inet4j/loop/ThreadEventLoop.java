package io.inet4j.loop;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@link EventLoop} on its own platform thread and the system clock: the production runtime. It runs queued
 * tasks, then due timers, then parks until the next timer or a new task.
 *
 * <p>Nothing a task or timer throws, an {@link Error} included, stops the loop: it is logged at ERROR and
 * counted ({@link #taskFailures()}, {@link #timerFailures()}). Should the loop itself fail, it logs that at ERROR,
 * runs what is still queued (so no caller waits for ever) and refuses new work with a message naming the cause.
 */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ThreadEventLoop.class.getName());
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final TimerWheel timers = new TimerWheel(SystemClock.INSTANCE.nanoTime());
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean parked;
    private volatile boolean terminated;
    private volatile Throwable failure;
    // Written on the loop thread only, read from anywhere.
    private volatile long taskFailures;
    private volatile long timerFailures;

    public ThreadEventLoop(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override public boolean inEventLoop() { return Thread.currentThread() == thread; }
    @Override public Clock clock() { return SystemClock.INSTANCE; }
    @Override public TimerWheel timers() { return timers; }

    /** Tasks that threw (anything, an Error included) since the loop started; each was logged at ERROR. */
    public long taskFailures() { return taskFailures; }

    /** Timer runs that threw, counted like {@link #taskFailures()}. */
    public long timerFailures() { return timerFailures; }

    /** Why the loop itself stopped, or null while it runs or after an orderly {@link #close}. */
    public Throwable failure() { return failure; }

    @Override
    public void execute(Runnable task) {
        if (terminated) throw refused();
        tasks.add(task);
        // Raced with the final drain: if the loop is gone and did not take the task, it never will.
        if (terminated && tasks.remove(task)) throw refused();
        if (parked && !inEventLoop()) LockSupport.unpark(thread);
    }

    private RejectedExecutionException refused() {
        Throwable f = failure;
        return f == null ? new RejectedExecutionException("event loop " + thread.getName() + " is closed")
                : new RejectedExecutionException("event loop " + thread.getName() + " failed: " + f, f);
    }

    private void run() {
        try {
            loop();
        } catch (Throwable t) {
            failure = t;
            logContained("event loop " + thread.getName() + " failed; it runs what is queued and refuses new work", t);
        } finally {
            terminated = true;
            // Everything queued before execute() could see the flag still runs; later tasks are refused there.
            while (!tasks.isEmpty()) runTasks();
        }
    }

    private void loop() {
        while (running) {
            runTasks();
            runTimers();
            if (!tasks.isEmpty()) continue;
            long wake = timers.nextWakeup();
            parked = true;
            if (tasks.isEmpty() && running) {
                if (wake == Long.MAX_VALUE) LockSupport.park(this);
                else {
                    long delay = wake - System.nanoTime();
                    if (delay > 0) LockSupport.parkNanos(this, delay);
                }
            }
            parked = false;
        }
    }

    private void runTasks() {
        Runnable r;
        int budget = 4096;
        while (budget-- > 0 && (r = tasks.poll()) != null) {
            try {
                r.run();
            } catch (Throwable t) {
                // A bug in one task, or an Error such as exhausted direct memory, must not kill the stack's only thread.
                taskFailures++;
                logContained("task failed on " + thread.getName(), t);
            }
        }
    }

    private void runTimers() {
        try {
            timers.advance(System.nanoTime());
        } catch (Throwable t) {
            // As for tasks: a bug in one timer must not kill the loop; the wheel keeps the rest of its tick due.
            timerFailures++;
            logContained("timer failed on " + thread.getName(), t);
        }
    }

    /** Logs at ERROR; when even that fails (no memory left to format it) the counters still tell. */
    private static void logContained(String what, Throwable t) {
        try {
            LOG.log(System.Logger.Level.ERROR, what, t);
        } catch (Throwable ignored) {
            // Nothing left to report with; the caller already counted it.
        }
    }

    /** Stops the loop after the tasks already queued; waits up to a second for the thread. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        if (!inEventLoop()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
