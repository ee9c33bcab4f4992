package io.inet4j.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded lock-free multi-producer multi-consumer queue that allocates nothing after construction
 * (Dmitry Vyukov's array queue). Used where packets cross threads: a link's reader to the loop, and the buffer
 * pool's free list.
 */
public final class MpmcRing<E> {
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ITEM = MethodHandles.arrayElementVarHandle(Object[].class);

    private final int mask;
    private final long[] sequence;
    private final Object[] items;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    public MpmcRing(int capacity) {
        // The next power of two, at least 2 (with one slot the sequence numbers of "full" and "next" collide).
        int cap = capacity <= 2 ? 2 : Integer.highestOneBit(capacity - 1) << 1;
        mask = cap - 1;
        sequence = new long[cap];
        items = new Object[cap];
        for (int i = 0; i < cap; i++) sequence[i] = i;
    }

    /** Adds {@code e}; false when the ring is full. */
    public boolean offer(E e) {
        long pos = tail.get();
        for (;;) {
            int i = (int) (pos & mask);
            long seq = (long) SEQ.getAcquire(sequence, i);
            long dif = seq - pos;
            if (dif == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    ITEM.set(items, i, e);
                    SEQ.setRelease(sequence, i, pos + 1);
                    return true;
                }
                pos = tail.get();
            } else if (dif < 0) {
                return false;
            } else {
                pos = tail.get();
            }
        }
    }

    /** Removes the oldest element, or returns null when empty. */
    @SuppressWarnings("unchecked")
    public E poll() {
        long pos = head.get();
        for (;;) {
            int i = (int) (pos & mask);
            long seq = (long) SEQ.getAcquire(sequence, i);
            long dif = seq - (pos + 1);
            if (dif == 0) {
                if (head.compareAndSet(pos, pos + 1)) {
                    E e = (E) ITEM.get(items, i);
                    ITEM.set(items, i, null);
                    SEQ.setRelease(sequence, i, pos + mask + 1);
                    return e;
                }
                pos = head.get();
            } else if (dif < 0) {
                return null;
            } else {
                pos = head.get();
            }
        }
    }

    public boolean isEmpty() { return head.get() >= tail.get(); }
    public int capacity() { return mask + 1; }
}
