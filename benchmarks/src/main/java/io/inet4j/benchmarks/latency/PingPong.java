package io.inet4j.benchmarks.latency;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.HdrHistogram.Histogram;

/**
 * One TCP connection, one byte each way per round trip, as {@code netperf TCP_RR} with 1-byte messages: the client
 * writes a byte, the echo server returns it, the client times the pair. Written against {@code java.net}, so the
 * same loop measures the JDK's sockets and inet4j's ({@code InetStack#socketFactory}).
 */
final class PingPong {
    /** How long a connect or a reply may take before the run fails. */
    private static final int TIMEOUT_MS = 10_000;

    private PingPong() {}

    /**
     * Room for any round trip the run can time, up to the read timeout and past it: an outlier (a long GC, a tracer
     * attached) is a figure in the tail, not an exception that ends the run.
     */
    static Histogram histogram() {
        return new Histogram(TimeUnit.MILLISECONDS.toNanos(2L * TIMEOUT_MS), 3);
    }

    /**
     * Connects through {@code sockets} to {@code server}, runs {@code warmup} untimed round trips (the JIT's and the
     * caches'), then records {@code count} round trips in nanoseconds.
     */
    static Histogram run(SocketFactory sockets, InetSocketAddress server, int warmup, int count) throws IOException {
        Histogram h = histogram();
        try (Socket s = sockets.createSocket()) {
            s.setTcpNoDelay(true);
            s.connect(server, TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < warmup; i++) roundTrip(in, out);
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                roundTrip(in, out);
                h.recordValue(System.nanoTime() - t0);
            }
        }
        return h;
    }

    private static void roundTrip(InputStream in, OutputStream out) throws IOException {
        out.write(1);
        if (in.read() < 0) throw new IOException("echo server closed the connection");
    }
}
