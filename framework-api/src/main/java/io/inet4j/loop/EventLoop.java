package io.inet4j.loop;

import java.util.concurrent.Executor;

/**
 * What owns a stack's protocol state: receive, timers and transmit run under it one at a time, so the packet
 * path takes no locks (the analog of softirq context plus the socket lock). Other threads hand work over with
 * {@link #execute}, or, where the loop allows it, take the state for the length of one call with
 * {@link #tryEnter} and {@link #exit} ({@code lock_sock} / {@code release_sock}), saving the hop to the loop's
 * thread and back.
 */
public interface EventLoop extends Executor {
    /** True while the calling thread owns the protocol state (the loop's thread, or one inside {@link #tryEnter}). */
    boolean inEventLoop();

    /**
     * lock_sock's fast path: makes the calling thread the owner of the protocol state when nobody holds it and no
     * task is waiting (so work handed over earlier still runs first); false otherwise, and the caller hands its
     * work over with {@link #execute} instead. Every true must be paired with {@link #exit} on the same thread.
     * Loops that run on one thread only answer false.
     */
    default boolean tryEnter() { return false; }

    /**
     * release_sock: gives the state back after {@link #tryEnter}, waking the loop's thread when the owner left it
     * something to do (a task, a timer earlier than it planned to wake for).
     */
    default void exit() {}

    /**
     * wake_q_add: {@code w} wakes once the calling owner of the state gives it back (its {@link #exit}, or the end
     * of the loop thread's turn) instead of now, so the thread it wakes finds the state free. The change the
     * wake-up announces must already be visible (a generation bumped) before this is called. Owner only; a node
     * still waiting on a list is not queued twice. Loops that run on one thread only wake at once.
     */
    default void wakeLater(WakeQNode w) { w.wake(); }

    /**
     * Counts and logs a failure of work that ran for the loop on another thread inside {@link #tryEnter}, as the
     * loop counts its own tasks' failures.
     */
    default void taskFailed(Throwable t) {}

    Clock clock();

    /** The loop's timers; arm them only from the loop. */
    TimerWheel timers();

    /**
     * Runs {@code task} on the loop, in submission order. Safe from any thread; once the loop is closed it
     * refuses with {@link java.util.concurrent.RejectedExecutionException}, so no task is ever silently lost.
     */
    @Override
    void execute(Runnable task);

    /**
     * {@link #execute} for a caller that will wait for {@code task}: when nobody holds the state, the caller takes it
     * and runs what is queued itself, its task among them, as {@code release_sock} runs the backlog in process
     * context, instead of waking the loop's thread to run the task and then be woken by it in turn. When someone
     * holds the state, that owner runs the task as it leaves, as after {@code execute}. Loops that run on one thread
     * only queue it.
     */
    default void executeOrRun(Runnable task) { execute(task); }

    /** Arms {@code t} to fire {@code delayNanos} from now (a delay past the end of time saturates); loop thread only. */
    default void schedule(Timer t, long delayNanos) {
        long now = clock().nanoTime();
        long deadline = delayNanos > 0 && now + delayNanos < now ? Long.MAX_VALUE : now + delayNanos;
        timers().schedule(t, deadline);
    }

    default void cancel(Timer t) { timers().cancel(t); }

    /** Fails fast when protocol state is touched off the loop (Netty's {@code inEventLoop()} assertion). */
    default void assertInLoop() {
        if (!inEventLoop()) throw new IllegalStateException("not on the event loop: " + Thread.currentThread());
    }
}
