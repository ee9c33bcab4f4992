package io.inet4j.benchmarks;

import io.inet4j.loop.Timer;
import io.inet4j.loop.TimerWheel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The event loop's timer wheel ({@code kernel/time/timer.c}'s role) with {@code armed} timers pending, spread over
 * the next minute as a busy stack's retransmit, keepalive and TIME_WAIT timers are; a fired timer re-arms itself a
 * minute on, so the count stays put. Only the public API ({@code schedule}, {@code cancel}, {@code advance},
 * {@code nextWakeup}): the internals may change under it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerWheelBenchmark {
    private static final long MS = 1_000_000L;
    private static final long SPREAD = 60_000 * MS;

    @Param({"10000", "100000"})
    public int armed;

    private TimerWheel wheel;
    private Timer[] timers;
    private Timer extra;
    private long now;
    private int next;
    private final SplittableRandom random = new SplittableRandom(11);

    @Setup
    public void setUp() {
        wheel = new TimerWheel(0);
        timers = new Timer[armed];
        for (int i = 0; i < armed; i++) {
            Timer[] self = new Timer[1];
            self[0] = new Timer(() -> wheel.schedule(self[0], now + SPREAD));
            timers[i] = self[0];
            wheel.schedule(timers[i], 1 + random.nextLong(SPREAD));
        }
        extra = new Timer(() -> { });
    }

    /** mod_timer on an armed timer to another deadline in the same minute, as an ACK pushes a retransmit timer back. */
    @Benchmark
    public int rearm() {
        Timer t = timers[next++ % armed];
        wheel.schedule(t, now + 1 + random.nextLong(SPREAD));
        return wheel.pending();
    }

    /** Arm then cancel one more timer: a delayed ACK that a data segment makes needless. */
    @Benchmark
    public boolean armAndCancel() {
        wheel.schedule(extra, now + 40 * MS);
        return wheel.cancel(extra);
    }

    /** One millisecond tick of the clock, firing (and re-arming) whatever fell due. */
    @Benchmark
    public int advance() {
        now += MS;
        return wheel.advance(now);
    }

    /** When the loop must wake next: asked before every sleep. */
    @Benchmark
    public long nextWakeup() {
        return wheel.nextWakeup();
    }
}
