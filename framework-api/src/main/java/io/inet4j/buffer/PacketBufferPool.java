package io.inet4j.buffer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * A pool of {@link PacketBuffer}s, so the steady-state packet path allocates nothing (the analog of the kernel's
 * skbuff slab caches): buffers of the pool's size for ordinary frames, and, for the large segments of jumbo links
 * and the loopback device, size classes in steps of {@value #CLASS_STEP} bytes up to {@value #MAX_CLASS} (fine
 * enough that a buffer pins little more than it holds, which is what the receive window is computed from), keeping
 * together at most about {@value #CLASS_POOL_BYTES} bytes of free buffers. Only larger requests get a one-off
 * buffer, dropped on release.
 *
 * <p>Free buffers sit in lock-free bounded queues (JCTools' MPMC array queue), so a link's reader thread and the
 * stack's loop can both allocate and release. The {@link #outstanding()} count is the leak detector tests assert on.
 */
public final class PacketBufferPool {
    /** Room for Ethernet (14) + a 60-byte IP header + a 60-byte TCP header, rounded up, like MAX_TCP_HEADER. */
    public static final int DEFAULT_HEADROOM = 160;

    /** The largest size class: a 64 KiB datagram with its link header and headroom fits. */
    static final int MAX_CLASS = 1 << 17;
    /** The step between size classes. */
    static final int CLASS_STEP = 4096;
    /**
     * What the size classes may keep of free buffers, together. A TAP reader reads every frame into a 64 KiB class
     * buffer, and with several sockets' receive queues full the class gets hundreds back at once: a budget per class
     * of a few MiB sent most of them to the GC and made new ones (zeroed, page-faulted) on the next reads, 4% of a
     * bulk receiver's CPU. One budget for all classes keeps the hot class whole without letting 32 classes each hold
     * as much.
     */
    static final int CLASS_POOL_BYTES = 32 << 20;
    /** Slots a class's free list has at most, whatever its share of the budget: small classes are seldom hot. */
    static final int CLASS_SLOTS = 1024;
    /** Free fragment tables kept (about 800 bytes each). */
    static final int FRAG_TABLES_KEPT = 256;

    private final int bufferSize;
    /** Free buffers above {@link #bufferSize}, by size class: index {@code n} holds buffers of {@code n * CLASS_STEP} bytes. */
    private final MpmcAtomicArrayQueue<PacketBuffer>[] classes;
    /*
     * Relaxed offer and poll: a slot another thread is half-way through reads as full or empty instead of
     * spinning on that thread; a miss costs one allocation or one buffer left to the GC.
     */
    private final MpmcAtomicArrayQueue<PacketBuffer> free;
    /** Fragment tables kept for reuse: a few packets at a time have fragments (headers over queued segments). */
    private final MpmcAtomicArrayQueue<PacketBuffer.Frags> fragTables = new MpmcAtomicArrayQueue<>(FRAG_TABLES_KEPT);
    /*
     * Counters in cells, not one atomic word: a sender's thread takes buffers while the reader's thread, acking,
     * releases them, and a single word bounced between their cores on every segment (a striped counter, as
     * Linux keeps per-cpu counts).
     */
    private final LongAdder outstanding = new LongAdder();
    private final LongAdder created = new LongAdder();
    /** Bytes of free buffers in the size classes: one word, touched once per large buffer, not per MSS. */
    private final AtomicLong classBytesFree = new AtomicLong();

    public PacketBufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        // JCTools wants at least 2 slots; rounds up to a power of two.
        this.free = new MpmcAtomicArrayQueue<>(Math.max(2, maxPooled));
        @SuppressWarnings("unchecked")
        MpmcAtomicArrayQueue<PacketBuffer>[] c = new MpmcAtomicArrayQueue[MAX_CLASS / CLASS_STEP + 1];
        for (int n = 1; n < c.length; n++) {
            if (n * CLASS_STEP > bufferSize) {
                c[n] = new MpmcAtomicArrayQueue<>(Math.max(2, Math.min(CLASS_SLOTS, CLASS_POOL_BYTES / (n * CLASS_STEP))));
            }
        }
        this.classes = c;
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

    /**
     * The capacity {@link #allocate}{@code (size)} hands out: what such a buffer will pin ({@code skb->truesize}),
     * for a caller that must account for it before it allocates.
     */
    public int truesizeFor(int size) { return capacity(size + DEFAULT_HEADROOM); }

    /** The capacity behind a request for {@code size} bytes: the pool's size, a size class, or exactly that. */
    private int capacity(int size) {
        if (size <= bufferSize) return bufferSize;
        if (size <= MAX_CLASS) return (size + CLASS_STEP - 1) / CLASS_STEP * CLASS_STEP;
        return size;
    }

    private PacketBuffer take(int size) {
        outstanding.increment();
        int cap = capacity(size);
        MpmcAtomicArrayQueue<PacketBuffer> q = freeList(cap);
        PacketBuffer b = q == null ? null : q.relaxedPoll();
        if (b != null) {
            if (q != free) classBytesFree.addAndGet(-cap);
            return b;
        }
        created.increment();
        return new PacketBuffer(this, cap);
    }

    void recycle(PacketBuffer b) {
        outstanding.decrement();
        int cap = b.capacity();
        MpmcAtomicArrayQueue<PacketBuffer> q = freeList(cap);
        if (q == free) {
            q.relaxedOffer(b);
        } else if (q != null && classBytesFree.get() + cap <= CLASS_POOL_BYTES && q.relaxedOffer(b)) {
            // Two threads may pass the check at once: the budget is kept to within a buffer or two, not exactly.
            classBytesFree.addAndGet(cap);
        }
    }

    /** Where free buffers of capacity {@code cap} wait: the pool's own list, a size class's, or none (one-offs). */
    private MpmcAtomicArrayQueue<PacketBuffer> freeList(int cap) {
        if (cap == bufferSize) return free;
        return cap <= MAX_CLASS && cap % CLASS_STEP == 0 ? classes[cap / CLASS_STEP] : null;
    }

    /** A fragment table for a packet's first fragment: a kept one, or a new one. */
    PacketBuffer.Frags takeFrags() {
        PacketBuffer.Frags f = fragTables.relaxedPoll();
        return f != null ? f : new PacketBuffer.Frags();
    }

    /** Takes back a table whose packet let go of its last fragment; beyond what is kept, the GC has it. */
    void recycleFrags(PacketBuffer.Frags f) { fragTables.relaxedOffer(f); }

    /** Buffers handed out and not yet released: zero when nothing leaks and nothing is in flight. */
    public long outstanding() { return outstanding.sum(); }

    /** Buffers ever created: flat in steady state. */
    public long created() { return created.sum(); }
}
