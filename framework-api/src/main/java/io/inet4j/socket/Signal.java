package io.inet4j.socket;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A generation counter threads can sleep on: take a ticket, check a condition, then {@link #await} a change
 * after the ticket. The sleeping half of a wait queue, shared by {@link WaitQueue} and {@link Poll}.
 */
final class Signal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile long generation;

    long ticket() { return generation; }

    void signal() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Bumps the generation without taking the lock; only the single writer (the loop) may call it. */
    void bump() { generation++; }

    /**
     * Sleeps until the generation moves past {@code ticket} or {@code nanos} pass ({@code nanos} == 0 waits
     * forever; a negative time has already passed). Returns false on timeout.
     */
    boolean await(long ticket, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (generation == ticket) {
                if (nanos == 0) changed.await();
                else {
                    if (left <= 0) return false;
                    left = changed.awaitNanos(left);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
