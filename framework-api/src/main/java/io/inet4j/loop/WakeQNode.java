package io.inet4j.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A wake-up that the owner of a loop's state issues only once it has given the state back
 * ({@link EventLoop#wakeLater}): the analog of the kernel's {@code wake_q_node}, which {@code wake_q_add} links
 * while a lock is held and {@code wake_up_q} wakes after it is dropped, so the woken task does not run straight
 * into the lock its waker still holds. Here the woken thread's next socket call would otherwise find the state
 * busy, spin, and queue itself to the owner: a second wake-up for the same event.
 *
 * <p>A node is on at most one owner's list at a time; adding it while it waits there is a no-op, as
 * {@code wake_q_add} skips a task already queued (that pending wake-up still comes, after the adder's change).
 */
public abstract class WakeQNode {
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(WakeQNode.class, "pending", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The node queued before this one on its owner's list; written by that owner only. */
    WakeQNode nextWake;
    /** From being queued until just before {@link #wake} runs; a later add then queues it again. */
    private volatile boolean pending;

    /** Wakes whoever sleeps on this; runs on the thread that owned the state, after it let go. Must not throw. */
    protected abstract void wake();

    /** Claims the node for a list: false when it waits on one already. */
    final boolean claim() { return PENDING.compareAndSet(this, false, true); }

    /**
     * A node that writes frames out (a device's transmit queue) rather than waking a sleeper: {@link #wakeAll} runs
     * it after every sleeper on its list is woken, as Linux's receive path wakes the reader ({@code sk_data_ready}
     * in {@code tcp_data_queue}) before it sends the ACK ({@code tcp_ack_snd_check}): the woken thread gets going on
     * another CPU while the frames are written, instead of waiting for a TAP's {@code writev}, which runs the
     * kernel's whole receive of each frame.
     */
    protected boolean transmits() { return false; }

    /**
     * Wakes every node of {@code list}: sleepers first (newest first; the order of wake-ups among sleepers is free),
     * then the nodes that {@link #transmits}. Each is released before it wakes, so a change made after its wake-up
     * read the state queues it again.
     */
    static void wakeAll(WakeQNode list) {
        WakeQNode transmits = null;
        while (list != null) {
            WakeQNode w = list;
            list = w.nextWake;
            if (w.transmits()) {
                w.nextWake = transmits;
                transmits = w;
            } else {
                wakeOne(w);
            }
        }
        while (transmits != null) {
            WakeQNode w = transmits;
            transmits = w.nextWake;
            wakeOne(w);
        }
    }

    private static void wakeOne(WakeQNode w) {
        w.nextWake = null;
        w.pending = false;
        w.wake();
    }
}
