package io.inet4j.stack;

import io.inet4j.socket.SockOpt;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.net.StandardSocketOptions;
import java.util.Set;

/**
 * The {@link SocketOption}s of inet4j's channels and their socket adaptors as the setsockopt/getsockopt calls
 * they are (the JDK's {@code sun.nio.ch.Net.setSocketOption}): level and name, booleans as 0/1, SO_LINGER's
 * negative value meaning off, buffer sizes that must be positive.
 */
final class ChannelOptions {
    /** What a TCP connection's channel supports. */
    static final Set<SocketOption<?>> STREAM = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS,
            InetSocketOptions.TCP_INFO, InetSocketOptions.TCP_NOTSENT_LOWAT, InetSocketOptions.TCP_CONGESTION,
            InetSocketOptions.SO_BUSY_POLL);
    /** What a listening channel supports. */
    static final Set<SocketOption<?>> LISTEN = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, InetSocketOptions.TCP_DEFER_ACCEPT, InetSocketOptions.TCP_NOTSENT_LOWAT,
            InetSocketOptions.TCP_CONGESTION, InetSocketOptions.SO_BUSY_POLL);

    private ChannelOptions() {}

    static <C extends java.nio.channels.Channel & InetChannel> void set(C ch, Set<SocketOption<?>> supported, SocketOption<?> name,
            Object value) throws IOException {
        if (!ch.isOpen()) throw new ClosedChannelException();
        SocketHandle h = ch.handle();
        int level = level(supported, name);
        if (name == InetSocketOptions.TCP_INFO) throw new SocketException("Attempt to set read-only option " + name);
        if (value == null) throw new IllegalArgumentException("Invalid value 'null'");
        if (name == InetSocketOptions.TCP_CONGESTION) {
            if (!(value instanceof String s)) throw new IllegalArgumentException("Invalid value '" + value + "'");
            h.setCongestion(s);
            return;
        }
        int v;
        if (value instanceof Boolean b) v = b ? 1 : 0;
        else {
            v = (Integer) value;
            if (name == StandardSocketOptions.SO_LINGER) v = v < 0 ? -1 : Math.min(v, 65535);
            else if ((name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) && v < 0) {
                throw new IllegalArgumentException("Invalid send/receive buffer size");
            }
        }
        h.setOption(level, optname(name), v);
    }

    @SuppressWarnings("unchecked")
    static <T, C extends java.nio.channels.Channel & InetChannel> T get(C ch, Set<SocketOption<?>> supported, SocketOption<T> name)
            throws IOException {
        if (!ch.isOpen()) throw new ClosedChannelException();
        int level = level(supported, name);
        if (name == InetSocketOptions.TCP_INFO) return (T) ch.handle().tcpInfo();
        if (name == InetSocketOptions.TCP_CONGESTION) return (T) ch.handle().congestion();
        int v = ch.handle().option(level, optname(name));
        return (T) (name.type() == Boolean.class ? Boolean.valueOf(v != 0) : Integer.valueOf(v));
    }

    /** An option set through a socket adaptor: the JDK's adaptors report every failure as a SocketException. */
    static <T> void adaptorSet(NetworkChannel ch, SocketOption<T> name, T value) throws SocketException {
        try {
            ch.setOption(name, value);
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    static <T> T adaptorGet(NetworkChannel ch, SocketOption<T> name) throws SocketException {
        try {
            return ch.getOption(name);
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    /** The JDK's {@code Net.translateToSocketException}: a closed channel is a closed socket. */
    static SocketException asSocketException(IOException e) {
        if (e instanceof SocketException se) return se;
        if (e instanceof ClosedChannelException) return new SocketException("Socket is closed");
        SocketException se = new SocketException(e.getMessage());
        se.initCause(e);
        return se;
    }

    private static int level(Set<SocketOption<?>> supported, SocketOption<?> name) {
        if (!supported.contains(java.util.Objects.requireNonNull(name))) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        if (name == StandardSocketOptions.TCP_NODELAY || name == InetSocketOptions.TCP_INFO
                || name == InetSocketOptions.TCP_DEFER_ACCEPT || name == InetSocketOptions.TCP_NOTSENT_LOWAT
                || name == InetSocketOptions.TCP_CONGESTION) {
            return SockOpt.SOL_TCP;
        }
        if (name == StandardSocketOptions.IP_TOS) return SockOpt.SOL_IP;
        return SockOpt.SOL_SOCKET;
    }

    private static int optname(SocketOption<?> name) {
        if (name == StandardSocketOptions.SO_RCVBUF) return SockOpt.SO_RCVBUF;
        if (name == StandardSocketOptions.SO_SNDBUF) return SockOpt.SO_SNDBUF;
        if (name == StandardSocketOptions.SO_KEEPALIVE) return SockOpt.SO_KEEPALIVE;
        if (name == StandardSocketOptions.SO_REUSEADDR) return SockOpt.SO_REUSEADDR;
        if (name == StandardSocketOptions.SO_REUSEPORT) return SockOpt.SO_REUSEPORT;
        if (name == StandardSocketOptions.SO_LINGER) return SockOpt.SO_LINGER;
        if (name == StandardSocketOptions.SO_BROADCAST) return SockOpt.SO_BROADCAST;
        if (name == StandardSocketOptions.TCP_NODELAY) return SockOpt.TCP_NODELAY;
        if (name == InetSocketOptions.TCP_DEFER_ACCEPT) return SockOpt.TCP_DEFER_ACCEPT;
        if (name == InetSocketOptions.TCP_NOTSENT_LOWAT) return SockOpt.TCP_NOTSENT_LOWAT;
        if (name == InetSocketOptions.SO_BUSY_POLL) return SockOpt.SO_BUSY_POLL;
        return SockOpt.IP_TOS;
    }
}
