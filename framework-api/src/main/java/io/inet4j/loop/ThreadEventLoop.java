package io.inet4j.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@link EventLoop} on its own platform thread and the system clock: the production runtime. It runs queued
 * tasks, then due timers, then parks until the next timer or a new task.
 *
 * <p>The protocol state has one owner at a time, not one thread: an application thread making a socket call, or a
 * link's reader with a frame, takes it with {@link #tryEnter} when it is free and nothing is queued, and does the
 * work in its own context, as Linux runs a system call under {@code lock_sock} and a driver's NAPI poll in the
 * softirq of the CPU that took the interrupt. That saves two thread hops per call. The loop's thread waits for
 * the owner to {@link #exit} before it runs tasks or timers; while it waits, {@code tryEnter} refuses, so timers
 * and queued work are never starved by a busy caller. Work queued while another thread owns the state (a call or
 * a frame that found it busy) is run by that owner as it leaves, as {@code release_sock} runs the socket's backlog
 * in process context: the loop's thread is not woken only to wait for the owner, and the caller is woken once.
 * Sleepers a socket callback wakes are woken only after the owner lets go ({@link #wakeLater}, the kernel's
 * {@code wake_q}): woken while the state is still held, a reader would find it busy, spin, and queue its call.
 *
 * <p>Queued tasks wait in a lock-free list of {@link LoopTask}s, newest first, that the loop takes whole and runs
 * oldest first (the kernel's {@code llist_add} / {@code llist_del_all}): a task that is its own node costs no
 * allocation to queue. Once the loop has terminated, the list holds a sentinel that makes {@link #execute} refuse,
 * so a task is either run or refused, never both, never neither.
 *
 * <p>Nothing a task or timer throws, an {@link Error} included, stops the loop: it is logged at ERROR and
 * counted ({@link #taskFailures()}, {@link #timerFailures()}). Should the loop itself fail, it logs that at ERROR,
 * runs what is still queued (so no caller waits for ever) and refuses new work with a message naming the cause.
 */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ThreadEventLoop.class.getName());
    /** Tasks the loop's thread runs per turn before it looks at its timers. */
    private static final int LOOP_TASK_BUDGET = 4096;
    /** Tasks an owner runs as it leaves; more are left to the loop's thread, so no caller is held up for long. */
    private static final int OWNER_TASK_BUDGET = 64;
    /** What {@link #pending} holds once the loop has taken its last batch: nothing more is accepted. */
    private static final LoopTask CLOSED = LoopTask.of(() -> {});
    /** Tasks queued since the loop last took them, newest first; {@link #CLOSED} after the last drain. */
    private volatile LoopTask pending;
    /** Tasks the loop took but had no budget left for, oldest first; written by the state's owner only. */
    private volatile LoopTask batch;
    private final TimerWheel timers = new TimerWheel(SystemClock.INSTANCE.nanoTime());
    private final Thread thread;
    /** Wake-ups deferred until the state's owner lets go ({@link #wakeLater}), newest first; owner only. */
    private WakeQNode wakeQ;
    /** Who may touch protocol state now: the loop's thread, a thread inside {@link #tryEnter}, or nobody. */
    private volatile Thread owner;
    /** The loop's thread wants the state back; set before it looks at {@link #owner}, read after an owner leaves. */
    private volatile boolean loopWaiting;
    /** When the parked loop's thread will next look at its timers; an owner arming an earlier one wakes it. */
    private volatile long plannedWake = Long.MAX_VALUE;
    private volatile boolean running = true;
    private volatile boolean parked;
    private volatile boolean terminated;
    private volatile Throwable failure;
    // Written by the state's owner only, read from anywhere.
    private volatile long taskFailures;
    private volatile long timerFailures;

    private static final VarHandle OWNER;
    private static final VarHandle PENDING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OWNER = l.findVarHandle(ThreadEventLoop.class, "owner", Thread.class);
            PENDING = l.findVarHandle(ThreadEventLoop.class, "pending", LoopTask.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public ThreadEventLoop(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override public boolean inEventLoop() { return owner == Thread.currentThread(); }
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
        push(task);
        wakeForQueued();
    }

    @Override
    public void executeOrRun(Runnable task) {
        push(task);
        // Free and not wanted by the loop's thread (its timers come first): ours to take, and exit() runs the queue.
        if (owner == null && !loopWaiting && OWNER.compareAndSet(this, null, Thread.currentThread())) exit();
        else wakeForQueued();
    }

    /** Queues {@code task}, or refuses it once the loop has taken its last batch. */
    private void push(Runnable task) {
        LoopTask t = LoopTask.of(task);
        if (t.queued) throw new IllegalStateException(task + " is already queued");
        t.queued = true;
        for (LoopTask head = pending; ; head = pending) {
            if (head == CLOSED) {
                t.queued = false;
                throw refused();
            }
            t.next = head;
            if (PENDING.compareAndSet(this, head, t)) break;
        }
    }

    /** After a task was queued: whoever will run it is told, unless it already will. */
    private void wakeForQueued() {
        // An owner other than the loop's thread runs what was queued before it leaves (release_sock runs the
        // backlog): waking the loop's thread would only have it wait for that owner.
        Thread o = owner;
        if (o != null && o != thread) return;
        if (parked && Thread.currentThread() != thread) LockSupport.unpark(thread);
    }

    @Override
    public boolean tryEnter() {
        // Queued work first (FIFO for whoever queued it), and the loop's thread first when it waits for timers.
        if (terminated || loopWaiting || hasTasks()) return false;
        return OWNER.compareAndSet(this, null, Thread.currentThread());
    }

    @Override
    public void exit() {
        Thread me = Thread.currentThread();
        if (owner != me) throw new IllegalStateException("exit() by a thread that did not enter");
        for (;;) {
            boolean drained = runTasks(OWNER_TASK_BUDGET);
            // Read the wheel while still the owner; the loop's thread set plannedWake before it let go.
            boolean earlierTimer = parked && timers.nextWakeup() < plannedWake;
            WakeQNode wakes = takeWakeQ();
            owner = null;
            WakeQNode.wakeAll(wakes);
            if (earlierTimer || loopWaiting || !drained) {
                LockSupport.unpark(thread);
                return;
            }
            // A task queued by someone who still saw us as the owner: it is ours to run, unless another owner
            // (the loop's thread) took the state meanwhile and runs it.
            if (!hasTasks() || !OWNER.compareAndSet(this, null, me)) return;
        }
    }

    @Override
    public void wakeLater(WakeQNode w) {
        if (owner != Thread.currentThread()) throw new IllegalStateException("wakeLater() by a thread that does not own the state");
        if (!w.claim()) return;
        w.nextWake = wakeQ;
        wakeQ = w;
    }

    /** The deferred wake-ups, taken off by the owner just before it lets go. */
    private WakeQNode takeWakeQ() {
        WakeQNode q = wakeQ;
        wakeQ = null;
        return q;
    }

    @Override
    public void taskFailed(Throwable t) {
        taskFailures++;
        logContained("task failed on " + Thread.currentThread().getName() + " for " + thread.getName(), t);
    }

    /** The loop's thread takes the state, waiting for a caller inside {@link #tryEnter} to leave. */
    private void enter() {
        while (!OWNER.compareAndSet(this, null, thread)) {
            loopWaiting = true;
            // The owner reads loopWaiting after it clears owner: one of us sees the other, so no wake-up is lost.
            if (owner != null) LockSupport.park(this);
        }
        loopWaiting = false;
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
            if (owner != thread) enter();
            try {
                // Everything queued before the sentinel went in still runs; later tasks are refused by execute().
                batch = append(batch, reverse((LoopTask) PENDING.getAndSet(this, CLOSED)));
                for (boolean drained = false; !drained; ) drained = runTasks(LOOP_TASK_BUDGET);
            } finally {
                WakeQNode wakes = takeWakeQ();
                owner = null;
                WakeQNode.wakeAll(wakes);
            }
        }
    }

    private void loop() {
        while (running) {
            enter();
            long wake;
            try {
                runTasks(LOOP_TASK_BUDGET);
                runTimers();
                wake = timers.nextWakeup();
                plannedWake = wake;
                // Before letting go: an owner after us must know to wake us for a timer earlier than this one.
                parked = true;
            } finally {
                WakeQNode wakes = takeWakeQ();
                owner = null;
                WakeQNode.wakeAll(wakes);
            }
            if (!hasTasks() && running) {
                if (wake == Long.MAX_VALUE) LockSupport.park(this);
                else {
                    long delay = wake - System.nanoTime();
                    if (delay > 0) LockSupport.parkNanos(this, delay);
                }
            }
            parked = false;
        }
    }

    private boolean hasTasks() {
        LoopTask p = pending;
        return (p != null && p != CLOSED) || batch != null;
    }

    /**
     * Runs up to {@code budget} tasks, oldest first: what is left of the last batch, else all that is pending. True
     * when none was left over (the loop's thread, or an owner leaving with a small budget, runs the rest).
     */
    private boolean runTasks(int budget) {
        LoopTask t = batch;
        if (t == null) {
            LoopTask p = pending;
            if (p == null || p == CLOSED) return true;
            t = reverse((LoopTask) PENDING.getAndSet(this, null));
        }
        while (t != null && budget-- > 0) {
            LoopTask r = t;
            // Unlinked before it runs: from then on its owner may queue it again.
            t = r.next;
            r.next = null;
            r.queued = false;
            try {
                r.run();
            } catch (Throwable e) {
                // A bug in one task, or an Error such as exhausted direct memory, must not kill the stack's only thread.
                taskFailures++;
                Thread me = Thread.currentThread();
                logContained("task failed on " + me.getName() + (me == thread ? "" : " for " + thread.getName()), e);
            }
        }
        batch = t;
        return t == null;
    }

    /** The list from {@code newestFirst} turned around: the order the tasks were queued in. */
    private static LoopTask reverse(LoopTask newestFirst) {
        LoopTask out = null;
        for (LoopTask t = newestFirst; t != null; ) {
            LoopTask next = t.next;
            t.next = out;
            out = t;
            t = next;
        }
        return out;
    }

    private static LoopTask append(LoopTask list, LoopTask more) {
        if (list == null) return more;
        LoopTask last = list;
        while (last.next != null) last = last.next;
        last.next = more;
        return list;
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
        if (Thread.currentThread() != thread && !inEventLoop()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
