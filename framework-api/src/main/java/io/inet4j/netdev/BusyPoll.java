package io.inet4j.netdev;

/**
 * A link's receive queue that a thread about to sleep for its socket may poll itself, so the frame it waits for
 * wakes it directly instead of waking the link's reader, which would then wake it: the analog of
 * {@code napi_busy_loop} run from {@code sk_busy_loop}, except that the caller sleeps in the device's wait instead
 * of spinning. One thread polls a device at a time (the busy poller owning {@code NAPI_STATE_SCHED}), so frames stay
 * in order; what it reads goes up the stack in its own thread, as the reader's frames do, and wakes other sockets'
 * sleepers as the reader would.
 */
public interface BusyPoll {
    /**
     * Makes the calling thread the device's poller when nobody else polls it: true, to be paired with
     * {@link #endPoll} on the same thread; false when another thread polls it (the caller sleeps as usual).
     */
    boolean tryStartPoll();

    /**
     * The poller's sleep: waits up to {@code nanos} ({@code 0}: up to the device's own slice, after which the caller
     * looks at its interrupt and its condition again) for a frame, which it reads and hands up in this thread, or
     * for {@link #wakePoller}. False, without waiting, when the device cannot be polled any more (closed, failed):
     * the caller parks instead, and {@link #wakePoller} still reaches it.
     */
    boolean pollOnce(long nanos);

    /**
     * The wake function of a sleeper that polls ({@code wait_queue_entry.func}): gets {@code poller} out of
     * {@link #pollOnce} or out of a park. Nothing when the poller wakes itself (a frame it read made its own socket
     * ready: it looks at its condition next anyway).
     */
    void wakePoller(Thread poller);

    /** Gives the device back after {@link #tryStartPoll}; the link's reader takes it over when nobody else does. */
    void endPoll();

    /**
     * A thread is about to sleep for a socket without polling (its socket has no device yet, or another thread
     * polls this one): a device whose reader stepped aside for polling callers takes its frames back now, so the
     * frame that sleeper waits for does not wait for the reader's next look. Linux needs no such call because its
     * deferral ({@code napi_defer_hard_irqs}) is off unless asked for. Cheap when there is nothing to do.
     */
    default void sleeperWithoutPoll() {}
}
