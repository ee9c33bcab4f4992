package io.inet4j.loop;

import java.util.concurrent.Executor;

/**
 * The thread that owns a stack's protocol state: receive, timers and transmit all run here, so the packet path
 * takes no locks (the analog of softirq context). Other threads hand work over with {@link #execute}.
 */
public interface EventLoop extends Executor {
    /** True on the loop's own thread: the only place protocol state may be touched. */
    boolean inEventLoop();

    Clock clock();

    /** The loop's timers; arm them only from the loop. */
    TimerWheel timers();

    /**
     * Runs {@code task} on the loop, in submission order. Safe from any thread; once the loop is closed it
     * refuses with {@link java.util.concurrent.RejectedExecutionException}, so no task is ever silently lost.
     */
    @Override
    void execute(Runnable task);

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
