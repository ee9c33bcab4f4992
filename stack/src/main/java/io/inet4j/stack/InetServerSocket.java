package io.inet4j.stack;

import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SocketCalls;
import io.inet4j.socket.SockOpt;
import io.inet4j.stack.SocketErrors.Call;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.util.Set;

/**
 * A listening TCP socket on an {@link InetStack}, shaped like {@link java.net.ServerSocket}: bind with a backlog
 * ({@code inet_listen}), a blocking {@link #accept} that honours SO_TIMEOUT, close from any thread unblocking an
 * accept with {@code SocketException("Socket closed")}. As the JDK does on Linux, SO_REUSEADDR is on from the
 * start, so a restarted server can bind while old connections sit in TIME_WAIT. Needs a threaded loop, like
 * {@link InetSocket}.
 */
public final class InetServerSocket implements Closeable {
    /** The JDK's default backlog. */
    static final int DEFAULT_BACKLOG = 50;

    private final SocketHandle h;
    private volatile boolean bound;

    InetServerSocket(SocketHandle h) throws SocketException {
        this.h = h;
        h.setFlag(SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR, true);
    }

    /**
     * bind and listen. A null address binds every local address and an ephemeral port; a backlog below 1 means
     * the default (50), and Linux caps it at {@code net.core.somaxconn}.
     */
    public void bind(SocketAddress local, int backlog) throws IOException {
        h.ensureOpen();
        if (bound) throw new SocketException("Already bound");
        h.bind(local);
        int b = backlog < 1 ? DEFAULT_BACKLOG : backlog;
        h.check(() -> SocketCalls.listen(h.sock, b));
        bound = true;
    }

    /** inet_accept, waiting up to SO_TIMEOUT for a connection. */
    public InetSocket accept() throws IOException {
        h.ensureOpen();
        if (!bound) throw new SocketException("Socket is not bound yet");
        SocketHandle.Accept a = h.new Accept();
        SocketErrors.check(h.awaitWithinSoTimeout(a), Call.ACCEPT);
        return new InetSocket(new SocketHandle(h.stack, a.child), a.peer(), a.local());
    }

    /** Stops listening: connections not yet accepted are reset, a thread blocked in accept gets "Socket closed". */
    @Override
    public void close() { h.close(); }

    public boolean isClosed() { return h.isClosed(); }

    public boolean isBound() { return bound; }

    /** SO_TIMEOUT: how long accept waits, in milliseconds; 0 waits for ever. */
    public void setSoTimeout(int millis) throws SocketException { h.setSoTimeout(millis); }

    public int getSoTimeout() { return h.soTimeoutMillis(); }

    public void setReuseAddress(boolean on) throws SocketException { h.setFlag(SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR, on); }

    public boolean getReuseAddress() throws SocketException { return h.flag(SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR); }

    /** SO_RCVBUF, inherited by accepted connections; set it before bind for it to shape the first window. */
    public void setReceiveBufferSize(int size) throws SocketException { h.setBufferSize(SockOpt.SO_RCVBUF, size); }

    public int getReceiveBufferSize() throws SocketException { return h.option(SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF); }

    /** Sets SO_RCVBUF, SO_REUSEADDR, SO_REUSEPORT or IP_TOS, with the JDK's checks. */
    public <T> void setOption(SocketOption<T> name, T value) throws SocketException {
        JavaSocketOptions.set(h, JavaSocketOptions.LISTENER, name, value);
    }

    public <T> T getOption(SocketOption<T> name) throws SocketException {
        return JavaSocketOptions.get(h, JavaSocketOptions.LISTENER, name);
    }

    public Set<SocketOption<?>> supportedOptions() { return JavaSocketOptions.LISTENER; }

    /** The local port, -1 when not bound or closed. */
    public int getLocalPort() {
        SockAddrIn l = bound ? h.name(false) : null;
        return l == null ? -1 : l.port();
    }

    /** The local address (0.0.0.0 for every address), null when not bound or closed. */
    public InetAddress getInetAddress() {
        SockAddrIn l = bound ? h.name(false) : null;
        return l == null ? null : SocketHandle.toInetAddress(l.address());
    }

    public SocketAddress getLocalSocketAddress() { return bound ? SocketHandle.toSocketAddress(h.name(false)) : null; }

    @Override
    public String toString() {
        return "InetServerSocket[" + (h.isClosed() ? "closed" : bound ? "addr=" + getInetAddress() + ",localport=" + getLocalPort()
                : "unbound") + "]";
    }
}
