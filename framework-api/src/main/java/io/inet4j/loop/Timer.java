package io.inet4j.loop;

/**
 * A re-armable timer, the analog of the kernel's {@code struct timer_list}: allocated once per owner (a socket's
 * retransmit timer, a neighbour's probe timer) and armed with {@link TimerWheel#schedule} as often as needed, so
 * arming allocates nothing. Intrusive: the wheel links timers through their own fields.
 */
public final class Timer {
    final Runnable action;
    long deadline;
    Timer prev;
    Timer next;
    int slot = -1;

    public Timer(Runnable action) { this.action = action; }

    /** True while armed and not yet fired. */
    public boolean isPending() { return slot >= 0; }

    /** When it fires, in clock nanoseconds; meaningful only while pending. */
    public long deadline() { return deadline; }
}
