package io.inet4j.tap;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.ThreadEventLoop;
import io.inet4j.netdev.LinkHost;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A LinkHost that copies every received frame into a queue and releases the buffer at once. */
final class RecordingHost implements LinkHost, AutoCloseable {
    private final ThreadEventLoop loop = new ThreadEventLoop("test-loop");
    private final PacketBufferPool pool = PacketBufferPool.standard();
    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

    @Override
    public void receive(PacketBuffer frame) {
        byte[] bytes = new byte[frame.length()];
        frame.read(frame.data(), bytes, 0, bytes.length);
        frame.release();
        frames.add(new Frame(bytes));
    }

    @Override public PacketBufferPool pool() { return pool; }
    @Override public EventLoop loop() { return loop; }

    /** The first frame matching {@code what} within {@code timeout}, or null; frames that do not match are dropped. */
    Frame await(Predicate<Frame> what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Frame f = frames.poll(left, TimeUnit.NANOSECONDS);
            if (f != null && what.test(f)) return f;
        }
        return null;
    }

    @Override
    public void close() { loop.close(); }
}
