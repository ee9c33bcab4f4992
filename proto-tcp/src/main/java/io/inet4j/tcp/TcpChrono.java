package io.inet4j.tcp;

/**
 * tcp_chrono_start / tcp_chrono_stop ({@code net/ipv4/tcp_output.c}): how long a socket has been busy sending,
 * and within that how long the receive window or the send buffer held it back. One chronograph runs at a time,
 * the most interesting condition ({@link #SNDBUF_LIMITED} over {@link #RWND_LIMITED} over {@link #BUSY}) winning;
 * TCP_INFO reports the totals as {@code tcpi_busy_time}, {@code tcpi_rwnd_limited} and {@code tcpi_sndbuf_limited}.
 */
final class TcpChrono {
    /** {@code enum tcp_chrono}, in order of precedence. */
    static final int UNSPEC = 0;
    static final int BUSY = 1;
    static final int RWND_LIMITED = 2;
    static final int SNDBUF_LIMITED = 3;

    private TcpChrono() {}

    /** A condition began; it takes over from a less interesting one. */
    static void start(TcpSock tp, int type) {
        if (type > tp.chronoType) set(tp, type);
    }

    /** A condition ended: the clock stops when nothing is queued or in flight, else it falls back to busy. */
    static void stop(TcpSock tp, int type) {
        if (tp.writeQueue.isEmpty() && tp.rtxQueue.isEmpty()) set(tp, UNSPEC);
        else if (type == tp.chronoType) set(tp, BUSY);
    }

    /** Time spent in {@code type}, the running stretch included, in microseconds (tcp_get_info_chrono_stats). */
    static long usecs(TcpSock tp, int type) {
        long t = stat(tp, type);
        if (type == tp.chronoType) t += tp.tcp.now() - tp.chronoStart;
        return t / 1000;
    }

    private static void set(TcpSock tp, int type) {
        long now = tp.tcp.now();
        long elapsed = now - tp.chronoStart;
        switch (tp.chronoType) {
            case BUSY -> tp.chronoBusy += elapsed;
            case RWND_LIMITED -> tp.chronoRwndLimited += elapsed;
            case SNDBUF_LIMITED -> tp.chronoSndbufLimited += elapsed;
            default -> { }
        }
        tp.chronoStart = now;
        tp.chronoType = (byte) type;
    }

    private static long stat(TcpSock tp, int type) {
        return switch (type) {
            case BUSY -> tp.chronoBusy;
            case RWND_LIMITED -> tp.chronoRwndLimited;
            case SNDBUF_LIMITED -> tp.chronoSndbufLimited;
            default -> throw new IllegalArgumentException("chrono " + type);
        };
    }
}
