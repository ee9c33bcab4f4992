package io.inet4j.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * {@link InetSocketChannel#socket()}: the channel seen as a {@link java.net.Socket}, like the JDK's
 * {@code sun.nio.ch.SocketAdaptor}. Options, addresses, shutdown and close go to the channel (so code that
 * configures a channel through its socket, as Netty does, configures the inet4j socket); the streams need the
 * channel in blocking mode.
 */
final class ChannelSocket extends Socket {
    private final InetSocketChannel sc;
    private volatile int timeoutMillis;

    private ChannelSocket(InetSocketChannel sc) throws SocketException {
        super(new NoSocketImpl());
        this.sc = sc;
    }

    /** The adaptor of {@code sc}; Socket's constructor declares a SocketException it never throws for our impl. */
    static ChannelSocket of(InetSocketChannel sc) {
        try {
            return new ChannelSocket(sc);
        } catch (SocketException e) {
            throw new AssertionError("java.net.Socket refused a SocketImpl it does not check", e);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws IOException { connect(remote, 0); }

    /**
     * A blocking connect, as the JDK's adaptor needs a blocking channel for it; past {@code timeout} milliseconds
     * (0: no limit of ours) a {@link java.net.SocketTimeoutException} and the channel is closed.
     */
    @Override
    public void connect(SocketAddress remote, int timeout) throws IOException {
        if (remote == null) throw new IllegalArgumentException("connect: The address can't be null");
        if (timeout < 0) throw new IllegalArgumentException("connect: timeout can't be negative");
        if (!sc.isBlocking()) throw new IllegalBlockingModeException();
        try {
            sc.connect(remote, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeout));
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket is closed");
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        try {
            sc.bind(local);
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket is closed");
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress r = SocketHandle.toSocketAddress(sc.remoteName());
        return r == null ? null : r.getAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        InetSocketAddress l = sc.isOpen() ? SocketHandle.toSocketAddress(sc.boundName()) : null;
        return l == null ? SocketHandle.toInetAddress(0) : l.getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress r = SocketHandle.toSocketAddress(sc.remoteName());
        return r == null ? 0 : r.getPort();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress l = sc.isOpen() ? SocketHandle.toSocketAddress(sc.boundName()) : null;
        return l == null ? -1 : l.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() { return SocketHandle.toSocketAddress(sc.remoteName()); }

    @Override
    public SocketAddress getLocalSocketAddress() { return sc.isOpen() ? SocketHandle.toSocketAddress(sc.boundName()) : null; }

    @Override
    public SocketChannel getChannel() { return sc; }

    @Override
    public InputStream getInputStream() throws IOException {
        ensureUsable();
        if (sc.isInputShutdown()) throw new SocketException("Socket input is shutdown");
        return Channels.newInputStream(sc);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        ensureUsable();
        if (sc.isOutputShutdown()) throw new SocketException("Socket output is shutdown");
        return Channels.newOutputStream(sc);
    }

    private void ensureUsable() throws SocketException {
        if (!sc.isOpen()) throw new SocketException("Socket is closed");
        if (!sc.isConnected()) throw new SocketException("Socket is not connected");
    }

    private <T> void set(SocketOption<T> name, T value) throws SocketException { ChannelOptions.adaptorSet(sc, name, value); }

    private <T> T get(SocketOption<T> name) throws SocketException { return ChannelOptions.adaptorGet(sc, name); }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException { set(StandardSocketOptions.TCP_NODELAY, on); }

    @Override
    public boolean getTcpNoDelay() throws SocketException { return get(StandardSocketOptions.TCP_NODELAY); }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        if (on && linger < 0) throw new IllegalArgumentException("Invalid value for SO_LINGER");
        set(StandardSocketOptions.SO_LINGER, on ? linger : -1);
    }

    @Override
    public int getSoLinger() throws SocketException { return get(StandardSocketOptions.SO_LINGER); }

    @Override
    public void sendUrgentData(int data) throws IOException { throw new SocketException("Urgent data not supported"); }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        if (on) throw new SocketException("SO_OOBINLINE is not supported on inet4j channels");
    }

    @Override
    public boolean getOOBInline() { return false; }

    /** Kept for the streams' callers to read back; the channel's own reads never time out, as in the JDK. */
    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (!sc.isOpen()) throw new SocketException("Socket is closed");
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        timeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (!sc.isOpen()) throw new SocketException("Socket is closed");
        return timeoutMillis;
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException { setBufferSize(StandardSocketOptions.SO_SNDBUF, size); }

    @Override
    public int getSendBufferSize() throws SocketException { return get(StandardSocketOptions.SO_SNDBUF); }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException { setBufferSize(StandardSocketOptions.SO_RCVBUF, size); }

    /** java.net.Socket refuses a size that is not positive, where the channel's option takes 0. */
    private void setBufferSize(SocketOption<Integer> name, int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("Invalid " + name.name() + " size");
        set(name, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException { return get(StandardSocketOptions.SO_RCVBUF); }

    @Override
    public void setKeepAlive(boolean on) throws SocketException { set(StandardSocketOptions.SO_KEEPALIVE, on); }

    @Override
    public boolean getKeepAlive() throws SocketException { return get(StandardSocketOptions.SO_KEEPALIVE); }

    @Override
    public void setTrafficClass(int tc) throws SocketException { set(StandardSocketOptions.IP_TOS, tc); }

    @Override
    public int getTrafficClass() throws SocketException { return get(StandardSocketOptions.IP_TOS); }

    @Override
    public void setReuseAddress(boolean on) throws SocketException { set(StandardSocketOptions.SO_REUSEADDR, on); }

    @Override
    public boolean getReuseAddress() throws SocketException { return get(StandardSocketOptions.SO_REUSEADDR); }

    /** Connection-time, latency and bandwidth preferences: ignored, as the JDK's sockets ignore them. */
    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {}

    @Override
    public void close() throws IOException { sc.close(); }

    @Override
    public void shutdownInput() throws IOException { shutdown(sc::shutdownInput); }

    @Override
    public void shutdownOutput() throws IOException { shutdown(sc::shutdownOutput); }

    private interface Shutdown {
        SocketChannel run() throws IOException;
    }

    /** A channel's shutdown in the words of java.net.Socket's. */
    private static void shutdown(Shutdown how) throws IOException {
        try {
            how.run();
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket is closed");
        } catch (java.nio.channels.NotYetConnectedException e) {
            throw new SocketException("Socket is not connected");
        }
    }

    @Override
    public boolean isConnected() { return sc.isConnected(); }

    @Override
    public boolean isBound() { return sc.isOpen() && sc.boundName() != null; }

    @Override
    public boolean isClosed() { return !sc.isOpen(); }

    @Override
    public boolean isInputShutdown() { return sc.isInputShutdown(); }

    @Override
    public boolean isOutputShutdown() { return sc.isOutputShutdown(); }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        sc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException { return sc.getOption(name); }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return sc.supportedOptions(); }

    @Override
    public String toString() {
        return sc.isConnected() ? "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]"
                : "Socket[unconnected]";
    }
}
