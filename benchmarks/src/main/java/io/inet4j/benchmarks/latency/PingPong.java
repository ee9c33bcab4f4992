package io.inet4j.benchmarks.latency;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import org.HdrHistogram.Histogram;

/**
 * One TCP connection, one byte each way per round trip, as {@code netperf TCP_RR} with 1-byte messages: the client
 * writes a byte, the echo server returns it, the client times the pair. Written against {@code java.net}, so the
 * same loop measures the JDK's sockets and inet4j's ({@code InetStack#socketFactory}).
 */
final class PingPong {
    private PingPong() {}

    /**
     * Connects through {@code sockets} to {@code server}, runs {@code warmup} untimed round trips (the JIT's and the
     * caches'), then records {@code count} round trips in nanoseconds.
     */
    static Histogram run(SocketFactory sockets, InetSocketAddress server, int warmup, int count) throws IOException {
        Histogram h = new Histogram(1_000_000_000L, 3);
        try (Socket s = sockets.createSocket()) {
            s.setTcpNoDelay(true);
            s.connect(server, 10_000);
            s.setSoTimeout(10_000);
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
