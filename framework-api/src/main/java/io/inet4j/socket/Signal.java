package io.inet4j.socket;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A generation counter threads can sleep on: take a ticket, check a condition, then {@link #await} a change
 * after the ticket. The sleeping half of a wait queue, shared by {@link WaitQueue} (which keeps the counter
 * itself and overrides {@link #ticket}) and {@link Poll}.
 */
class Signal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger sleepers = new AtomicInteger();
    private volatile long generation;

    /** The counter sleepers wait to see move. */
    long ticket() { return generation; }

    /** Threads in {@link #await}, counted before they read the counter. */
    final int sleepers() { return sleepers.get(); }

    /** Moves this signal's own counter and wakes every sleeper. */
    final void signal() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sleeps until the generation moves past {@code ticket} or {@code nanos} pass ({@code nanos} == 0 waits
     * forever; a negative time has already passed). Returns false on timeout.
     */
    final boolean await(long ticket, long nanos) throws InterruptedException {
        sleepers.incrementAndGet();
        lock.lock();
        try {
            long left = nanos;
            while (ticket() == ticket) {
                if (nanos == 0) changed.await();
                else {
                    if (left <= 0) return false;
                    left = changed.awaitNanos(left);
                }
            }
            return true;
        } finally {
            lock.unlock();
            sleepers.decrementAndGet();
        }
    }
}
