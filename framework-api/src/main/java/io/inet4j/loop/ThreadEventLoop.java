package io.inet4j.loop;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@link EventLoop} on its own platform thread and the system clock: the production runtime. It runs queued
 * tasks, then due timers, then parks until the next timer or a new task.
 */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ThreadEventLoop.class.getName());
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final TimerWheel timers = new TimerWheel(SystemClock.INSTANCE.nanoTime());
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean parked;
    private volatile boolean terminated;

    public ThreadEventLoop(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override public boolean inEventLoop() { return Thread.currentThread() == thread; }
    @Override public Clock clock() { return SystemClock.INSTANCE; }
    @Override public TimerWheel timers() { return timers; }

    @Override
    public void execute(Runnable task) {
        if (terminated) throw new RejectedExecutionException("event loop " + thread.getName() + " is closed");
        tasks.add(task);
        // Raced with the final drain: if the loop is gone and did not take the task, it never will.
        if (terminated && tasks.remove(task)) {
            throw new RejectedExecutionException("event loop " + thread.getName() + " is closed");
        }
        if (parked && !inEventLoop()) LockSupport.unpark(thread);
    }

    private void run() {
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
        terminated = true;
        // Everything queued before execute() could see the flag still runs; later tasks are refused there.
        while (!tasks.isEmpty()) runTasks();
    }

    private void runTasks() {
        Runnable r;
        int budget = 4096;
        while (budget-- > 0 && (r = tasks.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException | Error t) {
                // A bug in one task must not kill the stack's only thread.
                LOG.log(System.Logger.Level.ERROR, "task failed on " + thread.getName(), t);
            }
        }
    }

    private void runTimers() {
        try {
            timers.advance(System.nanoTime());
        } catch (RuntimeException | Error t) {
            // As for tasks: a bug in one timer must not kill the loop; the wheel keeps the rest of its tick due.
            LOG.log(System.Logger.Level.ERROR, "timer failed on " + thread.getName(), t);
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
