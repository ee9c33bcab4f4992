package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.Timer;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * A decorator that puts seeded faults on any {@link Link}, both directions: loss, duplication, reordering,
 * corruption (one flipped bit) and fixed delay. The kernel's {@code netem} in a form that works where the
 * kernel lacks it, and deterministic: a seed and an order of frames give the same faults every run.
 *
 * <p>Each direction has its own random stream, so faults on one side do not shift the other's. Frames that are
 * delayed or held back for reordering are released from the stack's loop by a timer.
 */
public final class FaultInjectingLink extends LinkShaper {
    /** A frame held back for reordering goes out after the next frame, or after this long at the latest. */
    private static final long REORDER_HOLD_NANOS = 1_000_000L;

    private final FaultSpec spec;
    private final Direction tx;
    private final Direction rx;
    private final Counters counters = new Counters();

    public FaultInjectingLink(Link inner, FaultSpec spec) {
        super(inner);
        this.spec = spec;
        this.tx = new Direction(new SplittableRandom(spec.seed()));
        this.rx = new Direction(new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + 1));
    }

    /** How many frames each fault hit, both directions together. */
    public Counters counters() { return counters; }

    @Override
    protected void started(EventLoop loop, Sink toWire, Sink toHost) {
        tx.init(loop, toWire);
        rx.init(loop, toHost);
    }

    @Override protected void outgoing(PacketBuffer frame) { tx.apply(frame); }
    @Override protected void incoming(PacketBuffer frame) { rx.apply(frame); }

    @Override
    protected void dropHeld() {
        tx.drop();
        rx.drop();
    }

    /** Fault counts, read from any thread. */
    public static final class Counters {
        volatile long lost;
        volatile long duplicated;
        volatile long reordered;
        volatile long corrupted;

        public long lost() { return lost; }
        public long duplicated() { return duplicated; }
        public long reordered() { return reordered; }
        public long corrupted() { return corrupted; }

        @Override
        public String toString() {
            return "lost " + lost + " duplicated " + duplicated + " reordered " + reordered + " corrupted " + corrupted;
        }
    }

    private final class Direction {
        private final SplittableRandom rnd;
        private final ArrayDeque<PacketBuffer> delayed = new ArrayDeque<>();
        private final ArrayDeque<Long> due = new ArrayDeque<>();
        private final Timer delayTimer = new Timer(this::releaseDelayed);
        private final Timer holdTimer = new Timer(this::releaseHeld);
        private EventLoop loop;
        private Sink sink;
        private PacketBuffer held;

        Direction(SplittableRandom rnd) { this.rnd = rnd; }

        void init(EventLoop loop, Sink sink) {
            this.loop = loop;
            this.sink = sink;
        }

        void apply(PacketBuffer frame) {
            if (closed()) {
                frame.release();
                return;
            }
            if (spec.loss() > 0 && rnd.nextDouble() < spec.loss()) {
                counters.lost++;
                frame.release();
                return;
            }
            if (spec.corrupt() > 0 && rnd.nextDouble() < spec.corrupt() && frame.length() > 0) {
                // The sender may still hold this buffer for retransmission: corrupt a private copy.
                PacketBuffer c = frame.copy();
                frame.release();
                frame = c;
                int at = frame.data() + rnd.nextInt(frame.length());
                frame.setByte(at, frame.getByte(at) ^ (1 << rnd.nextInt(8)));
                counters.corrupted++;
            }
            boolean dup = spec.duplicate() > 0 && rnd.nextDouble() < spec.duplicate();
            PacketBuffer copy = dup ? frame.copy() : null;
            if (dup) counters.duplicated++;
            reorder(frame);
            if (copy != null) reorder(copy);
        }

        private void reorder(PacketBuffer frame) {
            if (held == null && spec.reorder() > 0 && rnd.nextDouble() < spec.reorder()) {
                counters.reordered++;
                held = frame;
                loop.schedule(holdTimer, Math.max(REORDER_HOLD_NANOS, spec.delayNanos()));
                return;
            }
            delay(frame);
            releaseHeld();
        }

        private void releaseHeld() {
            PacketBuffer h = held;
            if (h == null) return;
            held = null;
            loop.cancel(holdTimer);
            delay(h);
        }

        private void delay(PacketBuffer frame) {
            if (spec.delayNanos() == 0) {
                sink.send(frame);
                return;
            }
            delayed.add(frame);
            due.add(loop.clock().nanoTime() + spec.delayNanos());
            if (!delayTimer.isPending()) loop.timers().schedule(delayTimer, due.peek());
        }

        /** Cancels the timers and releases what this direction holds. */
        void drop() {
            if (loop == null) return;
            loop.cancel(holdTimer);
            loop.cancel(delayTimer);
            if (held != null) held.release();
            held = null;
            PacketBuffer b;
            while ((b = delayed.poll()) != null) b.release();
            due.clear();
        }

        private void releaseDelayed() {
            long now = loop.clock().nanoTime();
            while (!due.isEmpty() && due.peek() <= now) {
                due.poll();
                sink.send(delayed.poll());
            }
            if (!due.isEmpty()) loop.timers().schedule(delayTimer, due.peek());
        }
    }
}
