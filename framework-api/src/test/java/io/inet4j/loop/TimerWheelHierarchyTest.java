package io.inet4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins what the levels of {@link TimerWheel} must not change: exact expiry at every level boundary, cascades that keep
 * a tick's newest-first order, cancelling and re-arming timers that have moved down, deadlines up to the end of time
 * and before zero, a throwing action in a cascaded tick; a random comparison with a sorted reference; and the
 * structural bound that makes a crowd of far timers (TIME_WAIT) cheap: each timer moves down at most once per level.
 */
class TimerWheelHierarchyTest extends WheelFixture {
    private static final int LEVELS = 11;

    /** Drives the wheel as the simulated loop does: from wake-up to wake-up, then to {@code until}; returns the wake-ups. */
    private int runTo(long until) {
        int wakes = 0;
        for (long w; (w = wheel.nextWakeup()) < until; wakes++) {
            assertThat(w).as("a wake-up is never in the past").isGreaterThan(now);
            advanceTo(w);
        }
        advanceTo(until);
        return wakes;
    }

    /** Ticks on each side of the first levels' boundaries (64, 64^2, 64^3, 64^4 ms). */
    @ParameterizedTest(name = "{0} ticks")
    @ValueSource(longs = {1, 62, 63, 64, 65, 127, 128, 4_095, 4_096, 4_097, 4_160, 262_143, 262_144, 262_145, 16_777_215,
            16_777_216, 16_777_217, 1_073_741_824L, 68_719_476_737L})
    void firesExactlyAtItsTickAcrossLevelBoundaries(long ticks) {
        for (long start : new long[] {0, 17 * MS + 5, 63 * MS, 4_095 * MS + MS - 1}) {
            wheel = new TimerWheel(start, MS);
            now = start;
            fired.clear();
            long deadline = Math.floorDiv(start, MS) * MS + ticks * MS;
            wheel.schedule(timer("t"), deadline);
            // Driven by nextWakeup it lands on the deadline itself; one nanosecond short it has not fired.
            runTo(deadline - 1);
            assertThat(fired).as("start %d", start).isEmpty();
            assertThat(wheel.nextWakeup()).as("start %d", start).isEqualTo(deadline);
            advanceTo(deadline);
            assertThat(fired).as("start %d", start).containsExactly("t@" + deadline);
        }
    }

    @ParameterizedTest(name = "{0} ticks")
    @ValueSource(longs = {63, 64, 65, 4_095, 4_096, 4_097, 262_144, 262_145})
    void oneJumpOverManyLevelsFiresAtTheRightTimeToo(long ticks) {
        Timer t = timer("t");
        wheel.schedule(t, ticks * MS);
        assertThat(advanceTo(ticks * MS - 1)).isZero();
        assertThat(t.isPending()).isTrue();
        assertThat(advanceTo(ticks * MS + 1_000 * MS)).isEqualTo(1);
    }

    @Test
    void aCascadeKeepsTheNewestArmedFirstOrderOfATick() {
        long deadline = 70_000 * MS;
        for (int i = 0; i < 5; i++) wheel.schedule(timer("far" + i), deadline);
        runTo(deadline - 100 * MS);
        // Armed after the others had moved down a level or two: newer, so first.
        wheel.schedule(timer("late"), deadline);
        runTo(deadline);
        assertThat(fired).extracting(s -> s.substring(0, s.indexOf('@')))
                .containsExactly("late", "far4", "far3", "far2", "far1", "far0");
        assertThat(wheel.cascaded()).as("five timers moved twice (2 -> 1 -> 0), the late one once").isEqualTo(11);
    }

    @Test
    void aCascadedTimerCanBeCancelledAndReArmed() {
        Timer a = timer("a");
        Timer b = timer("b");
        wheel.schedule(a, 300_000 * MS);
        wheel.schedule(b, 300_000 * MS);
        runTo(300_000 * MS - 2 * MS);
        assertThat(wheel.cascaded()).as("both moved down").isGreaterThanOrEqualTo(2);
        assertThat(wheel.cancel(a)).isTrue();
        wheel.schedule(b, 300_000 * MS + 5_000 * MS);
        assertThat(wheel.pending()).isEqualTo(1);
        runTo(400_000 * MS);
        assertThat(fired).containsExactly("b@" + (305_000 * MS));
        assertThat(wheel.pending()).isZero();
        assertThat(wheel.nextWakeup()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void deadlinesUpToTheEndOfTime() {
        wheel.schedule(timer("max"), Long.MAX_VALUE);
        long lastTick = Long.MAX_VALUE / MS * MS;
        wheel.schedule(timer("last"), lastTick);
        wheel.schedule(timer("half"), Long.MAX_VALUE / 2);
        long wakes = runTo(Long.MAX_VALUE);
        assertThat(fired).containsExactly("half@" + (Long.MAX_VALUE / 2 / MS + 1) * MS, "last@" + lastTick);
        assertThat(wakes).as("a few look-agains per level, not one per block").isLessThan(3L * 64 * LEVELS);
        // Its tick lies past the end of time: still armed, never early, and nothing to wake up for.
        assertThat(wheel.pending()).isEqualTo(1);
        assertThat(wheel.nextWakeup()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aNanosecondTickReachesLongMaxValueAndCrossesZero() {
        wheel = new TimerWheel(-1_000, 1);
        now = -1_000;
        long[] deadlines = {-999, -1, 0, 1, 1L << 40, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        for (long d : deadlines) wheel.schedule(timer(Long.toString(d)), d);
        advanceTo(Long.MAX_VALUE);
        List<String> expected = new ArrayList<>();
        for (long d : deadlines) expected.add(d + "@" + Long.MAX_VALUE);
        assertThat(fired).containsExactlyElementsOf(expected);

        wheel = new TimerWheel(-1_000, 1);
        now = -1_000;
        fired.clear();
        for (long d : deadlines) wheel.schedule(timer(Long.toString(d)), d);
        runTo(Long.MAX_VALUE);
        expected.clear();
        for (long d : deadlines) expected.add(d + "@" + d);
        assertThat(fired).as("each at its own nanosecond").containsExactlyElementsOf(expected);
    }

    @Test
    void anActionReArmsItselfAcrossLevels() {
        Timer[] self = new Timer[1];
        long[] periods = {1, 63, 64, 4_095, 4_096, 262_144, 5};
        self[0] = new Timer(() -> {
            fired.add("t@" + now);
            if (fired.size() < periods.length) wheel.schedule(self[0], self[0].deadline() + periods[fired.size()] * MS);
        });
        wheel.schedule(self[0], periods[0] * MS);
        runTo(400_000 * MS);
        long at = 0;
        List<String> expected = new ArrayList<>();
        for (long p : periods) expected.add("t@" + (at += p * MS));
        assertThat(fired).containsExactlyElementsOf(expected);
    }

    /** Armed at the block's last tick for a past deadline: due the next tick, which is the next block's first. */
    @Test
    void aPastDeadlineArmedAtTheEndOfABlockFiresOnTheNextTick() {
        Timer late = timer("late");
        wheel.schedule(new Timer(() -> wheel.schedule(late, 0)), 63 * MS);
        runTo(100 * MS);
        assertThat(fired).containsExactly("late@" + 64 * MS);
    }

    @Test
    void aThrowingActionInACascadedTickLeavesTheRestDue() {
        long deadline = 5_000 * MS;
        wheel.schedule(timer("mate"), deadline);
        wheel.schedule(new Timer(() -> {
            throw new IllegalStateException("boom");
        }), deadline);
        wheel.schedule(timer("later"), deadline + MS);
        assertThatThrownBy(() -> advanceTo(deadline + 10 * MS)).hasMessage("boom");
        assertThat(fired).isEmpty();
        assertThat(wheel.nextWakeup()).as("the rest of the failed tick").isEqualTo(deadline);
        Timer armedMeanwhile = timer("meanwhile");
        wheel.schedule(armedMeanwhile, 0);
        assertThat(advanceTo(deadline + 10 * MS)).isEqualTo(3);
        assertThat(fired).containsExactly("meanwhile@" + (deadline + 10 * MS), "mate@" + (deadline + 10 * MS),
                "later@" + (deadline + 10 * MS));
    }

    /**
     * What each TIME_WAIT socket does: 50,000 timers a minute out, then thousands of advances a millisecond apart as a
     * busy loop makes them. No timer is touched until its slot's time comes, and each moves down at most once per level.
     */
    @Test
    void aCrowdOfFarTimersIsTouchedOnlyWhenItsTimeComes() {
        int n = 50_000;
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < n; i++) wheel.schedule(timer("tw"), 60_000 * MS + rnd.nextLong(5_000 * MS));
        for (int i = 1; i <= 10_000; i++) {
            advanceTo(i * MS);
            assertThat(wheel.nextWakeup()).isGreaterThan(now);
        }
        assertThat(wheel.cascaded()).as("nothing moved ten seconds before the first deadline").isZero();
        runTo(70_000 * MS);
        assertThat(fired).hasSize(n);
        assertThat(wheel.cascaded()).isLessThanOrEqualTo((long) n * (LEVELS - 1)).isLessThanOrEqualTo(3L * n);
    }

    /** Random arming, re-arming, cancelling and time steps, from wake-up to wake-up and in jumps, against a sorted list. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void matchesASortedReference(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long start = rnd.nextLong(-1L << 40, 1L << 40);
        wheel = new TimerWheel(start, MS);
        Reference ref = new Reference(start, MS);
        now = start;
        List<String> gotFired = new ArrayList<>();
        List<String> refFired = new ArrayList<>();
        int count = 200;
        Timer[] timers = new Timer[count];
        Reference.Entry[] entries = new Reference.Entry[count];
        for (int i = 0; i < count; i++) {
            int id = i;
            timers[i] = new Timer(() -> {
                gotFired.add(id + "@" + now);
                if (id % 7 == 0) wheel.schedule(timers[id], now + (id + 1) * MS);
            });
            entries[i] = ref.entry(() -> {
                refFired.add(id + "@" + now);
                if (id % 7 == 0) ref.schedule(entries[id], now + (id + 1) * MS);
            });
        }
        for (int step = 0; step < 20_000; step++) {
            int op = rnd.nextInt(10);
            int id = rnd.nextInt(count);
            if (op < 4) {
                long d = now + randomDelay(rnd);
                wheel.schedule(timers[id], d);
                ref.schedule(entries[id], d);
            } else if (op < 5) {
                assertThat(wheel.cancel(timers[id])).isEqualTo(ref.cancel(entries[id]));
            } else {
                long to;
                if (op < 8) {
                    to = wheel.nextWakeup();
                    assertThat(to).isLessThanOrEqualTo(ref.nextDue());
                    if (to == Long.MAX_VALUE) continue;
                } else {
                    to = now + rnd.nextLong(1L << rnd.nextInt(1, 41));
                }
                now = to;
                assertThat(wheel.advance(to)).isEqualTo(ref.advance(to));
                assertThat(gotFired).isEqualTo(refFired);
                gotFired.clear();
                refFired.clear();
            }
            assertThat(wheel.pending()).isEqualTo(ref.pending());
        }
    }

    /** Delays on every scale from a nanosecond to weeks, some in the past. */
    private static long randomDelay(SplittableRandom rnd) {
        long d = rnd.nextLong(1L << rnd.nextInt(1, 51));
        return rnd.nextInt(20) == 0 ? -d : d;
    }

    /** The obvious wheel: every armed timer in one sorted set, by tick then newest first. */
    private static final class Reference {
        final class Entry {
            final Runnable action;
            long tick;
            long seq;
            boolean armed;

            Entry(Runnable action) { this.action = action; }
        }

        private final long tickNanos;
        private final TreeSet<Entry> armed = new TreeSet<>(
                Comparator.<Entry>comparingLong(e -> e.tick).thenComparing(e -> -e.seq));
        private long current;
        private long seq;

        Reference(long start, long tickNanos) {
            this.tickNanos = tickNanos;
            this.current = Math.floorDiv(start, tickNanos);
        }

        Entry entry(Runnable action) { return new Entry(action); }

        int pending() { return armed.size(); }

        void schedule(Entry e, long deadline) {
            cancel(e);
            e.tick = Math.max(-Math.floorDiv(-deadline, tickNanos), current + 1);
            e.seq = ++seq;
            e.armed = true;
            armed.add(e);
        }

        boolean cancel(Entry e) {
            if (!e.armed) return false;
            armed.remove(e);
            e.armed = false;
            return true;
        }

        long nextDue() { return armed.isEmpty() ? Long.MAX_VALUE : armed.first().tick * tickNanos; }

        int advance(long nowNanos) {
            long target = Math.floorDiv(nowNanos, tickNanos);
            int n = 0;
            while (!armed.isEmpty() && armed.first().tick <= target) {
                Entry e = armed.pollFirst();
                e.armed = false;
                current = e.tick;
                n++;
                e.action.run();
            }
            current = Math.max(current, target);
            return n;
        }
    }
}
