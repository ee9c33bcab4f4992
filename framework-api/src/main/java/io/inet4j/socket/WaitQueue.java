package io.inet4j.socket;

import java.util.concurrent.TimeUnit;

/**
 * Where application threads sleep until a socket changes ({@code wait_queue_head_t} / {@code sk_sleep}). The
 * loop calls {@link #wakeUp} from the socket's callbacks; with nobody waiting that costs one volatile read.
 */
public final class WaitQueue {
    private static final Poll.Poller[] NO_POLLERS = new Poll.Poller[0];

    private final Signal signal = new Signal();
    private final java.util.concurrent.atomic.AtomicInteger waiters = new java.util.concurrent.atomic.AtomicInteger();
    /** {@code poll()} callers watching this queue among others (the poll_table entries of Linux). */
    private volatile Poll.Poller[] pollers = NO_POLLERS;

    /** A ticket to pass to {@link #await}: taken before checking the condition, so no wake-up is missed. */
    public long ticket() { return signal.ticket(); }

    public void wakeUp() {
        Poll.Poller[] ps = pollers;
        for (Poll.Poller p : ps) p.signal();
        // Bump before looking for sleepers: a waiter counts itself before it reads the generation, so either it
        // sees the new generation or we see it and take the lock to wake it. Nobody asleep costs no lock.
        signal.bump();
        if (waiters.get() != 0) signal.signal();
    }

    /**
     * Sleeps until a wake-up after {@code ticket} or until {@code timeoutNanos} passes (0 = forever). Returns
     * false on timeout; InterruptedException keeps the thread's interrupt semantics.
     */
    public boolean await(long ticket, long timeoutNanos) throws InterruptedException {
        waiters.incrementAndGet();
        try {
            return signal.await(ticket, timeoutNanos);
        } finally {
            waiters.decrementAndGet();
        }
    }

    synchronized void addPoller(Poll.Poller p) {
        Poll.Poller[] ps = java.util.Arrays.copyOf(pollers, pollers.length + 1);
        ps[ps.length - 1] = p;
        pollers = ps;
    }

    synchronized void removePoller(Poll.Poller p) {
        Poll.Poller[] ps = pollers;
        for (int i = 0; i < ps.length; i++) {
            if (ps[i] == p) {
                Poll.Poller[] n = new Poll.Poller[ps.length - 1];
                System.arraycopy(ps, 0, n, 0, i);
                System.arraycopy(ps, i + 1, n, i, ps.length - i - 1);
                pollers = n.length == 0 ? NO_POLLERS : n;
                return;
            }
        }
    }

    /** {@link #await} with a unit. */
    public boolean await(long ticket, long timeout, TimeUnit unit) throws InterruptedException {
        return await(ticket, unit.toNanos(timeout));
    }
}
