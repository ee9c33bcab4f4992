package io.inet4j.stack;

import io.inet4j.socket.WaitQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

/**
 * A channel's registration with an {@link InetSelector}, and at the same time its persistent entry on the
 * socket's wait queue, like an epoll item ({@code struct epitem}): when the socket changes, {@link #wake} puts the
 * key on its selector's ready list once ({@code ep_poll_callback}); the selector then asks the socket's poll
 * mask. Nothing is registered or allocated per select.
 */
final class InetSelectionKey extends AbstractSelectionKey implements WaitQueue.Entry {
    private static final VarHandle QUEUED;

    static {
        try {
            QUEUED = MethodHandles.lookup().findVarHandle(InetSelectionKey.class, "queued", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final InetSelector selector;
    final SelectableChannel channel;
    final InetChannel inet;
    private volatile int interestOps;
    private volatile int readyOps;
    /** On the ready list: set by whoever pushes the key, cleared when the selector takes it off. */
    @SuppressWarnings("unused")
    private volatile boolean queued;
    /** The next key on the ready list; written only by the thread that set {@link #queued}. */
    InetSelectionKey next;

    InetSelectionKey(InetSelector selector, SelectableChannel channel) {
        this.selector = selector;
        this.channel = channel;
        this.inet = (InetChannel) channel;
    }

    @Override
    public SelectableChannel channel() { return channel; }

    @Override
    public Selector selector() { return selector; }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    /** Like epoll_ctl(EPOLL_CTL_MOD): a newly wanted operation makes the selector look at the socket again. */
    @Override
    public SelectionKey interestOps(int ops) {
        ensureValid();
        if ((ops & ~channel.validOps()) != 0) throw new IllegalArgumentException("invalid interest set " + ops);
        int old = interestOps;
        interestOps = ops;
        if ((ops & ~old) != 0) selector.ready(this);
        return this;
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    void readyOps(int ops) { readyOps = ops; }

    int readyOpsUnchecked() { return readyOps; }

    int interestOpsUnchecked() { return interestOps; }

    private void ensureValid() {
        if (!isValid()) throw new CancelledKeyException();
    }

    /** The wait-queue callback: runs on the stack's loop when the socket changes. */
    @Override
    public void wake() { selector.ready(this); }

    /** Claims the key for the ready list; false when it is on it already. */
    boolean enqueue() { return QUEUED.compareAndSet(this, false, true); }

    /** Taken off the ready list: a change from now on queues it again. */
    void dequeued() { queued = false; }
}
