package io.inet4j.stack.javanet;

import io.inet4j.stack.InetServerSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link java.net.ServerSocket} backed by an inet4j {@link InetServerSocket}, built like the JDK's
 * {@code sun.nio.ch.ServerSocketAdaptor}: every public method overridden, with {@code java.net.ServerSocket}'s
 * checks and messages in front. {@link #accept} returns {@link InetSocketAdaptor}s, honours SO_TIMEOUT
 * ({@link java.net.SocketTimeoutException} "Accept timed out") and is woken by {@link #close} from another thread
 * with {@code SocketException("Socket closed")}. SO_REUSEADDR is on from the start, as on the JDK for Linux.
 * Made by {@link InetServerSocketFactory}.
 */
public final class InetServerSocketAdaptor extends ServerSocket {
    private final InetServerSocket s;
    /** The bound address; like the JDK's, it still answers after close. */
    private volatile InetSocketAddress local;

    InetServerSocketAdaptor(InetServerSocket s) throws IOException {
        super(new DetachedSocketImpl());
        this.s = s;
    }

    /** The inet4j socket behind this one. */
    public InetServerSocket inetServerSocket() { return s; }

    @Override
    public void bind(SocketAddress endpoint) throws IOException { bind(endpoint, 50); }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        ensureOpen();
        if (isBound()) throw new SocketException("Already bound");
        SocketAddress ep = endpoint == null ? new InetSocketAddress(0) : endpoint;
        if (!(ep instanceof InetSocketAddress epoint)) throw new IllegalArgumentException("Unsupported address type");
        if (epoint.isUnresolved()) throw new SocketException("Unresolved address");
        s.bind(epoint, backlog);
        local = new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress l = local;
        return l == null ? null : l.getAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress l = local;
        return l == null ? -1 : l.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() { return local; }

    @Override
    public Socket accept() throws IOException {
        ensureOpen();
        if (!isBound()) throw new SocketException("Socket is not bound yet");
        return new InetSocketAdaptor(s.accept());
    }

    @Override
    public void close() { s.close(); }

    @Override
    public ServerSocketChannel getChannel() { return null; }

    @Override
    public boolean isBound() { return local != null; }

    @Override
    public boolean isClosed() { return s.isClosed(); }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        ensureOpen();
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        s.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws IOException { return open().getSoTimeout(); }

    @Override
    public void setReuseAddress(boolean on) throws SocketException { open().setReuseAddress(on); }

    @Override
    public boolean getReuseAddress() throws SocketException { return open().getReuseAddress(); }

    @Override
    public String toString() {
        return isBound() ? "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]" : "ServerSocket[unbound]";
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("negative receive size");
        ensureOpen();
        s.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException { return open().getReceiveBufferSize() / 2; }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        open().setOption(Objects.requireNonNull(name), value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return InetSocketAdaptor.asJdkReports(name, open().getOption(Objects.requireNonNull(name)));
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return s.supportedOptions(); }

    private void ensureOpen() throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
    }

    /** The socket behind, after java.net's check that this one is open. */
    private InetServerSocket open() throws SocketException {
        ensureOpen();
        return s;
    }
}
