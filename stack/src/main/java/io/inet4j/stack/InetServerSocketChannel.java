package io.inet4j.stack;

import io.inet4j.socket.Errno;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SocketCalls;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * A listening TCP socket as a {@link ServerSocketChannel} ({@link InetSelectorProvider#openServerSocketChannel()}),
 * like the JDK's {@code ServerSocketChannelImpl}: bind with a backlog ({@code inet_listen}), {@link #accept} that
 * answers null in non-blocking mode when nobody waits ({@code inet_accept}'s EAGAIN) and sleeps in blocking mode,
 * OP_ACCEPT readiness from the listener's poll mask, and {@link #socket()} as a working {@link ServerSocket}.
 * SO_REUSEADDR is on from the start, as the JDK sets it on Linux.
 */
final class InetServerSocketChannel extends ServerSocketChannel implements InetChannel {
    private final SocketHandle h;
    private final InetSelectorProvider provider;
    private final Object lock = new Object();
    private final Object acceptLock = new Object();
    private volatile boolean bound;
    private ChannelServerSocket adaptor;

    InetServerSocketChannel(InetSelectorProvider provider, SocketHandle h) throws IOException {
        super(provider);
        this.provider = provider;
        this.h = h;
        h.setFlag(SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR, true);
    }

    @Override
    public SocketHandle handle() { return h; }

    /** bind and listen; a backlog below 1 means the JDK's default of 50, capped by {@code net.core.somaxconn}. */
    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        synchronized (lock) {
            ensureOpen();
            if (bound) throw new AlreadyBoundException();
            h.bind(local);
            int b = backlog < 1 ? InetServerSocket.DEFAULT_BACKLOG : backlog;
            h.check(() -> SocketCalls.listen(h.sock, b));
            bound = true;
        }
        return this;
    }

    boolean isBound() { return bound; }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        ChannelOptions.set(this, ChannelOptions.LISTEN, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException { return ChannelOptions.get(this, ChannelOptions.LISTEN, name); }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return ChannelOptions.LISTEN; }

    @Override
    public ServerSocket socket() {
        synchronized (lock) {
            if (adaptor == null) adaptor = new ChannelServerSocket(this);
            return adaptor;
        }
    }

    /** inet_accept: the next established connection as a blocking channel; null in non-blocking mode when none waits. */
    @Override
    public SocketChannel accept() throws IOException {
        synchronized (acceptLock) {
            ensureOpen();
            if (!bound) throw new NotYetBoundException();
            SocketHandle.Accept a = h.new Accept();
            int r;
            if (isBlocking()) {
                r = Errno.EBADF.neg();
                begin();
                try {
                    r = h.awaitWithinSoTimeout(a);
                } finally {
                    end(r != Errno.EBADF.neg() && r != Errno.EINTR.neg());
                }
                if (r == Errno.EAGAIN.neg()) SocketErrors.check(r, SocketErrors.Call.ACCEPT); // SO_TIMEOUT ran out
            } else {
                r = h.call(a);
                if (r == Errno.EAGAIN.neg()) return null;
            }
            SocketErrors.check(r);
            return new InetSocketChannel(provider, new SocketHandle(h.stack, a.child), a.peer());
        }
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return bound ? SocketHandle.toSocketAddress(h.name(false)) : null;
    }

    @Override
    public int readyOps(int mask, int interest) {
        if ((mask & (PollEvents.POLLERR | PollEvents.POLLHUP)) != 0) return interest;
        return (mask & PollEvents.POLLIN) != 0 ? interest & SelectionKey.OP_ACCEPT : 0;
    }

    @Override
    protected void implConfigureBlocking(boolean block) { h.sock.nonBlocking = !block; }

    @Override
    protected void implCloseSelectableChannel() { h.close(); }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public String toString() {
        return "InetServerSocketChannel[" + (!isOpen() ? "closed" : bound ? String.valueOf(h.name(false)) : "unbound") + "]";
    }
}
