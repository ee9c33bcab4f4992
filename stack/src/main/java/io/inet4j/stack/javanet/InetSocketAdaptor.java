package io.inet4j.stack.javanet;

import io.inet4j.stack.InetSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link java.net.Socket} backed by an inet4j {@link InetSocket}, built as the JDK builds the socket of a
 * {@code SocketChannel} ({@code sun.nio.ch.SocketAdaptor}): every public method is overridden, in the order of
 * {@code java.net.Socket}, and the checks and messages in front of each are {@code java.net.Socket}'s ("Socket is
 * closed", "Already connected", an unresolved address is an {@link UnknownHostException} that closes the socket).
 * Behind them is the inet4j socket: a blocking connect with a timeout, streams whose reads honour SO_TIMEOUT,
 * half-close, the socket options (SO_RCVBUF and SO_SNDBUF read back halved, as the JDK reports them on Linux),
 * and {@link #close} from any thread waking readers, writers and connects with
 * {@code SocketException("Socket closed")}. Made by {@link InetSocketFactory} and accepted by
 * {@link InetServerSocketAdaptor}; {@link #getChannel} is null, as for any socket not made by a channel.
 *
 * <p>Not built: sending urgent data, which inet4j's TCP does not send ({@link #sendUrgentData} answers
 * "Urgent data not supported", as the JDK does for a socket implementation without it).
 */
public final class InetSocketAdaptor extends Socket {
    static final InetAddress ANY = anyAddress();

    private final InetSocket s;
    private volatile boolean bound;
    /** The local port once bound; like the JDK's, it still answers after close. */
    private volatile int localPort = -1;

    InetSocketAdaptor(InetSocket s) throws SocketException {
        super(new DetachedSocketImpl());
        this.s = s;
        if (s.isConnected()) markBound();
    }

    /** The inet4j socket behind this one. */
    public InetSocket inetSocket() { return s; }

    private void markBound() {
        localPort = s.getLocalPort();
        bound = true;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException { connect(endpoint, 0); }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (endpoint == null) throw new IllegalArgumentException("connect: The address can't be null");
        if (timeout < 0) throw new IllegalArgumentException("connect: timeout can't be negative");
        ensureOpen();
        if (isConnected()) throw new SocketException("Already connected");
        if (!(endpoint instanceof InetSocketAddress isa)) throw new IllegalArgumentException("Unsupported address type");
        if (isa.isUnresolved()) {
            close();
            throw new UnknownHostException(isa.getHostName()); // NioSocketImpl's answer
        }
        try {
            s.connect(isa, timeout);
        } catch (IOException | RuntimeException e) {
            close(); // as java.net.Socket does for any failed connect, also one refused before it started
            throw e;
        }
        markBound();
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        ensureOpen();
        if (isBound()) throw new SocketException("Already bound");
        if (bindpoint != null && !(bindpoint instanceof InetSocketAddress)) throw new IllegalArgumentException("Unsupported address type");
        if (bindpoint != null && ((InetSocketAddress) bindpoint).isUnresolved()) throw new SocketException("Unresolved address");
        s.bind(bindpoint);
        markBound();
    }

    @Override
    public InetAddress getInetAddress() { return isConnected() ? s.getInetAddress() : null; }

    /** The local address; 0.0.0.0 when unbound or closed, as the JDK's. */
    @Override
    public InetAddress getLocalAddress() { return !isBound() || isClosed() ? ANY : s.getLocalAddress(); }

    @Override
    public int getPort() { return isConnected() ? s.getPort() : 0; }

    @Override
    public int getLocalPort() { return isBound() ? localPort : -1; }

    @Override
    public SocketAddress getRemoteSocketAddress() { return isConnected() ? new InetSocketAddress(getInetAddress(), getPort()) : null; }

    @Override
    public SocketAddress getLocalSocketAddress() { return isBound() ? new InetSocketAddress(getLocalAddress(), getLocalPort()) : null; }

    @Override
    public SocketChannel getChannel() { return null; }

    @Override
    public InputStream getInputStream() throws IOException {
        ensureOpen();
        ensureConnected();
        if (isInputShutdown()) throw new SocketException("Socket input is shutdown");
        return s.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        ensureOpen();
        ensureConnected();
        if (isOutputShutdown()) throw new SocketException("Socket output is shutdown");
        return s.getOutputStream();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException { open().setTcpNoDelay(on); }

    @Override
    public boolean getTcpNoDelay() throws SocketException { return open().getTcpNoDelay(); }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException { open().setSoLinger(on, linger); }

    @Override
    public int getSoLinger() throws SocketException { return open().getSoLinger(); }

    @Override
    public void sendUrgentData(int data) throws IOException { throw new SocketException("Urgent data not supported"); }

    @Override
    public void setOOBInline(boolean on) throws SocketException { open().setOOBInline(on); }

    @Override
    public boolean getOOBInline() throws SocketException { return open().getOOBInline(); }

    @Override
    public void setSoTimeout(int timeout) throws SocketException { open().setSoTimeout(timeout); }

    @Override
    public int getSoTimeout() throws SocketException { return open().getSoTimeout(); }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("negative send size");
        ensureOpen();
        s.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException { return open().getSendBufferSize() / 2; }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("invalid receive size");
        ensureOpen();
        s.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException { return open().getReceiveBufferSize() / 2; }

    @Override
    public void setKeepAlive(boolean on) throws SocketException { open().setKeepAlive(on); }

    @Override
    public boolean getKeepAlive() throws SocketException { return open().getKeepAlive(); }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        if (tc < 0 || tc > 255) throw new IllegalArgumentException("tc is not in range 0 -- 255");
        ensureOpen();
        s.setOption(StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException { return s.getOption(StandardSocketOptions.IP_TOS); }

    @Override
    public void setReuseAddress(boolean on) throws SocketException { open().setReuseAddress(on); }

    @Override
    public boolean getReuseAddress() throws SocketException { return open().getReuseAddress(); }

    /** close(2), with SO_LINGER's wait when it is set; threads blocked on this socket get "Socket closed". */
    @Override
    public void close() { s.close(); }

    @Override
    public void shutdownInput() throws IOException {
        ensureOpen();
        ensureConnected();
        if (isInputShutdown()) throw new SocketException("Socket input is already shutdown");
        s.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        ensureOpen();
        ensureConnected();
        if (isOutputShutdown()) throw new SocketException("Socket output is already shutdown");
        s.shutdownOutput();
    }

    @Override
    public String toString() {
        return isConnected() ? "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]"
                : "Socket[unconnected]";
    }

    @Override
    public boolean isConnected() { return s.isConnected(); }

    @Override
    public boolean isBound() { return bound; }

    @Override
    public boolean isClosed() { return s.isClosed(); }

    @Override
    public boolean isInputShutdown() { return s.isInputShutdown(); }

    @Override
    public boolean isOutputShutdown() { return s.isOutputShutdown(); }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        open().setOption(Objects.requireNonNull(name), value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return asJdkReports(name, open().getOption(Objects.requireNonNull(name)));
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return s.supportedOptions(); }

    /**
     * What the JDK reports for an option's value: on Linux its {@code NET_GetSockOpt} halves SO_RCVBUF and SO_SNDBUF,
     * undoing the kernel's doubling so that get answers what set was given; inet4j's own sockets show Linux's value.
     */
    @SuppressWarnings("unchecked")
    static <T> T asJdkReports(SocketOption<T> name, T value) {
        boolean buffer = name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF;
        return buffer ? (T) Integer.valueOf((Integer) value / 2) : value;
    }

    private void ensureOpen() throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
    }

    /** The socket behind, after java.net's check that this one is open. */
    private InetSocket open() throws SocketException {
        ensureOpen();
        return s;
    }

    private void ensureConnected() throws SocketException {
        if (!isConnected()) throw new SocketException("Socket is not connected");
    }

    private static InetAddress anyAddress() {
        try {
            return Inet4Address.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }
}
