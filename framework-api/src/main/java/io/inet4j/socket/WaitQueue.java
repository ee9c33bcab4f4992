package io.inet4j.socket;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where application threads sleep until a socket changes ({@code wait_queue_head_t} / {@code sk_sleep}). The
 * loop calls {@link #wakeUp} from the socket's callbacks; with nobody waiting that costs one volatile read.
 */
public final class WaitQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private static final Poll.Poller[] NO_POLLERS = new Poll.Poller[0];

    private volatile int waiters;
    private volatile long generation;
    /** {@code poll()} callers watching this queue among others (the poll_table entries of Linux). */
    private volatile Poll.Poller[] pollers = NO_POLLERS;

    /** A ticket to pass to {@link #await}: taken before checking the condition, so no wake-up is missed. */
    public long ticket() { return generation; }

    public void wakeUp() {
        Poll.Poller[] ps = pollers;
        for (Poll.Poller p : ps) p.signal();
        if (waiters == 0) {
            generation++; // single writer: the loop
            return;
        }
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sleeps until a wake-up after {@code ticket} or until {@code timeoutNanos} passes (0 = forever). Returns
     * false on timeout; InterruptedException keeps the thread's interrupt semantics.
     */
    public boolean await(long ticket, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            waiters++;
            long left = timeoutNanos;
            while (generation == ticket) {
                if (timeoutNanos == 0) changed.await();
                else {
                    if (left <= 0) return false;
                    left = changed.awaitNanos(left);
                }
            }
            return true;
        } finally {
            waiters--;
            lock.unlock();
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
