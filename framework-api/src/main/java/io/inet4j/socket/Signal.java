package io.inet4j.socket;

import io.inet4j.loop.WakeQNode;
import io.inet4j.netdev.BusyPoll;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A generation counter threads can sleep on: take a ticket, check a condition, then {@link #await} a change
 * after the ticket. The sleeping half of a wait queue, shared by {@link WaitQueue} (which keeps the counter
 * itself and overrides {@link #ticket}) and {@link Poll}.
 *
 * <p>Sleepers sit in a list of per-thread entries ({@code wait_queue_entry_t} on the sleeper's stack, as
 * {@code DEFINE_WAIT} makes it), so going to sleep allocates nothing: a {@code Condition} would make a node per
 * sleep, and a blocking reader or writer sleeps many times per megabyte.
 *
 * <p>It is its own {@link WakeQNode}, so the state's owner can defer its wake-up until it lets go.
 */
class Signal extends WakeQNode {
    /** Each thread's one entry: a thread sleeps on one signal at a time. */
    private static final ThreadLocal<Sleeper> MINE = ThreadLocal.withInitial(Sleeper::new);
    private final AtomicInteger sleepers = new AtomicInteger();
    /** Threads to unpark at the next {@link #signal}; guarded by {@code this}. */
    private Sleeper queued;
    private volatile long generation;

    private static final class Sleeper {
        final Thread thread = Thread.currentThread();
        /** The next sleeper of the list it is on; guarded by that signal. */
        Sleeper next;
        /**
         * Written under the signal's lock, {@link #next} cleared first; read without it by the sleeper, so a woken
         * sleeper leaves without touching the lock.
         */
        volatile boolean onList;
        /**
         * The device the sleeper polls while it sleeps ({@link BusyPoll}), or null when it parks: its wake function
         * ({@code wait_queue_entry.func}). Set and cleared by the sleeper itself, around one {@link #await}.
         */
        volatile BusyPoll via;

        void wake() {
            BusyPoll v = via;
            if (v != null) v.wakePoller(thread);
            else LockSupport.unpark(thread);
        }
    }

    /** The counter sleepers wait to see move. */
    long ticket() { return generation; }

    /** Threads in {@link #await}, counted before they read the counter. */
    final int sleepers() { return sleepers.get(); }

    @Override
    protected void wake() { signal(); }

    /** Moves this signal's own counter and wakes every sleeper. */
    final void signal() {
        Sleeper lone = null;
        synchronized (this) {
            generation++;
            Sleeper w = queued;
            queued = null;
            if (w != null && w.next == null) {
                // The usual case, one sleeper: unparked after the lock is dropped, as wake_up_q runs after the
                // spinlock. An unpark often hands the CPU to the woken thread at once; holding the lock then would
                // stall any thread that comes to sleep here meanwhile (an acceptor back for the next connection).
                w.onList = false;
                lone = w;
            } else {
                // Several: unparked under the lock, because once off the list a sleeper may queue itself again, here
                // or on another signal, and its next link would change under us.
                while (w != null) {
                    Sleeper next = w.next;
                    w.next = null;
                    w.onList = false;
                    w.wake();
                    w = next;
                }
            }
        }
        // Woken after the unlock, the sleeper may already be back asleep elsewhere: a spurious wake-up, which every
        // sleeper survives by looking at its condition again.
        if (lone != null) lone.wake();
    }

    /**
     * Sleeps until the generation moves past {@code ticket} or {@code nanos} pass ({@code nanos} == 0 waits
     * forever; a negative time has already passed). Returns false on timeout.
     */
    final boolean await(long ticket, long nanos) throws InterruptedException {
        return await(ticket, nanos, null);
    }

    /**
     * {@link #await}, polling {@code via} while asleep instead of parking when it is not null: the caller owns that
     * device's poll ({@link BusyPoll#tryStartPoll}). A frame the poll reads may move the generation itself; a wake-up
     * from any other thread gets the poller out through {@link BusyPoll#wakePoller}.
     */
    final boolean await(long ticket, long nanos, BusyPoll via) throws InterruptedException {
        sleepers.incrementAndGet();
        Sleeper me = MINE.get();
        me.via = via;
        long deadline = System.nanoTime() + nanos;
        try {
            for (;;) {
                // A woken sleeper returns without the lock: its waker may still hold it (several sleepers are unparked
                // under it), and contending for it would put the woken thread back to sleep on the monitor at once.
                if (ticket() != ticket) return true;
                synchronized (this) {
                    if (ticket() != ticket) return true;
                    if (!me.onList) {
                        me.next = queued;
                        queued = me;
                        me.onList = true;
                    }
                }
                if (Thread.interrupted()) throw new InterruptedException();
                if (nanos == 0) {
                    if (via == null || !via.pollOnce(0)) LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    if (via == null || !via.pollOnce(left)) LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            // Off the list already when woken: the waker took it off before the unpark.
            if (me.onList) {
                synchronized (this) {
                    if (me.onList) unlink(me);
                }
            }
            me.via = null;
            sleepers.decrementAndGet();
        }
    }

    /** Takes {@code me} off the list (a timeout or an interrupt); the caller holds the lock. */
    private void unlink(Sleeper me) {
        if (queued == me) queued = me.next;
        else {
            Sleeper w = queued;
            while (w.next != me) w = w.next;
            w.next = me.next;
        }
        me.next = null;
        me.onList = false;
    }
}
