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
}
