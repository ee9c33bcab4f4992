package io.inet4j.loop;

/**
 * A hashed timing wheel (the kernel's timer wheel, {@code kernel/time/timer.c}, in its simplest form). Timers are
 * kept in {@code slots} buckets by deadline tick; arm, re-arm and cancel are O(1) and allocation-free. Expiry
 * is rounded up to the tick, as in the kernel where a timer never fires early.
 *
 * <p>Not thread-safe: owned by one {@link EventLoop}.
 */
public final class TimerWheel {
    private final long tickNanos;
    private final int mask;
    private final Timer[] slots;
    private long currentTick;
    private int pending;

    public TimerWheel(long startNanos, long tickNanos, int slots) {
        if (Integer.bitCount(slots) != 1) throw new IllegalArgumentException("slots must be a power of two");
        this.tickNanos = tickNanos;
        this.mask = slots - 1;
        this.slots = new Timer[slots];
        this.currentTick = Math.floorDiv(startNanos, tickNanos);
    }

    /** One-millisecond ticks, 1024 slots. */
    public TimerWheel(long startNanos) { this(startNanos, 1_000_000L, 1024); }

    public long tickNanos() { return tickNanos; }
    public int pending() { return pending; }

    /** mod_timer: (re)arms {@code t} to fire at {@code deadlineNanos}. */
    public void schedule(Timer t, long deadlineNanos) {
        if (t.isPending()) unlink(t);
        t.deadline = deadlineNanos;
        long tick = Math.max(ceilTick(deadlineNanos), currentTick + 1);
        int s = (int) (tick & mask);
        t.slot = s;
        t.prev = null;
        t.next = slots[s];
        if (t.next != null) t.next.prev = t;
        slots[s] = t;
        pending++;
    }

    /** del_timer: true when the timer was pending. */
    public boolean cancel(Timer t) {
        if (!t.isPending()) return false;
        unlink(t);
        return true;
    }

    private void unlink(Timer t) {
        if (t.prev != null) t.prev.next = t.next;
        else slots[t.slot] = t.next;
        if (t.next != null) t.next.prev = t.prev;
        t.prev = t.next = null;
        t.slot = -1;
        pending--;
    }

    /** The tick a deadline falls due in, rounding up; safe up to {@code Long.MAX_VALUE}. */
    private long ceilTick(long nanos) {
        long q = Math.floorDiv(nanos, tickNanos);
        return Math.floorMod(nanos, tickNanos) == 0 ? q : q + 1;
    }

    /**
     * Fires every timer whose deadline tick has come by {@code nowNanos}; returns how many fired. An exception
     * from an action propagates; the timers of that tick not yet fired stay due for the next call.
     */
    public int advance(long nowNanos) {
        long target = Math.floorDiv(nowNanos, tickNanos);
        int fired = 0;
        while (currentTick < target && pending > 0) {
            currentTick++;
            try {
                fired += expire((int) (currentTick & mask), currentTick);
            } catch (Throwable e) {
                // An action failed (a checked exception thrown sneakily too): step back so the next advance fires the rest of this tick, not a turn later.
                currentTick--;
                throw e;
            }
        }
        if (currentTick < target) currentTick = target;
        return fired;
    }

    private int expire(int s, long tick) {
        int fired = 0;
        Timer t = slots[s];
        while (t != null) {
            Timer next = t.next;
            if (ceilTick(t.deadline) <= tick) {
                unlink(t);
                fired++;
                t.action.run();
                // The action may have re-armed or cancelled other timers of this slot: restart from the head.
                next = slots[s];
            }
            t = next;
        }
        return fired;
    }

    /**
     * The earliest time at which {@link #advance} may fire something, or {@code Long.MAX_VALUE} when no timer is
     * armed. Exact for timers due within one turn of the wheel; for later ones it is a time to look again.
     */
    public long nextWakeup() {
        if (pending == 0) return Long.MAX_VALUE;
        for (long tick = currentTick + 1; tick <= currentTick + slots.length; tick++) {
            for (Timer t = slots[(int) (tick & mask)]; t != null; t = t.next) {
                if (ceilTick(t.deadline) <= tick) return tick * tickNanos;
            }
        }
        return (currentTick + slots.length) * tickNanos;
    }
}
