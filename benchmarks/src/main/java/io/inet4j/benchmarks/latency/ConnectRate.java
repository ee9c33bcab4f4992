package io.inet4j.benchmarks.latency;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.net.SocketFactory;

/**
 * Connections per second a server sustains: {@code threads} clients, each in a loop of connect, one byte written and
 * echoed back, close (the client closes first, so TIME_WAIT stays on the client's side). Counts the loops completed
 * in {@code seconds} after {@code warmup} seconds of the same load (which also warm a server's JIT); failed loops are
 * counted apart and reported, never as completed.
 */
final class ConnectRate {
    /**
     * Completed and failed connections per second over the measured interval, and the connections completed in each
     * whole second since the clients started (warm-up included): a fresh server's JIT warm-up curve.
     */
    record Result(double perSecond, double failuresPerSecond, long[] eachSecond) {}

    private ConnectRate() {}

    static Result run(SocketFactory sockets, InetSocketAddress server, int threads, double warmup, double seconds)
            throws InterruptedException {
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        once(sockets, server);
                        done.increment();
                    } catch (IOException e) {
                        failed.increment();
                    }
                }
            }, "connect-" + i);
            t.start();
            clients.add(t);
        }
        long start = System.nanoTime();
        long[] eachSecond = new long[(int) (warmup + seconds)];
        Thread curve = new Thread(() -> {
            long before = 0;
            for (int i = 0; i < eachSecond.length; i++) {
                if (!sleepUntil(start + (i + 1) * 1_000_000_000L)) return;
                long now = done.sum();
                eachSecond[i] = now - before;
                before = now;
            }
        }, "connect-curve");
        curve.start();
        Thread.sleep((long) (warmup * 1000));
        long d0 = done.sum(), f0 = failed.sum(), t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long d1 = done.sum(), f1 = failed.sum();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : clients) t.join();
        curve.interrupt();
        curve.join();
        return new Result((d1 - d0) / elapsed, (f1 - f0) / elapsed, eachSecond);
    }

    /** Sleeps until {@code deadline} (a {@link System#nanoTime} value); false when interrupted first. */
    private static boolean sleepUntil(long deadline) {
        try {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void once(SocketFactory sockets, InetSocketAddress server) throws IOException {
        try (Socket s = sockets.createSocket()) {
            s.setTcpNoDelay(true);
            s.connect(server, 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(1);
            if (s.getInputStream().read() < 0) throw new IOException("closed before the echo");
        }
    }
}
