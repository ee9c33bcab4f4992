package io.inet4j.buffer;

import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * A pool of {@link PacketBuffer}s of one size, so the steady-state packet path allocates nothing
 * (the analog of the kernel's skbuff slab caches).
 *
 * <p>Free buffers sit in a lock-free bounded queue (JCTools' MPMC array queue), so a link's reader thread and the
 * stack's loop can both allocate and release. Requests larger than the pool's size get a one-off buffer that is dropped on release. The
 * {@link #outstanding()} count is the leak detector tests assert on.
 */
public final class PacketBufferPool {
    /** Room for Ethernet (14) + a 60-byte IP header + a 60-byte TCP header, rounded up, like MAX_TCP_HEADER. */
    public static final int DEFAULT_HEADROOM = 160;

    private final int bufferSize;
    /*
     * Relaxed offer and poll: a slot another thread is half-way through reads as full or empty instead of
     * spinning on that thread; a miss costs one allocation or one buffer left to the GC.
     */
    private final MpmcAtomicArrayQueue<PacketBuffer> free;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong created = new AtomicLong();

    public PacketBufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        // JCTools wants at least 2 slots; rounds up to a power of two.
        this.free = new MpmcAtomicArrayQueue<>(Math.max(2, maxPooled));
    }

    /** A pool sized for frames up to 1514 bytes plus headroom, keeping up to 8192 free buffers. */
    public static PacketBufferPool standard() {
        return new PacketBufferPool(2048, 8192);
    }

    public int bufferSize() { return bufferSize; }

    /** A buffer that can hold {@code size} bytes after {@link #DEFAULT_HEADROOM}, with that headroom reserved. */
    public PacketBuffer allocate(int size) {
        PacketBuffer b = take(size + DEFAULT_HEADROOM);
        b.reset(DEFAULT_HEADROOM);
        return b;
    }

    /** A buffer with no headroom reserved, for drivers that read whole frames. */
    public PacketBuffer allocateRaw(int size) {
        PacketBuffer b = take(size);
        b.reset(0);
        return b;
    }

    private PacketBuffer take(int size) {
        outstanding.incrementAndGet();
        if (size <= bufferSize) {
            PacketBuffer b = free.relaxedPoll();
            if (b != null) return b;
            created.incrementAndGet();
            return new PacketBuffer(this, bufferSize);
        }
        created.incrementAndGet();
        return new PacketBuffer(this, size);
    }

    void recycle(PacketBuffer b) {
        outstanding.decrementAndGet();
        if (b.capacity() == bufferSize) free.relaxedOffer(b);
    }

    /** Buffers handed out and not yet released: zero when nothing leaks and nothing is in flight. */
    public long outstanding() { return outstanding.get(); }

    /** Buffers ever created: flat in steady state. */
    public long created() { return created.get(); }
}
