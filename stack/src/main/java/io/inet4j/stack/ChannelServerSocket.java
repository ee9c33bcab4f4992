package io.inet4j.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.util.Set;

/**
 * {@link InetServerSocketChannel#socket()}: the listening channel seen as a {@link java.net.ServerSocket}, like
 * the JDK's {@code sun.nio.ch.ServerSocketAdaptor}: bind, the local address, SO_RCVBUF and SO_REUSEADDR, and an
 * accept that needs the channel in blocking mode.
 */
final class ChannelServerSocket extends ServerSocket {
    private final InetServerSocketChannel ssc;

    ChannelServerSocket(InetServerSocketChannel ssc) {
        super(new NoSocketImpl());
        this.ssc = ssc;
    }

    @Override
    public void bind(SocketAddress local) throws IOException { bind(local, 50); }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        try {
            ssc.bind(local == null ? new InetSocketAddress(0) : local, backlog);
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket is closed");
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress l = local();
        return l == null ? null : l.getAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress l = local();
        return l == null ? -1 : l.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() { return local(); }

    private InetSocketAddress local() {
        try {
            return (InetSocketAddress) ssc.getLocalAddress();
        } catch (IOException closed) {
            return null;
        }
    }

    @Override
    public Socket accept() throws IOException {
        if (!ssc.isBlocking()) throw new IllegalBlockingModeException();
        try {
            return ssc.accept().socket();
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket is closed");
        }
    }

    @Override
    public void close() throws IOException { ssc.close(); }

    @Override
    public ServerSocketChannel getChannel() { return ssc; }

    @Override
    public boolean isBound() { return ssc.isBound(); }

    @Override
    public boolean isClosed() { return !ssc.isOpen(); }

    /** SO_TIMEOUT for a blocking accept through this adaptor, as Linux's SO_RCVTIMEO on the listener. */
    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (!ssc.isOpen()) throw new SocketException("Socket is closed");
        ssc.handle().setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (!ssc.isOpen()) throw new SocketException("Socket is closed");
        return ssc.handle().soTimeoutMillis();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException { set(StandardSocketOptions.SO_REUSEADDR, on); }

    @Override
    public boolean getReuseAddress() throws SocketException { return get(StandardSocketOptions.SO_REUSEADDR); }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("negative receive size");
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException { return get(StandardSocketOptions.SO_RCVBUF); }

    /** Ignored, as the JDK's server sockets ignore it. */
    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {}

    private <T> void set(SocketOption<T> name, T value) throws SocketException { ChannelOptions.adaptorSet(ssc, name, value); }

    private <T> T get(SocketOption<T> name) throws SocketException { return ChannelOptions.adaptorGet(ssc, name); }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        ssc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException { return ssc.getOption(name); }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return ssc.supportedOptions(); }

    @Override
    public String toString() {
        return isBound() ? "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]" : "ServerSocket[unbound]";
    }
}
