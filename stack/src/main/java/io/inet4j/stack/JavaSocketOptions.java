package io.inet4j.stack;

import io.inet4j.socket.SockOpt;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;

/**
 * The {@link SocketOption}s of {@link InetSocket} and {@link InetServerSocket} and the setsockopt level and name
 * each one is, as the JDK's {@code sun.nio.ch.SocketOptionRegistry} maps them on Linux, with the checks of
 * {@code sun.nio.ch.NioSocketImpl.setOption} and {@code Net.setSocketOption}: an option the socket does not have
 * is an {@link UnsupportedOperationException}, a value of the wrong type or out of range an
 * {@link IllegalArgumentException}.
 */
final class JavaSocketOptions {
    private record Key(int level, int name) {}

    private static final Map<SocketOption<?>, Key> KEYS = Map.ofEntries(
            Map.entry(StandardSocketOptions.SO_SNDBUF, new Key(SockOpt.SOL_SOCKET, SockOpt.SO_SNDBUF)),
            Map.entry(StandardSocketOptions.SO_RCVBUF, new Key(SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF)),
            Map.entry(StandardSocketOptions.SO_KEEPALIVE, new Key(SockOpt.SOL_SOCKET, SockOpt.SO_KEEPALIVE)),
            Map.entry(StandardSocketOptions.SO_REUSEADDR, new Key(SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR)),
            Map.entry(StandardSocketOptions.SO_REUSEPORT, new Key(SockOpt.SOL_SOCKET, SockOpt.SO_REUSEPORT)),
            Map.entry(StandardSocketOptions.SO_LINGER, new Key(SockOpt.SOL_SOCKET, SockOpt.SO_LINGER)),
            Map.entry(InetSocketOptions.SO_BUSY_POLL, new Key(SockOpt.SOL_SOCKET, SockOpt.SO_BUSY_POLL)),
            Map.entry(StandardSocketOptions.IP_TOS, new Key(SockOpt.SOL_IP, SockOpt.IP_TOS)),
            Map.entry(StandardSocketOptions.TCP_NODELAY, new Key(SockOpt.SOL_TCP, SockOpt.TCP_NODELAY)),
            Map.entry(ExtendedSocketOptions.TCP_KEEPIDLE, new Key(SockOpt.SOL_TCP, SockOpt.TCP_KEEPIDLE)),
            Map.entry(ExtendedSocketOptions.TCP_KEEPINTERVAL, new Key(SockOpt.SOL_TCP, SockOpt.TCP_KEEPINTVL)),
            Map.entry(ExtendedSocketOptions.TCP_KEEPCOUNT, new Key(SockOpt.SOL_TCP, SockOpt.TCP_KEEPCNT)),
            Map.entry(InetSocketOptions.TCP_INFO, new Key(SockOpt.SOL_TCP, SockOpt.TCP_INFO)),
            Map.entry(InetSocketOptions.TCP_DEFER_ACCEPT, new Key(SockOpt.SOL_TCP, SockOpt.TCP_DEFER_ACCEPT)),
            Map.entry(InetSocketOptions.TCP_NOTSENT_LOWAT, new Key(SockOpt.SOL_TCP, SockOpt.TCP_NOTSENT_LOWAT)),
            Map.entry(InetSocketOptions.TCP_CONGESTION, new Key(SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION)));

    /** A connection's options: all of them. */
    static final Set<SocketOption<?>> STREAM = Set.copyOf(KEYS.keySet());
    /** A listener's, as the JDK's server socket has them. */
    static final Set<SocketOption<?>> LISTENER = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.IP_TOS, InetSocketOptions.TCP_DEFER_ACCEPT,
            InetSocketOptions.TCP_NOTSENT_LOWAT, InetSocketOptions.TCP_CONGESTION, InetSocketOptions.SO_BUSY_POLL);

    private JavaSocketOptions() {}

    static <T> void set(SocketHandle h, Set<SocketOption<?>> supported, SocketOption<T> name, T value) throws SocketException {
        Key k = key(supported, name);
        if (name == InetSocketOptions.TCP_INFO) throw new SocketException("Attempt to set read-only option " + name);
        if (!name.type().isInstance(value)) throw new IllegalArgumentException("Invalid value '" + value + "'");
        if (name == InetSocketOptions.TCP_CONGESTION) {
            h.setCongestion((String) value);
            return;
        }
        int v;
        if (value instanceof Boolean b) {
            v = b ? 1 : 0;
        } else {
            v = (Integer) value;
            if ((name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) && v < 0) {
                throw new IllegalArgumentException("Invalid send/receive buffer size");
            }
            if (name == StandardSocketOptions.IP_TOS && (v < 0 || v > 255)) throw new IllegalArgumentException("Invalid IP_TOS value");
            if (name == StandardSocketOptions.SO_LINGER) v = v < 0 ? -1 : Math.min(v, 65535);
        }
        h.setOption(k.level, k.name, v);
    }

    @SuppressWarnings("unchecked")
    static <T> T get(SocketHandle h, Set<SocketOption<?>> supported, SocketOption<T> name) throws SocketException {
        Key k = key(supported, name);
        if (name == InetSocketOptions.TCP_INFO) return (T) h.tcpInfo();
        if (name == InetSocketOptions.TCP_CONGESTION) return (T) h.congestion();
        int v = h.option(k.level, k.name);
        return (T) (name.type() == Boolean.class ? Boolean.valueOf(v != 0) : Integer.valueOf(v));
    }

    private static Key key(Set<SocketOption<?>> supported, SocketOption<?> name) {
        Objects.requireNonNull(name, "name");
        if (!supported.contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        return KEYS.get(name);
    }
}
