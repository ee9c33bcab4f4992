package io.inet4j.loop;

/**
 * A hierarchical timing wheel with cascading (the kernel's timer wheel, {@code kernel/time/timer.c}, as it was
 * before 4.8: {@code tv1}..{@code tv5} and {@code cascade()}), kept exact: a timer fires at its deadline rounded up
 * to the tick, never earlier and, when the clock is driven to {@link #nextWakeup}, never later.
 *
 * <p>Eleven levels of 64 slots cover every 64-bit tick. A timer sits at the lowest level whose slot width still
 * separates its tick from {@code base} (the earliest tick a pending timer may have): level 0 holds the ticks of
 * {@code base}'s 64-tick block one per slot, level {@code k} the {@code 64^k}-tick blocks of the next {@code 64^(k+1)}.
 * When time reaches the first tick of an occupied higher slot, its timers move down (each at most once per
 * level), so arm and cancel are O(1), expiry is amortised O(levels), and one bitmap per level finds the next
 * slot without walking any list: {@code nextWakeup} and {@code advance} cost O(levels) however many timers are
 * armed and however far time jumps.
 *
 * <p>Timers of one tick fire newest-armed first, as in the single-level wheel this replaces; a cascade keeps
 * each slot's order.
 *
 * <p>Not thread-safe: owned by one {@link EventLoop}.
 */
public final class TimerWheel {
    private static final int BITS = 6;
    private static final int SLOTS = 1 << BITS;
    private static final int MASK = SLOTS - 1;
    private static final int LEVELS = (Long.SIZE + BITS - 1) / BITS;
    /** Ticks are compared as unsigned after flipping the sign bit, so negative clocks order correctly. */
    private static final long FLIP = Long.MIN_VALUE;

    private final long tickNanos;
    private final Timer[] slots = new Timer[LEVELS * SLOTS];
    private final long[] occupied = new long[LEVELS];
    /** Every tick up to this one has come: a timer armed now is due at the next tick at the earliest. */
    private long currentTick;
    /** No pending timer is due before this tick; slots are chosen relative to it. */
    private long base;
    private int pending;
    private long cascaded;

    public TimerWheel(long startNanos, long tickNanos) {
        if (tickNanos <= 0) throw new IllegalArgumentException("tickNanos must be positive");
        this.tickNanos = tickNanos;
        this.currentTick = Math.floorDiv(startNanos, tickNanos);
        this.base = currentTick + 1;
    }

    /** One-millisecond ticks. */
    public TimerWheel(long startNanos) { this(startNanos, 1_000_000L); }

    public long tickNanos() { return tickNanos; }
    public int pending() { return pending; }

    /** How many times a timer has moved one level down or more so far: at most once per level per arming. */
    long cascaded() { return cascaded; }

    /** mod_timer: (re)arms {@code t} to fire at {@code deadlineNanos}. */
    public void schedule(Timer t, long deadlineNanos) {
        if (t.isPending()) unlink(t);
        else pending++;
        t.deadline = deadlineNanos;
        link(t, Math.max(ceilTick(deadlineNanos), currentTick + 1));
    }

    /** del_timer: true when the timer was pending. */
    public boolean cancel(Timer t) {
        if (!t.isPending()) return false;
        unlink(t);
        pending--;
        return true;
    }

    /** Puts {@code t}, due at {@code tick} (never before {@code base}), at the head of its slot. */
    private void link(Timer t, long tick) {
        long diff = tick ^ base;
        int level = diff == 0 ? 0 : (63 - Long.numberOfLeadingZeros(diff)) / BITS;
        int index = (int) (((tick ^ FLIP) >>> (BITS * level)) & MASK);
        int s = level * SLOTS + index;
        t.slot = s;
        t.prev = null;
        t.next = slots[s];
        if (t.next != null) t.next.prev = t;
        slots[s] = t;
        occupied[level] |= 1L << index;
    }

    private void unlink(Timer t) {
        int s = t.slot;
        if (t.prev != null) t.prev.next = t.next;
        else if ((slots[s] = t.next) == null) occupied[s / SLOTS] &= ~(1L << (s & MASK));
        if (t.next != null) t.next.prev = t.prev;
        t.prev = t.next = null;
        t.slot = -1;
    }

    /** The tick a deadline falls due in, rounding up; safe up to {@code Long.MAX_VALUE}. */
    private long ceilTick(long nanos) {
        long q = Math.floorDiv(nanos, tickNanos);
        return Math.floorMod(nanos, tickNanos) == 0 ? q : q + 1;
    }

    /**
     * The lowest level with an armed timer, or -1: it holds the earliest work, since each level's slots lie beyond the
     * block the level below covers.
     */
    private int lowestLevel() {
        for (int level = 0; level < LEVELS; level++) if (occupied[level] != 0) return level;
        return -1;
    }

    /**
     * The tick at which {@code level}'s first occupied slot needs work: on level 0 its timers are due then; higher up
     * it is the slot's first tick, when its timers move down (none of them is due earlier).
     */
    private long firstTick(int level) {
        int shift = BITS * level;
        long above = shift + BITS >= Long.SIZE ? 0 : (base ^ FLIP) & (-1L << (shift + BITS));
        return (above | ((long) Long.numberOfTrailingZeros(occupied[level]) << shift)) ^ FLIP;
    }

    /**
     * Fires every timer whose deadline tick has come by {@code nowNanos}, in tick order; returns how many fired.
     * An exception from an action propagates; the timers of that tick not yet fired stay due for the next call.
     */
    public int advance(long nowNanos) {
        long target = Math.floorDiv(nowNanos, tickNanos);
        int fired = 0;
        for (int level; (level = lowestLevel()) >= 0; ) {
            long tick = firstTick(level);
            if (level == 0 && tick <= target) fired += expire(tick);
            // A cascade due at target + 1 runs now, so that base may move to target + 1 below without skipping it.
            else if (level > 0 && tick - 1 <= target) cascade(level, tick);
            else break;
        }
        if (currentTick < target) {
            currentTick = target;
            base = Math.max(base, target == Long.MAX_VALUE ? target : target + 1);
        }
        return fired;
    }

    private int expire(long tick) {
        base = tick;
        currentTick = tick;
        int s = (int) ((tick ^ FLIP) & MASK);
        int fired = 0;
        try {
            for (Timer t; (t = slots[s]) != null; ) {
                unlink(t);
                pending--;
                fired++;
                t.action.run();
            }
        } catch (Throwable e) {
            // An action failed (a checked exception thrown sneakily too): the rest of the tick stays in its slot, due again.
            currentTick = tick - 1;
            throw e;
        }
        return fired;
    }

    /** Moves the timers of the slot starting at {@code tick} one level down or more, keeping their order. */
    private void cascade(int level, long tick) {
        base = tick;
        int s = level * SLOTS + (int) (((tick ^ FLIP) >>> (BITS * level)) & MASK);
        Timer t = slots[s];
        slots[s] = null;
        occupied[level] &= ~(1L << (s & MASK));
        while (t.next != null) t = t.next;
        // Tail first: each re-link goes to a head, so the slot's order survives the move.
        while (t != null) {
            Timer prev = t.prev;
            // A timer armed for a past deadline was placed at the next tick; it is this slot's first tick.
            link(t, Math.max(ceilTick(t.deadline), tick));
            cascaded++;
            t = prev;
        }
    }

    /**
     * When {@link #advance} next has work, or {@code Long.MAX_VALUE} when no timer is armed (or none before the end
     * of time). Exact when the earliest timer is due within the current 64-tick block; otherwise it is the moment its
     * timers move one level down (never past the deadline), and following {@code nextWakeup} from wake to wake
     * reaches the deadline in at most one step per level.
     */
    public long nextWakeup() {
        int level = lowestLevel();
        if (level < 0) return Long.MAX_VALUE;
        long tick = firstTick(level);
        return tick > Long.MAX_VALUE / tickNanos ? Long.MAX_VALUE : tick * tickNanos;
    }
}
