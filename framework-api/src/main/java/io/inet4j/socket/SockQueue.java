package io.inet4j.socket;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A queue a socket holds ({@code sk_receive_queue}, {@code sk_write_queue}, {@code tcp_rtx_queue}, the accept
 * queue): a ring of elements like {@link java.util.ArrayDeque}, whose array is allocated on the first add. Linux's
 * {@code sk_buff_head} costs a socket two pointers until something is queued; an {@code ArrayDeque} costs ~100 bytes
 * at once, four times over per TCP socket, which a million idle connections feel. Once allocated, the array stays
 * (grown by doubling), so a busy queue allocates no more than an {@code ArrayDeque} does. Owned by one thread.
 *
 * <p>A socket that may never queue anything in one of its queues holds {@link #none()} there instead, and swaps in
 * its own queue for the first add: even the empty object costs a socket 24 bytes.
 */
public final class SockQueue<E> implements Iterable<E> {
    /**
     * Two: an array of two references costs what one of one does (24 bytes), and a connection that only exchanges
     * requests and replies seldom holds more; a busy queue doubles past it once and keeps the array.
     */
    private static final int FIRST_CAPACITY = 2;
    /** The queue of {@link #none()}: empty for ever, shared by every holder. */
    private static final SockQueue<?> NONE = new SockQueue<>();
    private Object[] elements;
    private int head;
    private int size;

    /**
     * The shared empty queue that stands for a queue not made yet: everything but adding works on it (it is empty),
     * and an add fails, since its holder must swap in a queue of its own first ({@code q == SockQueue.none()}).
     */
    @SuppressWarnings("unchecked")
    public static <E> SockQueue<E> none() { return (SockQueue<E>) NONE; }

    public boolean isEmpty() { return size == 0; }

    public int size() { return size; }

    /** Appends {@code e} at the tail. */
    public void add(E e) {
        Objects.requireNonNull(e);
        ensureRoom();
        elements[(head + size) & (elements.length - 1)] = e;
        size++;
    }

    /** Puts {@code e} at the head. */
    public void addFirst(E e) {
        Objects.requireNonNull(e);
        ensureRoom();
        head = (head - 1) & (elements.length - 1);
        elements[head] = e;
        size++;
    }

    /**
     * Puts {@code e} at index {@code i}, the elements from there on moving one place towards the tail: what
     * {@code tcp_fragment} needs to link the second half of a cut skb right behind the first.
     */
    public void insert(int i, E e) {
        Objects.requireNonNull(e);
        Objects.checkIndex(i, size + 1);
        ensureRoom();
        int mask = elements.length - 1;
        for (int j = size; j > i; j--) elements[(head + j) & mask] = elements[(head + j - 1) & mask];
        elements[(head + i) & mask] = e;
        size++;
    }

    /** The head, or null when empty. */
    public E peek() { return size == 0 ? null : at(head); }

    /** The {@code i}-th element from the head: a walk on a hot path without an iterator object. */
    public E get(int i) {
        Objects.checkIndex(i, size);
        return at(head + i);
    }

    /** The tail, or null when empty. */
    public E peekLast() { return size == 0 ? null : at(head + size - 1); }

    /** Takes the head, or null when empty. */
    public E poll() {
        if (size == 0) return null;
        E e = at(head);
        elements[head] = null;
        head = (head + 1) & (elements.length - 1);
        size--;
        return e;
    }

    /** Takes the tail, or null when empty. */
    public E pollLast() {
        if (size == 0) return null;
        int i = (head + size - 1) & (elements.length - 1);
        E e = at(i);
        elements[i] = null;
        size--;
        return e;
    }

    /** Head to tail; the queue must not change while iterating. */
    @Override
    public Iterator<E> iterator() {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() { return i < size; }

            @Override
            public E next() {
                if (i >= size) throw new NoSuchElementException();
                return at(head + i++);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private E at(int i) { return (E) elements[i & (elements.length - 1)]; }

    private void ensureRoom() {
        if (elements == null) {
            if (this == NONE) throw new IllegalStateException("added to SockQueue.none(), which stays empty");
            elements = new Object[FIRST_CAPACITY];
        } else if (size == elements.length) {
            Object[] bigger = new Object[size * 2];
            for (int i = 0; i < size; i++) bigger[i] = elements[(head + i) & (size - 1)];
            elements = bigger;
            head = 0;
        }
    }
}
