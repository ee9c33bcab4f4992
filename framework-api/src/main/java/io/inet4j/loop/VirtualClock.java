package io.inet4j.loop;

/** A {@link Clock} that moves only when told to; driven by {@link SimulatedEventLoop}. */
public final class VirtualClock implements Clock {
    private long now;

    public VirtualClock(long startNanos) { this.now = startNanos; }

    public VirtualClock() { this(0); }

    @Override public long nanoTime() { return now; }

    public void advanceTo(long nanos) {
        if (nanos < now) throw new IllegalArgumentException("time runs forward only: " + nanos + " < " + now);
        now = nanos;
    }

    public void advance(long nanos) { advanceTo(now + nanos); }
}
