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
    private volatile int waiters;
    private volatile long generation;

    /** A ticket to pass to {@link #await}: taken before checking the condition, so no wake-up is missed. */
    public long ticket() { return generation; }

    public void wakeUp() {
        // Publish first, then look for sleepers: a waiter that registered after our read of waiters is sure to see
        // the new generation. (Reading waiters first lost the wake-up of a thread that registered in between.)
        generation++; // single writer: the loop
        if (waiters == 0) return;
        lock.lock();
        try {
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

    /** {@link #await} with a unit. */
    public boolean await(long ticket, long timeout, TimeUnit unit) throws InterruptedException {
        return await(ticket, unit.toNanos(timeout));
    }
}
