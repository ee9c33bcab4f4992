package io.inet4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pins the deterministic loop tests are built on: tasks run in submission order without moving time,
 * {@code runFor} jumps from timer to timer and ends exactly at its deadline, {@code runUntil} stops as soon as
 * its condition holds, the {@link VirtualClock} never runs backwards, and only the owner thread may submit.
 */
class SimulatedEventLoopTest {
    private static final long MS = 1_000_000L;

    private final SimulatedEventLoop loop = new SimulatedEventLoop(new VirtualClock(1_000 * MS));
    private final List<String> log = new ArrayList<>();

    private long now() { return loop.clock().nanoTime(); }

    /** Arms a fresh timer {@code delay} from now that logs its name and the time it ran. */
    private Timer at(String name, long delay) {
        Timer t = new Timer(() -> log.add(name + "@" + (now() - 1_000 * MS) / MS));
        loop.schedule(t, delay);
        return t;
    }

    @Test
    void tasksRunInSubmissionOrderWithoutMovingTime() {
        loop.execute(() -> log.add("a"));
        loop.execute(() -> {
            log.add("b");
            loop.execute(() -> log.add("d"));
        });
        loop.execute(() -> log.add("c"));
        assertThat(log).isEmpty();
        assertThat(loop.runPending()).isEqualTo(4);
        assertThat(log).containsExactly("a", "b", "c", "d");
        assertThat(now()).isEqualTo(1_000 * MS);
        assertThat(loop.runPending()).isZero();
    }

    @Test
    void runForJumpsFromTimerToTimerAndEndsAtItsDeadline() {
        at("c", 1_000 * MS);
        at("a", 10 * MS);
        at("b", 25 * MS);
        at("late", 3_000 * MS);
        loop.runFor(2_000 * MS);
        assertThat(log).containsExactly("a@10", "b@25", "c@1000");
        assertThat(now()).isEqualTo(3_000 * MS);
        loop.runFor(1_000 * MS);
        assertThat(log).endsWith("late@3000");
    }

    @Test
    void runForReachesTimersManyWheelTurnsAway() {
        at("keepalive", 7_200_000 * MS);
        loop.runFor(7_300_000 * MS);
        assertThat(log).containsExactly("keepalive@7200000");
    }

    @Test
    void timersAndTheTasksTheyQueueInterleaveByTime() {
        loop.schedule(new Timer(() -> {
            log.add("timer@" + (now() - 1_000 * MS) / MS);
            loop.execute(() -> log.add("task@" + (now() - 1_000 * MS) / MS));
        }), 5 * MS);
        at("second", 6 * MS);
        loop.runFor(10 * MS);
        assertThat(log).containsExactly("timer@5", "task@5", "second@6");
    }

    @Test
    void runUntilStopsWhenTheConditionHolds() {
        boolean[] done = new boolean[1];
        loop.schedule(new Timer(() -> done[0] = true), 10 * MS);
        at("after", 20 * MS);
        assertThat(loop.runUntilFor(1_000 * MS, () -> done[0])).isTrue();
        assertThat(now()).isEqualTo(1_010 * MS);
        assertThat(log).as("nothing past the condition ran").isEmpty();
    }

    @Test
    void runUntilChecksTheConditionAfterEveryTask() {
        int[] n = new int[1];
        for (int i = 0; i < 5; i++) loop.execute(() -> n[0]++);
        assertThat(loop.runUntilFor(MS, () -> n[0] == 2)).isTrue();
        assertThat(n[0]).isEqualTo(2);
        loop.runPending();
        assertThat(n[0]).isEqualTo(5);
    }

    @Test
    void runUntilGivesUpAtTheDeadline() {
        at("t", 5 * MS);
        assertThat(loop.runUntil(now() + 50 * MS, () -> false)).isFalse();
        assertThat(now()).isEqualTo(1_050 * MS);
        assertThat(log).containsExactly("t@5");
    }

    @Test
    void aDeadlineInThePastNeitherMovesTimeBackNorFails() {
        loop.runFor(10 * MS);
        assertThat(loop.runUntil(0, () -> false)).isFalse();
        assertThat(now()).isEqualTo(1_010 * MS);
    }

    @Test
    void timeNeverGoesBackwards() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<Long> seen = new ArrayList<>();
        Timer[] timers = new Timer[50];
        for (int i = 0; i < timers.length; i++) {
            timers[i] = new Timer(() -> {
                seen.add(now());
                if (rnd.nextInt(3) == 0) loop.execute(() -> seen.add(now()));
            });
        }
        for (int round = 0; round < 200; round++) {
            Timer t = timers[rnd.nextInt(timers.length)];
            if (rnd.nextInt(4) == 0) loop.cancel(t);
            else loop.schedule(t, rnd.nextLong(0, 40 * MS));
            loop.runFor(rnd.nextLong(0, 3 * MS));
        }
        loop.runFor(100 * MS);
        assertThat(seen).isNotEmpty().isSorted();
    }

    @Test
    void virtualClockRefusesToRunBackwards() {
        VirtualClock clock = new VirtualClock(5);
        clock.advance(10);
        assertThat(clock.nanoTime()).isEqualTo(15);
        clock.advanceTo(15);
        assertThatThrownBy(() -> clock.advanceTo(14)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> clock.advance(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.nanoTime()).isEqualTo(15);
        clock.advance(3_000_000);
        assertThat(clock.millis()).isEqualTo(3);
    }

    @Test
    void onlyTheOwnerThreadMayDriveTheLoop() throws Exception {
        assertThat(loop.inEventLoop()).isTrue();
        loop.assertInLoop();
        CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
            try {
                loop.execute(() -> log.add("from another thread"));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(other.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
        CompletableFuture<Boolean> inLoop = CompletableFuture.supplyAsync(loop::inEventLoop);
        assertThat(inLoop.get(10, TimeUnit.SECONDS)).isFalse();
        loop.runPending();
        assertThat(log).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Timeout(5)
    void runningUntilTheEndOfTimeWhenIdleReturnsInsteadOfSpinning() {
        SimulatedEventLoop idle = new SimulatedEventLoop();
        assertThat(idle.runUntil(Long.MAX_VALUE, () -> false)).isFalse();
        assertThat(idle.clock().nanoTime()).isZero();
    }

    @Test
    void aDelayPastTheEndOfTimeSaturatesInsteadOfFiringAtOnce() {
        SimulatedEventLoop l = new SimulatedEventLoop(new VirtualClock(1_000_000_000L));
        boolean[] fired = new boolean[1];
        Timer t = new Timer(() -> fired[0] = true);
        l.schedule(t, Long.MAX_VALUE);
        l.runFor(86_400_000_000_000L);
        assertThat(fired[0]).isFalse();
        assertThat(t.isPending()).isTrue();
    }
}
