package io.inet4j.testkit.link;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.Timer;
import io.inet4j.netdev.Link;
import io.inet4j.netdev.LinkShaper;
import java.util.ArrayDeque;

/**
 * A bottleneck on any {@link Link}, both directions alike: frames leave one after another at a fixed bit rate
 * through a drop-tail queue of at most {@code limitBytes} waiting, then take a fixed propagation delay, what
 * {@code tc qdisc add dev X root netem rate R delay D} with a byte-limited FIFO makes of each end of a veth pair.
 * Flows through the same link share the rate and the queue, so they compete as on a real bottleneck; on a
 * simulated loop it is deterministic. Arrivals are rounded up to the loop's timer tick (1 ms), so a fast link
 * delivers in bursts per tick at the right average rate.
 */
public final class BottleneckLink extends LinkShaper {
    private final long bitsPerSecond;
    private final long delayNanos;
    private final long limitBytes;
    private final Direction tx = new Direction();
    private final Direction rx = new Direction();

    /** {@code bitsPerSecond} of rate, {@code delayNanos} one way, at most {@code limitBytes} queued per direction. */
    public BottleneckLink(Link inner, long bitsPerSecond, long delayNanos, long limitBytes) {
        super(inner);
        if (bitsPerSecond <= 0 || delayNanos < 0 || limitBytes <= 0) {
            throw new IllegalArgumentException("rate " + bitsPerSecond + " delay " + delayNanos + " limit " + limitBytes);
        }
        this.bitsPerSecond = bitsPerSecond;
        this.delayNanos = delayNanos;
        this.limitBytes = limitBytes;
    }

    /** Frames the full queue dropped, both directions. */
    public long drops() { return tx.drops + rx.drops; }

    @Override
    protected void started(EventLoop loop, Sink toWire, Sink toHost) {
        tx.init(loop, toWire);
        rx.init(loop, toHost);
    }

    @Override protected void outgoing(PacketBuffer frame) { tx.enqueue(frame); }
    @Override protected void incoming(PacketBuffer frame) { rx.enqueue(frame); }

    @Override
    protected void dropHeld() {
        tx.drop();
        rx.drop();
    }

    /** One direction: when the last queued frame finishes leaving, and the frames in flight with their arrivals. */
    private final class Direction {
        private final ArrayDeque<PacketBuffer> inFlight = new ArrayDeque<>();
        private long[] arrivals = new long[64];
        private int head;
        private int size;
        private final Timer timer = new Timer(this::deliver);
        private long lastDeparture;
        private long drops;
        private EventLoop loop;
        private Sink sink;

        void init(EventLoop loop, Sink sink) {
            this.loop = loop;
            this.sink = sink;
        }

        void enqueue(PacketBuffer frame) {
            if (closed()) {
                frame.release();
                return;
            }
            long now = loop.clock().nanoTime();
            // What still waits to leave is the time until the last departure, at the rate.
            long backlogBytes = Math.max(0, lastDeparture - now) * bitsPerSecond / 8_000_000_000L;
            int len = frame.length();
            if (backlogBytes + len > limitBytes) {
                drops++;
                frame.release();
                return;
            }
            lastDeparture = Math.max(now, lastDeparture) + len * 8_000_000_000L / bitsPerSecond;
            push(frame, lastDeparture + delayNanos);
        }

        private void push(PacketBuffer frame, long arrival) {
            if (size == arrivals.length) {
                long[] grown = new long[size * 2];
                for (int i = 0; i < size; i++) grown[i] = arrivals[(head + i) % size];
                arrivals = grown;
                head = 0;
            }
            arrivals[(head + size) % arrivals.length] = arrival;
            size++;
            inFlight.add(frame);
            if (size == 1) loop.timers().schedule(timer, arrival);
        }

        private void deliver() {
            long now = loop.clock().nanoTime();
            while (size > 0 && arrivals[head] <= now) {
                head = (head + 1) % arrivals.length;
                size--;
                sink.send(inFlight.poll());
            }
            if (size > 0) loop.timers().schedule(timer, arrivals[head]);
        }

        void drop() {
            if (loop == null) return;
            loop.cancel(timer);
            for (PacketBuffer b; (b = inFlight.poll()) != null; ) b.release();
            size = 0;
        }
    }
}
