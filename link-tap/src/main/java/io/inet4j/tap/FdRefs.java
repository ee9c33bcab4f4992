package io.inet4j.tap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads inside a system call on a link's descriptors, so the descriptors are closed only once none is: a
 * number closed under a poll or a read could be handed to another open and read by mistake. Linux's
 * {@code fdget}/{@code fdput} on a file's count. A read-write lock did this before, but a
 * {@link java.util.concurrent.locks.ReentrantReadWriteLock} allocates a hold counter each time a second thread
 * takes the read side, and a caller that polls the device holds its reference for a whole sleep, so every frame
 * written meanwhile by another thread allocated.
 */
final class FdRefs {
    /** Set once the descriptors are closing: no new reference is given. */
    private static final int CLOSING = 1 << 30;
    private static final long CLOSE_CHECK_NANOS = 50_000;

    private final AtomicInteger count = new AtomicInteger();

    /** Takes a reference (re-entrant: a thread may take several); false once the descriptors are closing. */
    boolean get() {
        for (;;) {
            int c = count.get();
            if (c >= CLOSING) return false;
            if (count.compareAndSet(c, c + 1)) return true;
        }
    }

    /** Gives back a reference {@link #get} gave. */
    void put() { count.decrementAndGet(); }

    /** False once the descriptors are closing or closed. */
    boolean open() { return count.get() < CLOSING; }

    /**
     * Refuses new references, waits until every one given is back, then runs {@code closer}: true for the call that
     * ran it, false for every other (the descriptors are closing or closed already). Whoever holds a reference must
     * have been told to leave first (the link kicks its pollers), and the calling thread must hold none.
     */
    boolean closeWhenIdle(Runnable closer) {
        for (;;) {
            int c = count.get();
            if (c >= CLOSING) return false;
            if (count.compareAndSet(c, c | CLOSING)) break;
        }
        while (count.get() != CLOSING) LockSupport.parkNanos(CLOSE_CHECK_NANOS);
        closer.run();
        return true;
    }
}
