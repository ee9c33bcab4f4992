package io.inet4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link TimerWheel}'s {@code timer_list} semantics: a timer fires when time reaches its deadline rounded up
 * to the tick and never earlier; cancel and re-arm; crowded slots; deadlines beyond level 0's block; an exact
 * {@code nextWakeup} within the block; actions that re-arm themselves or cancel a slot-mate. The hierarchy itself
 * (exactness at level boundaries, cascades, far deadlines, a random comparison with a sorted reference) is pinned by
 * {@link TimerWheelHierarchyTest}.
 */
class TimerWheelTest extends WheelFixture {
    /** Level 0 of the wheel: 64 one-millisecond slots. */
    private static final int SLOTS = 64;

    @Test
    void firesAtTheDeadlineRoundedUpToTheTick() {
        Timer t = timer("t");
        wheel.schedule(t, 2 * MS + MS / 2);
        assertThat(t.isPending()).isTrue();
        assertThat(t.deadline()).isEqualTo(2 * MS + MS / 2);
        assertThat(advanceTo(2 * MS + MS / 2)).as("the deadline itself falls inside tick 2").isZero();
        assertThat(advanceTo(3 * MS - 1)).isZero();
        assertThat(advanceTo(3 * MS)).isEqualTo(1);
        assertThat(fired).containsExactly("t@" + 3 * MS);
        assertThat(t.isPending()).isFalse();
        assertThat(wheel.pending()).isZero();
    }

    @Test
    void aDeadlineOnATickBoundaryFiresExactlyThen() {
        Timer t = timer("t");
        wheel.schedule(t, 5 * MS);
        assertThat(advanceTo(5 * MS - 1)).isZero();
        assertThat(advanceTo(5 * MS)).isEqualTo(1);
    }

    @Test
    void aDeadlineInThePastFiresOnTheNextTick() {
        advanceTo(10 * MS + 300);
        Timer t = timer("late");
        wheel.schedule(t, 3 * MS);
        assertThat(advanceTo(11 * MS - 1)).isZero();
        assertThat(advanceTo(11 * MS)).isEqualTo(1);
    }

    /** Random deadlines and random steps of time, from several starting clocks: never early, at most one tick late. */
    @ParameterizedTest(name = "start {0} ns")
    @ValueSource(longs = {0, 123_456_789, -1_500_000, -7_000_000_123L})
    void neverFiresEarlyNorAfterTheRoundedDeadline(long start) {
        now = start;
        wheel = new TimerWheel(start, MS);
        SplittableRandom rnd = new SplittableRandom(42);
        List<long[]> firings = new ArrayList<>();
        List<Timer> timers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long deadline = start + rnd.nextLong(300 * MS);
            int id = i;
            Timer t = new Timer(() -> firings.add(new long[] {id, now}));
            timers.add(t);
            wheel.schedule(t, deadline);
        }
        long[] deadlines = timers.stream().mapToLong(Timer::deadline).toArray();
        long last = start;
        while (wheel.pending() > 0) {
            last += rnd.nextLong(1, MS / 3);
            advanceTo(last);
        }
        assertThat(firings).hasSize(500);
        for (long[] f : firings) {
            long deadline = deadlines[(int) f[0]];
            long rounded = Math.floorDiv(deadline + MS - 1, MS) * MS;
            assertThat(f[1]).as("timer %d due %d", f[0], deadline).isGreaterThanOrEqualTo(rounded).isLessThan(rounded + MS / 3);
        }
    }

    @Test
    void cancelledTimerDoesNotFire() {
        Timer t = timer("t");
        assertThat(wheel.cancel(t)).as("not armed").isFalse();
        wheel.schedule(t, 4 * MS);
        assertThat(wheel.cancel(t)).isTrue();
        assertThat(wheel.cancel(t)).isFalse();
        assertThat(t.isPending()).isFalse();
        assertThat(wheel.pending()).isZero();
        advanceTo(100 * MS);
        assertThat(fired).isEmpty();
    }

    @Test
    void reArmingMovesTheTimer() {
        Timer t = timer("t");
        wheel.schedule(t, 5 * MS);
        wheel.schedule(t, 9 * MS);
        assertThat(wheel.pending()).isEqualTo(1);
        advanceTo(8 * MS);
        assertThat(fired).isEmpty();
        advanceTo(9 * MS);
        assertThat(fired).containsExactly("t@" + 9 * MS);

        wheel.schedule(t, 20 * MS);
        wheel.schedule(t, 12 * MS);
        advanceTo(12 * MS);
        advanceTo(30 * MS);
        assertThat(fired).containsExactly("t@" + 9 * MS, "t@" + 12 * MS);
    }

    @Test
    void manyTimersInOneSlotFireTogetherAndLaterBlocksWait() {
        List<Timer> now3 = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Timer t = timer("a" + i);
            now3.add(t);
            wheel.schedule(t, 3 * MS);
        }
        Timer nextTurn = timer("b");
        wheel.schedule(nextTurn, 3 * MS + SLOTS * MS);
        wheel.cancel(now3.get(50));
        assertThat(wheel.pending()).isEqualTo(100);

        assertThat(advanceTo(3 * MS)).isEqualTo(99);
        assertThat(nextTurn.isPending()).isTrue();
        assertThat(advanceTo(3 * MS + SLOTS * MS - 1)).isZero();
        assertThat(advanceTo(3 * MS + SLOTS * MS)).isEqualTo(1);
        assertThat(fired).hasSize(100).endsWith("b@" + (3 + SLOTS) * MS).doesNotContain("a50@" + 3 * MS);
    }

    @Test
    void timersSeveralBlocksAwayWaitForTheirTick() {
        Timer t = timer("far");
        long deadline = 5 * SLOTS * MS + 7 * MS;
        wheel.schedule(t, deadline);
        for (int turn = 0; turn < 5; turn++) {
            assertThat(advanceTo(turn * SLOTS * MS + 7 * MS)).as("same level-0 index, block " + turn).isZero();
        }
        assertThat(advanceTo(deadline - 1)).isZero();
        assertThat(advanceTo(deadline)).isEqualTo(1);
        assertThat(fired).containsExactly("far@" + deadline);
    }

    @Test
    void oneLongAdvanceFiresEverythingDueInDeadlineOrder() {
        for (int i = 10; i > 0; i--) wheel.schedule(timer("t" + i), i * 5 * MS);
        assertThat(advanceTo(50 * MS)).isEqualTo(10);
        assertThat(fired).extracting(s -> s.substring(0, s.indexOf('@')))
                .containsExactly("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10");
    }

    @Test
    void nextWakeupIsExactWithinTheBlock() {
        assertThat(wheel.nextWakeup()).as("nothing armed").isEqualTo(Long.MAX_VALUE);
        wheel.schedule(timer("b"), 9 * MS);
        wheel.schedule(timer("a"), 5 * MS + 300);
        assertThat(wheel.nextWakeup()).isEqualTo(6 * MS);
        advanceTo(6 * MS);
        assertThat(wheel.nextWakeup()).isEqualTo(9 * MS);
        advanceTo(9 * MS);
        assertThat(wheel.nextWakeup()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nextWakeupBeyondTheBlockIsATimeToLookAgainNotPastTheDeadline() {
        long deadline = 3 * SLOTS * MS + 2 * MS;
        wheel.schedule(timer("far"), deadline);
        wheel.schedule(timer("same-slot-next-block"), deadline + SLOTS * MS);
        long wake = wheel.nextWakeup();
        assertThat(wake).isGreaterThan(0).isLessThanOrEqualTo(deadline);
        // Following nextWakeup from look-again to look-again reaches the deadline exactly.
        int wakes = 0;
        while (fired.isEmpty()) {
            advanceTo(wheel.nextWakeup());
            wakes++;
        }
        assertThat(fired).containsExactly("far@" + deadline);
        assertThat(wakes).as("one look-again for level 1, then the deadline").isEqualTo(2);
        assertThat(wheel.nextWakeup()).isLessThanOrEqualTo(deadline + SLOTS * MS);
    }

    @Test
    void anActionMayReArmItsOwnTimer() {
        Timer[] self = new Timer[1];
        self[0] = new Timer(() -> {
            fired.add("tick@" + now);
            if (fired.size() < 10) wheel.schedule(self[0], self[0].deadline() + 3 * MS);
        });
        wheel.schedule(self[0], 3 * MS);
        assertThat(advanceTo(100 * MS)).as("one advance fires every period that fell due").isEqualTo(10);
        assertThat(fired).hasSize(10);
        assertThat(self[0].isPending()).isFalse();
    }

    @Test
    void anActionReArmingIntoItsOwnSlotNextBlockFiresOnlyOncePerBlock() {
        Timer[] self = new Timer[1];
        self[0] = new Timer(() -> {
            fired.add("t@" + now);
            wheel.schedule(self[0], self[0].deadline() + SLOTS * MS);
        });
        wheel.schedule(self[0], 4 * MS);
        assertThat(advanceTo(4 * MS)).isEqualTo(1);
        assertThat(advanceTo(4 * MS + SLOTS * MS - 1)).isZero();
        assertThat(advanceTo(4 * MS + SLOTS * MS)).isEqualTo(1);
    }

    @Test
    void anActionMayCancelASlotMate() {
        Timer[] pair = new Timer[2];
        for (int i = 0; i < 2; i++) {
            int other = 1 - i;
            String name = "t" + i;
            pair[i] = new Timer(() -> {
                fired.add(name);
                wheel.cancel(pair[other]);
            });
            wheel.schedule(pair[i], 7 * MS);
        }
        Timer bystander = timer("bystander");
        wheel.schedule(bystander, 7 * MS);
        assertThat(advanceTo(7 * MS)).isEqualTo(2);
        assertThat(fired).hasSize(2).contains("bystander@" + 7 * MS);
        assertThat(wheel.pending()).isZero();
    }

    @Test
    void anActionMayArmASlotMateForLaterWithoutItFiringNow() {
        Timer later = timer("later");
        Timer first = new Timer(() -> {
            fired.add("first");
            wheel.schedule(later, 7 * MS + SLOTS * MS);
        });
        wheel.schedule(later, 7 * MS);
        wheel.schedule(first, 7 * MS);
        assertThat(advanceTo(7 * MS)).as("first moved later out of this tick before its turn came").isEqualTo(1);
        assertThat(later.isPending()).isTrue();
        advanceTo(7 * MS + SLOTS * MS);
        assertThat(fired).containsExactly("first", "later@" + (7 + SLOTS) * MS);
    }

    @Test
    void aThrowingActionPropagatesAndItsSlotMatesStillFireOnTheNextAdvance() {
        wheel.schedule(timer("mate"), 6 * MS);
        wheel.schedule(new Timer(() -> {
            throw new IllegalStateException("boom");
        }), 6 * MS);
        wheel.schedule(timer("later"), 8 * MS);
        assertThatThrownBy(() -> advanceTo(6 * MS)).hasMessage("boom");
        assertThat(advanceTo(6 * MS)).as("the rest of tick 6, at the same time").isEqualTo(1);
        assertThat(fired).containsExactly("mate@" + 6 * MS);
        assertThat(advanceTo(8 * MS)).isEqualTo(1);
        assertThat(wheel.pending()).isZero();
    }

    @Test
    void aCheckedExceptionThrownSneakilyStillLeavesItsSlotMatesDue() {
        wheel.schedule(timer("mate"), 6 * MS);
        wheel.schedule(new Timer(() -> sneakyThrow(new java.io.IOException("checked"))), 6 * MS);
        assertThatThrownBy(() -> advanceTo(6 * MS)).hasMessage("checked");
        assertThat(advanceTo(6 * MS)).as("the rest of tick 6, at the same time").isEqualTo(1);
        assertThat(fired).containsExactly("mate@" + 6 * MS);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void theTickMustBePositive() {
        assertThatThrownBy(() -> new TimerWheel(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TimerWheel(0).tickNanos()).isEqualTo(MS);
    }
}
