package io.inet4j.tcp;

/**
 * tcp_chrono_start / tcp_chrono_stop ({@code net/ipv4/tcp_output.c}): how long a socket has been busy sending,
 * and within that how long the receive window or the send buffer held it back. One chronograph runs at a time,
 * the most interesting condition ({@link #SNDBUF_LIMITED} over {@link #RWND_LIMITED} over {@link #BUSY}) winning;
 * TCP_INFO reports the totals as {@code tcpi_busy_time}, {@code tcpi_rwnd_limited} and {@code tcpi_sndbuf_limited}.
 *
 * <p>An instance is one socket's chronographs ({@code chrono_type}, {@code chrono_start}, {@code chrono_stat[]} of
 * {@code struct tcp_sock}), made when the first one starts ({@link TcpSock#chrono}): a connection that never had
 * anything to send, as most of a million idle ones, carries a null reference instead of 33 bytes. Made once, kept.
 */
final class TcpChrono {
    /** {@code enum tcp_chrono}, in order of precedence. */
    static final int UNSPEC = 0;
    static final int BUSY = 1;
    static final int RWND_LIMITED = 2;
    static final int SNDBUF_LIMITED = 3;

    /** The running chronograph, and since when. */
    private int type;
    private long start;
    /** Totals per condition in nanoseconds: fields rather than an array, which would cost another object. */
    private long busy;
    private long rwndLimited;
    private long sndbufLimited;

    private TcpChrono() {}

    /** A condition began; it takes over from a less interesting one. */
    static void start(TcpSock tp, int type) {
        TcpChrono c = tp.chrono;
        if (c == null) c = tp.chrono = new TcpChrono();
        if (type > c.type) c.set(tp.tcp.now(), type);
    }

    /**
     * A condition ended: the clock stops when nothing is queued or in flight, else it falls back to busy. With none
     * ever started there is nothing to stop.
     */
    static void stop(TcpSock tp, int type) {
        TcpChrono c = tp.chrono;
        if (c == null) return;
        if (tp.writeQueue.isEmpty() && tp.rtxQueue.isEmpty()) c.set(tp.tcp.now(), UNSPEC);
        else if (type == c.type) c.set(tp.tcp.now(), BUSY);
    }

    /** Time spent in {@code type}, the running stretch included, in microseconds (tcp_get_info_chrono_stats). */
    static long usecs(TcpSock tp, int type) {
        TcpChrono c = tp.chrono;
        if (c == null) return 0;
        long t = c.stat(type);
        if (type == c.type) t += tp.tcp.now() - c.start;
        return t / 1000;
    }

    private void set(long now, int newType) {
        long elapsed = now - start;
        switch (type) {
            case BUSY -> busy += elapsed;
            case RWND_LIMITED -> rwndLimited += elapsed;
            case SNDBUF_LIMITED -> sndbufLimited += elapsed;
            default -> { }
        }
        start = now;
        type = newType;
    }

    private long stat(int type) {
        return switch (type) {
            case BUSY -> busy;
            case RWND_LIMITED -> rwndLimited;
            case SNDBUF_LIMITED -> sndbufLimited;
            default -> throw new IllegalArgumentException("chrono " + type);
        };
    }
}
