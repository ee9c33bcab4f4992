package io.inet4j.socket;

import io.inet4j.loop.EventLoop;
import io.inet4j.netdev.BusyPoll;
import java.util.concurrent.TimeUnit;

/**
 * Where application threads sleep until a socket changes ({@code wait_queue_head_t} / {@code sk_sleep}). The
 * state's owner calls {@link #wakeUp} from the socket's callbacks; with nobody waiting that costs a volatile
 * write and a read. The sleeping machinery is made when the first thread sleeps, so a socket nobody ever waits
 * on (one driven by a selector, or idle) carries a generation count and two references.
 *
 * <p>{@link Socket} extends it, as Linux's {@code struct socket} embeds its {@code struct socket_wq}: a queue of its
 * own would cost every socket another object header and a reference.
 */
public sealed class WaitQueue permits Socket {
    private static final Entry[] NO_ENTRIES = new Entry[0];
    private static final java.lang.invoke.VarHandle SIGNAL;

    static {
        try {
            SIGNAL = java.lang.invoke.MethodHandles.lookup().findVarHandle(WaitQueue.class, "signal", Signal.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Bumped by every wake-up; written by the state's owner only, so no read-modify-write race. */
    private volatile long generation;
    /** Where sleepers sleep; null until the first one. */
    private volatile Signal signal;
    /**
     * Persistent watchers ({@code wait_queue_entry_t} with its wake function): {@code poll()} callers watching this
     * queue among others, selection keys that put themselves on their selector's ready list.
     */
    private volatile Entry[] entries = NO_ENTRIES;

    /**
     * A watcher that stays on the queue until removed ({@code wait_queue_entry_t} with its {@code func}, e.g.
     * {@code pollwake} or epoll's {@code ep_poll_callback}). {@link #wake} runs on the stack's loop, inside the
     * socket callback that changed the state: it must be quick, take no lock the loop could wait on, and not
     * allocate. A watcher that wakes a thread defers that to when the owner lets go ({@link EventLoop#wakeLater}),
     * as sleepers are.
     */
    public interface Entry {
        void wake();
    }

    /** A ticket to pass to {@link #await}: taken before checking the condition, so no wake-up is missed. */
    public long ticket() { return generation; }

    /** Wakes every watcher and sleeper now. */
    public void wakeUp() { wakeUp(null); }

    /**
     * {@link #wakeUp} from a socket callback ({@code sk_data_ready} and the like): when the calling thread owns
     * {@code loop}'s state, sleepers are woken only once it lets go ({@link EventLoop#wakeLater}), so a woken
     * reader's next call finds the state free instead of spinning on it and queuing itself (Linux wakes a
     * process-context reader after {@code release_sock}, and {@code wake_q} defers wake-ups past a held lock).
     * The generation moves at once: a thread that has not gone to sleep yet, or busy-polls, sees it now.
     */
    public void wakeUp(EventLoop loop) {
        for (Entry e : entries) e.wake();
        // Bump before looking for sleepers: a sleeper counts itself before it reads the generation, so either it
        // sees the new generation or we see it and take the lock to wake it. Nobody asleep costs no lock.
        generation++;
        Signal s = signal;
        if (s == null || s.sleepers() == 0) return;
        if (loop != null && loop.inEventLoop()) loop.wakeLater(s);
        else s.signal();
    }

    /**
     * Sleeps until a wake-up after {@code ticket} or until {@code timeoutNanos} passes (0 = forever). Returns
     * false on timeout; InterruptedException keeps the thread's interrupt semantics.
     */
    public boolean await(long ticket, long timeoutNanos) throws InterruptedException {
        return awaitPolling(ticket, timeoutNanos, null);
    }

    /**
     * {@link #await}, sleeping in {@code via}'s poll instead of a park when not null (the caller owns that device's
     * poll, {@link BusyPoll#tryStartPoll}): the frame it waits for wakes it directly, not through the link's reader.
     */
    public boolean awaitPolling(long ticket, long timeoutNanos, BusyPoll via) throws InterruptedException {
        Signal s = signal;
        if (s == null) {
            Signal made = new Signal() {
                @Override
                long ticket() { return generation; }
            };
            s = SIGNAL.compareAndSet(this, null, made) ? made : signal;
        }
        return s.await(ticket, timeoutNanos, via);
    }

    /** Adds a persistent watcher ({@code add_wait_queue}); copy-on-write, so {@link #wakeUp} reads without a lock. */
    public synchronized void add(Entry e) {
        Entry[] es = java.util.Arrays.copyOf(entries, entries.length + 1);
        es[es.length - 1] = e;
        entries = es;
    }

    /** Removes a watcher added with {@link #add} ({@code remove_wait_queue}); nothing if it is not there. */
    public synchronized void remove(Entry e) {
        Entry[] es = entries;
        for (int i = 0; i < es.length; i++) {
            if (es[i] == e) {
                Entry[] n = new Entry[es.length - 1];
                System.arraycopy(es, 0, n, 0, i);
                System.arraycopy(es, i + 1, n, i, es.length - i - 1);
                entries = n.length == 0 ? NO_ENTRIES : n;
                return;
            }
        }
    }

    /** {@link #await} with a unit. */
    public boolean await(long ticket, long timeout, TimeUnit unit) throws InterruptedException {
        return await(ticket, unit.toNanos(timeout));
    }
}
