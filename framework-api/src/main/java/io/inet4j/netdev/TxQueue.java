package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.WakeQNode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A device's transmit queue for a link that writes without the stack's state ({@link Link#xmitsUnowned}): the
 * owner of the state queues each frame, and the frames are written once it lets go, so the write (for a TAP, the
 * kernel's whole receive of the frame, run inside our {@code writev}) no longer lengthens the hold that other
 * threads queue behind. The analog of {@code dev_queue_xmit} enqueueing to a qdisc that {@code __qdisc_run} drains
 * after the socket lock is dropped, with {@code qdisc_run_begin}'s one-runner rule, plus the driver's TX ring: a
 * written frame is freed later, under the state, as {@code virtio_net} frees old transmitted skbs at its next
 * {@code start_xmit} ({@code free_old_xmit_skbs}). The write itself touches no reference count, so the owner may
 * meanwhile take and drop references on the buffers the frames' fragments point into.
 *
 * <p>One ring of {@code capacity} slots and three counters: {@code queued} (the owner appends), {@code written}
 * (the runner advances) and {@code freed} (the owner releases up to {@code written}). Order is kept: one runner at
 * a time, oldest first. Nothing is dropped here: with the ring full the owner writes the frames itself, holding the
 * state as before, so a burst larger than the ring slows its producer instead of losing frames; what the link
 * itself cannot take (a TAP's EAGAIN) it counts as it always did.
 */
final class TxQueue extends WakeQNode {
    private static final VarHandle RUNNING;

    static {
        try {
            RUNNING = MethodHandles.lookup().findVarHandle(TxQueue.class, "running", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Link link;
    private final EventLoop loop;
    private final PacketBuffer[] ring;
    private final int mask;
    /** Frames ever queued; written by the state's owner, after the slot. */
    private volatile long queued;
    /** Frames ever written; written by the runner, after the write. */
    private volatile long written;
    /** Frames ever released; the state's owner only. */
    private long freed;
    /** Someone is writing ({@code __QDISC_STATE_RUNNING}); the flag hands {@link #written} from runner to runner. */
    private volatile boolean running;

    /** {@code capacity}: a power of two. */
    TxQueue(Link link, EventLoop loop, int capacity) {
        if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity " + capacity + " is not a power of two");
        this.link = link;
        this.loop = loop;
        this.ring = new PacketBuffer[capacity];
        this.mask = capacity - 1;
    }

    /** Takes ownership of {@code frame}, to be written once the caller, the state's owner, lets go. */
    void enqueue(PacketBuffer frame) {
        reap();
        while (queued - freed == ring.length) {
            run();
            reap();
            // Still full: another thread is writing, and its completions are on their way.
            if (queued - freed == ring.length) Thread.onSpinWait();
        }
        long q = queued;
        ring[(int) q & mask] = frame;
        queued = q + 1;
        loop.wakeLater(this);
    }

    /** Written after the owner's sleepers are woken, so they run while the frames go out. */
    @Override
    protected boolean transmits() { return true; }

    /**
     * The owner let go: write what is queued. A loop that wakes at once calls this with the state still held, and the
     * frames are freed at once as they were before this queue existed.
     */
    @Override
    protected void wake() {
        run();
        if (loop.inEventLoop()) reap();
    }

    /**
     * {@code __qdisc_run}: writes every queued frame, oldest first, unless another thread is writing, which then
     * also writes what was queued meanwhile (it looks again after it lets go of the flag).
     */
    void run() {
        while (written != queued && RUNNING.compareAndSet(this, false, true)) {
            try {
                long w = written;
                for (long q; w != (q = queued); ) {
                    for (; w != q; w++) {
                        link.xmit(ring[(int) w & mask]);
                        written = w + 1;
                    }
                }
            } finally {
                running = false;
            }
        }
    }

    /** The TX completion: releases the frames written so far. State's owner only. */
    void reap() {
        for (long w = written; freed != w; freed++) {
            int i = (int) freed & mask;
            PacketBuffer f = ring[i];
            ring[i] = null;
            f.release();
        }
    }

    /**
     * The device goes down ({@code dev_deactivate}'s qdisc reset): waits for a runner to finish, then releases every
     * frame, written or not, and answers how many were never written. State's owner only.
     */
    int purge() {
        while (!RUNNING.compareAndSet(this, false, true)) Thread.onSpinWait();
        try {
            reap();
            int dropped = (int) (queued - freed);
            for (; freed != queued; freed++) {
                int i = (int) freed & mask;
                ring[i].release();
                ring[i] = null;
            }
            written = queued;
            return dropped;
        } finally {
            running = false;
        }
    }
}
