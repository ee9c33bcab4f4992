package io.inet4j.stack;

import io.inet4j.loop.EventLoop;
import io.inet4j.loop.WakeQNode;
import io.inet4j.socket.LoopCall;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.Socket;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A {@link Selector} over one {@link InetStack}'s channels, built the way Linux builds epoll
 * ({@code fs/eventpoll.c}): registering a channel puts its key on the socket's wait queue once, for as long as it
 * stays registered ({@code ep_insert}); a socket callback puts the key on this selector's ready list and wakes a
 * sleeping select ({@code ep_poll_callback}); a select takes the ready list, reads each listed socket's poll mask
 * on the stack's loop in one trip ({@code ep_send_events}) and reports what meets the key's interest.
 * Level-triggered like epoll without {@code EPOLLET}: a key found ready goes back on the list, so the next select
 * looks at it again and drops it once it is no longer ready. Cost per select follows the ready keys, not the
 * registered ones, and nothing is allocated per key.
 *
 * <p>Only channels of the same stack's {@link InetSelectorProvider} can register ({@link IllegalSelectorException}
 * otherwise). Selects need the stack's loop on its own thread.
 */
final class InetSelector extends AbstractSelector {
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(InetSelector.class, "readyHead", InetSelectionKey.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final InetStack stack;
    private final Set<SelectionKey> keys = new HashSet<>();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selected = new HashSet<>();
    private final Set<SelectionKey> publicSelected = ungrowable(selected);
    /** The ready list ({@code rdllist}): a lock-free stack pushed by the loop's callbacks, taken whole by a select. */
    @SuppressWarnings("unused")
    private volatile InetSelectionKey readyHead;
    /** The thread asleep in a select, to unpark; null while nobody sleeps. */
    private volatile Thread sleeper;
    private volatile boolean wakeupPending;
    /**
     * Unparks the sleeping select once the owner of the stack's state that made a key ready lets go
     * ({@link EventLoop#wakeLater}): woken at once, the select's trip to the loop would find the state held.
     */
    private final WakeQNode wakeSleeper = new WakeQNode() {
        @Override
        protected void wake() {
            Thread t = sleeper;
            if (t != null) LockSupport.unpark(t);
        }
    };
    /** The keys taken off the ready list by the last trip to the loop, and their poll masks; reused. */
    private InetSelectionKey[] batch = new InetSelectionKey[64];
    private int[] masks = new int[64];
    private final IntSupplier takeReady = this::takeReady;

    InetSelector(InetSelectorProvider provider) {
        super(provider);
        this.stack = provider.stack();
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException { return doSelect(null, 0); }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) throw new IllegalArgumentException("Negative timeout");
        return doSelect(null, timeout == 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeout));
    }

    @Override
    public int select() throws IOException { return doSelect(null, -1); }

    @Override
    public int select(Consumer<SelectionKey> action, long timeout) throws IOException {
        if (timeout < 0) throw new IllegalArgumentException("Negative timeout");
        return doSelect(Objects.requireNonNull(action), timeout == 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeout));
    }

    @Override
    public int select(Consumer<SelectionKey> action) throws IOException { return doSelect(Objects.requireNonNull(action), -1); }

    @Override
    public int selectNow(Consumer<SelectionKey> action) throws IOException { return doSelect(Objects.requireNonNull(action), 0); }

    @Override
    public Selector wakeup() {
        wakeupPending = true;
        Thread t = sleeper;
        if (t != null) LockSupport.unpark(t);
        return this;
    }

    /**
     * One selection: {@code timeoutNanos} 0 looks once, negative waits until something is ready, a wakeup or an
     * interrupt. Returns the number of keys whose ready set was updated (or handed to {@code action}).
     */
    private int doSelect(Consumer<SelectionKey> action, long timeoutNanos) throws IOException {
        synchronized (this) {
            ensureOpen();
            synchronized (publicSelected) {
                long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
                try {
                    for (;;) {
                        deregisterCancelled();
                        int found = readyHead == null ? -1 : report(action);
                        if (found >= 0) {
                            deregisterCancelled();
                            return found;
                        }
                        if (timeoutNanos == 0 || wakeupPending || Thread.currentThread().isInterrupted()) return 0;
                        long left = deadline == 0 ? 0 : deadline - System.nanoTime();
                        if (deadline != 0 && left <= 0) return 0;
                        if (stack.loop().inEventLoop()) {
                            throw new IllegalStateException("a blocking select on the stack's own loop thread would never wake");
                        }
                        sleep(left);
                    }
                } finally {
                    wakeupPending = false;
                }
            }
        }
    }

    private void sleep(long nanos) {
        begin(); // an interrupt wakes us up, as Selector promises
        try {
            sleeper = Thread.currentThread();
            // Published sleeper before reading the list: a pusher either sees us or we see its key.
            if (readyHead == null && !wakeupPending) {
                stack.net().sleeperWithoutPoll(); // a TAP reader that stepped aside for pollers serves this select
                if (nanos == 0) LockSupport.park(this);
                else LockSupport.parkNanos(this, nanos);
            }
        } finally {
            sleeper = null;
            end();
        }
    }

    /**
     * Takes the ready list, reads the masks on the loop and reports the keys whose interest they meet; -1 when
     * none did (the wake-ups were for something nobody asked about), so the caller goes back to sleep.
     */
    private int report(Consumer<SelectionKey> action) throws IOException {
        int n;
        try {
            n = LoopCall.call(stack.loop(), takeReady);
        } catch (RejectedExecutionException loopGone) {
            throw new IOException("the stack's loop has stopped", loopGone);
        }
        int updated = 0;
        boolean found = false;
        int i = 0;
        try {
            for (; i < n; i++) {
                InetSelectionKey k = batch[i];
                batch[i] = null;
                if (!k.isValid()) continue;
                int ready = k.inet.readyOps(masks[i], k.interestOpsUnchecked());
                if (ready == 0) continue;
                found = true;
                ready(k); // level-triggered: look again next time
                if (action != null) {
                    k.readyOps(ready);
                    action.accept(k);
                    updated++;
                } else if (selected.contains(k)) {
                    int old = k.readyOpsUnchecked();
                    if ((ready & ~old) != 0) {
                        k.readyOps(old | ready);
                        updated++;
                    }
                } else {
                    k.readyOps(ready);
                    selected.add(k);
                    updated++;
                }
            }
        } finally {
            // An action that threw leaves the rest of the batch unreported: keep it on the list.
            for (i++; i < n; i++) {
                ready(batch[i]);
                batch[i] = null;
            }
        }
        return found ? updated : -1;
    }

    /** On the loop: empties the ready list into {@link #batch}, each key with its socket's poll mask. */
    private int takeReady() {
        InetSelectionKey k = (InetSelectionKey) HEAD.getAndSet(this, null);
        int n = 0;
        while (k != null) {
            InetSelectionKey next = k.next;
            k.next = null;
            k.dequeued(); // a change from here on queues it again, so none is lost
            if (n == batch.length) {
                batch = Arrays.copyOf(batch, n * 2);
                masks = Arrays.copyOf(masks, n * 2);
            }
            Socket s = k.inet.handle().sock;
            batch[n] = k;
            masks[n] = s.sk == null ? PollEvents.POLLHUP : s.ops.poll(s);
            n++;
            k = next;
        }
        return n;
    }

    /**
     * Puts {@code k} on the ready list unless it is there, waking a sleeping select: the wait-queue callback. From the
     * owner of the stack's state the wake-up waits until it lets go; the key is on the list at once.
     */
    void ready(InetSelectionKey k) {
        if (!k.enqueue()) return;
        InetSelectionKey h;
        do {
            h = readyHead;
            k.next = h;
        } while (!HEAD.compareAndSet(this, h, k));
        Thread t = sleeper;
        if (t == null) return;
        EventLoop loop = stack.loop();
        if (loop.inEventLoop()) loop.wakeLater(wakeSleeper);
        else LockSupport.unpark(t);
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        if (!(ch instanceof InetChannel ic) || ic.handle().stack != stack) throw new IllegalSelectorException();
        InetSelectionKey k = new InetSelectionKey(this, ch);
        k.attach(att);
        synchronized (keys) {
            ensureOpen();
            keys.add(k);
        }
        ic.handle().sock.wq().add(k);
        k.interestOps(ops);
        return k;
    }

    /** Cancelled keys leave their socket's wait queue and the key sets ({@code ep_remove}). */
    private void deregisterCancelled() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            if (cancelled.isEmpty()) return;
            for (SelectionKey sk : cancelled) {
                InetSelectionKey k = (InetSelectionKey) sk;
                k.inet.handle().sock.wq().remove(k);
                synchronized (keys) {
                    keys.remove(k);
                }
                selected.remove(k);
                deregister(k);
            }
            cancelled.clear();
        }
    }

    @Override
    protected void implCloseSelector() {
        wakeup();
        synchronized (this) {
            synchronized (publicSelected) {
                List<SelectionKey> all;
                synchronized (keys) {
                    all = new ArrayList<>(keys);
                }
                for (SelectionKey k : all) k.cancel();
                deregisterCancelled();
            }
        }
    }

    private void ensureOpen() {
        if (!isOpen()) throw new ClosedSelectorException();
    }

    /** The selected-key set's public view: keys can be removed, not added (the JDK's {@code Util.ungrowableSet}). */
    private static <E> Set<E> ungrowable(Set<E> s) {
        return new AbstractSet<>() {
            @Override
            public int size() { return s.size(); }

            @Override
            public boolean contains(Object o) { return s.contains(o); }

            @Override
            public boolean remove(Object o) { return s.remove(o); }

            @Override
            public void clear() { s.clear(); }

            @Override
            public Iterator<E> iterator() { return s.iterator(); }
        };
    }
}
