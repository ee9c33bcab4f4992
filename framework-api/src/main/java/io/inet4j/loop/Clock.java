package io.inet4j.loop;

/**
 * The stack's notion of time in nanoseconds (the kernel's {@code jiffies} / {@code ktime}). Only differences
 * matter. Production uses {@link SystemClock}; tests use {@link VirtualClock} so a two-minute TIME_WAIT runs in
 * milliseconds and a seed replays the same packets.
 */
public interface Clock {
    long nanoTime();

    default long millis() { return nanoTime() / 1_000_000L; }
}
