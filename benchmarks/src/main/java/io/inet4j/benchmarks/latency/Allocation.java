package io.inet4j.benchmarks.latency;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Bytes the JVM allocates per megabyte (10^6 bytes) of payload that inet4j both sends and receives: every live
 * thread's {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} (the application's writer and reader,
 * the stacks' event loops, the TAP reader) summed over a measured transfer that follows an unmeasured warm-up on
 * the same connection. The writer thread lives until the second snapshot, so none of its allocation escapes.
 *
 * <p>It also counts the packet buffers the stacks' pools had to create in the measured part. A pool allocates only
 * when more buffers are queued at once than ever before (a receive or send queue reaching a new peak); when the
 * warm-up did not reach the peak, that growth is most of the figure. So the warm-up goes on, round by round,
 * until a round creates no buffer.
 */
final class Allocation {
    private static final int CHUNK = 64 * 1024;
    /** Warm-up rounds at most: the pools usually stop growing within two. */
    static final int WARMUP_ROUNDS = 4;

    private Allocation() {}

    /** Bytes allocated per MB moved, and packet buffers the pools created meanwhile. */
    record Result(double bytesPerMb, long buffersCreated) {}

    /**
     * Writes {@code warmup} bytes at a time to {@code out} from a second thread while this one reads as many from
     * {@code in}, until a round leaves the pools' {@code created()} where it was (at most {@link #WARMUP_ROUNDS}
     * rounds); then {@code bytes} more, measured: returns the bytes allocated meanwhile, divided by
     * {@code bytes / 10^6}, and how many buffers the pools created during it.
     */
    static Result perMegabyte(OutputStream out, InputStream in, long warmup, long bytes, LongSupplier created)
            throws IOException, InterruptedException {
        BlockingQueue<Long> rounds = new LinkedBlockingQueue<>();
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                byte[] chunk = new byte[CHUNK];
                for (long n; (n = rounds.take()) > 0; ) write(out, chunk, n);
            } catch (IOException e) {
                failure.set(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "alloc-writer");
        writer.start();
        byte[] buf = new byte[CHUNK];
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            long c = created.getAsLong();
            rounds.put(warmup);
            read(in, buf, warmup, failure);
            if (round > 0 && created.getAsLong() == c) break;
        }
        long createdBefore = created.getAsLong();
        Map<Long, Long> before = allocatedByThread();
        rounds.put(bytes);
        read(in, buf, bytes, failure);
        Map<Long, Long> after = allocatedByThread();
        long createdDuring = created.getAsLong() - createdBefore;
        rounds.put(0L); // the writer, alive until the snapshot above, may end
        writer.join();
        long allocated = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) allocated += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        return new Result(allocated / (bytes / 1e6), createdDuring);
    }

    private static void write(OutputStream out, byte[] chunk, long bytes) throws IOException {
        for (long left = bytes; left > 0; left -= chunk.length) out.write(chunk, 0, (int) Math.min(chunk.length, left));
        out.flush();
    }

    private static void read(InputStream in, byte[] buf, long bytes, AtomicReference<IOException> writerFailure)
            throws IOException {
        for (long left = bytes; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                IOException cause = writerFailure.get();
                throw new IOException("stream ended with " + left + " bytes still to come", cause);
            }
            left -= n;
        }
    }

    private static Map<Long, Long> allocatedByThread() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) if (bytes[i] >= 0) m.put(ids[i], bytes[i]);
        return m;
    }
}
