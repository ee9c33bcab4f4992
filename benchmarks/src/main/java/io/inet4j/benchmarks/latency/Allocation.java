package io.inet4j.benchmarks.latency;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bytes the JVM allocates per megabyte (10^6 bytes) of payload that inet4j both sends and receives: every live
 * thread's {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} (the application's writer and reader,
 * the stacks' event loops, the TAP reader) summed over a measured transfer that follows an unmeasured warm-up on
 * the same connection. The writer thread lives until the second snapshot, so none of its allocation escapes.
 */
final class Allocation {
    private static final int CHUNK = 64 * 1024;

    private Allocation() {}

    /**
     * Writes {@code warmup} then {@code bytes} bytes to {@code out} from a second thread while this one reads as many
     * from {@code in}; returns the bytes allocated during the second part, divided by {@code bytes / 10^6}.
     */
    static double perMegabyte(OutputStream out, InputStream in, long warmup, long bytes)
            throws IOException, InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                byte[] chunk = new byte[CHUNK];
                write(out, chunk, warmup);
                go.await();
                write(out, chunk, bytes);
                measured.await();
            } catch (IOException e) {
                failure.set(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "alloc-writer");
        writer.start();
        byte[] buf = new byte[CHUNK];
        read(in, buf, warmup, failure);
        Map<Long, Long> before = allocatedByThread();
        go.countDown();
        read(in, buf, bytes, failure);
        Map<Long, Long> after = allocatedByThread();
        measured.countDown();
        writer.join();
        long allocated = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) allocated += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        return allocated / (bytes / 1e6);
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
