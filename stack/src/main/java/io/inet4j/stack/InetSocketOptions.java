package io.inet4j.stack;

import io.inet4j.socket.TcpInfo;
import java.net.SocketOption;

/**
 * inet4j's own {@link SocketOption}s for {@link InetSocket} and {@link InetSocketChannel}, in the manner of
 * {@code jdk.net.ExtendedSocketOptions}: options Linux has that the JDK does not name.
 */
public final class InetSocketOptions {
    private InetSocketOptions() {}

    /**
     * {@code getsockopt(SOL_TCP, TCP_INFO)}: a snapshot of the connection's state, Linux's {@code struct tcp_info}.
     * Read-only: setting it is a {@link java.net.SocketException}, as for the JDK's read-only options.
     */
    public static final SocketOption<TcpInfo> TCP_INFO = new SocketOption<>() {
        @Override public String name() { return "TCP_INFO"; }

        @Override public Class<TcpInfo> type() { return TcpInfo.class; }

        @Override public String toString() { return name(); }
    };

    /**
     * {@code setsockopt(SOL_TCP, TCP_DEFER_ACCEPT)} on a listener: seconds to wait for the first data before a
     * connection is accepted; reads back rounded up to the SYN-ACK backoff Linux counts it in.
     */
    public static final SocketOption<Integer> TCP_DEFER_ACCEPT = intOption("TCP_DEFER_ACCEPT");

    /**
     * {@code setsockopt(SOL_TCP, TCP_NOTSENT_LOWAT)}: unsent bytes below which the socket counts as writable
     * (OP_WRITE, a blocked write going on); 0 follows {@code net.ipv4.tcp_notsent_lowat}.
     */
    public static final SocketOption<Integer> TCP_NOTSENT_LOWAT = intOption("TCP_NOTSENT_LOWAT");

    /**
     * {@code setsockopt(SOL_SOCKET, SO_BUSY_POLL)}: microseconds a blocking read spins on the socket before it
     * sleeps, so data arriving meanwhile costs no thread wake-up; 0 (the default, {@code net.core.busy_read}) never
     * spins. It trades a core's time for latency: worth it for request-response traffic on spare cores.
     */
    public static final SocketOption<Integer> SO_BUSY_POLL = intOption("SO_BUSY_POLL");

    /**
     * {@code setsockopt(SOL_TCP, TCP_CONGESTION)}: the congestion control algorithm by name ({@code "cubic"},
     * {@code "reno"}, or a plug-in's), on a connection or on a listener for the connections it accepts. An unknown
     * name is a {@link java.net.SocketException} (ENOENT), as is one a {@code congctl lock} route forbids (EPERM).
     */
    public static final SocketOption<String> TCP_CONGESTION = new SocketOption<>() {
        @Override public String name() { return "TCP_CONGESTION"; }

        @Override public Class<String> type() { return String.class; }

        @Override public String toString() { return name(); }
    };

    private static SocketOption<Integer> intOption(String name) {
        return new SocketOption<>() {
            @Override public String name() { return name; }

            @Override public Class<Integer> type() { return Integer.class; }

            @Override public String toString() { return name; }
        };
    }
}
