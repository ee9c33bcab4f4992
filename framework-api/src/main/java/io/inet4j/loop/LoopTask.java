package io.inet4j.loop;

/**
 * A task that is its own queue node, so queuing it on a {@link ThreadEventLoop} allocates nothing: the analog of
 * the kernel's {@code llist_node} / {@code callback_head} embedded in what is queued ({@code irq_work},
 * {@code task_work}). Socket calls handed to the loop and a device's backlog drain are such tasks, made once and
 * queued again and again. A plain {@link Runnable} given to {@link EventLoop#execute} gets a node of its own.
 *
 * <p>A task sits in at most one queue at a time: it may be queued again once it has started running, never while
 * it still waits.
 */
public abstract class LoopTask implements Runnable {
    /** The task queued before this one (while pending) or after it (once the loop took the batch). */
    LoopTask next;
    /** Between being queued and being taken off to run; a second queuing meanwhile would corrupt the list. */
    boolean queued;

    /** {@code r} itself when it is a task, else a fresh node that runs it. */
    static LoopTask of(Runnable r) {
        return r instanceof LoopTask t ? t : new Node(r);
    }

    private static final class Node extends LoopTask {
        private final Runnable r;

        Node(Runnable r) { this.r = r; }

        @Override public void run() { r.run(); }
    }
}
