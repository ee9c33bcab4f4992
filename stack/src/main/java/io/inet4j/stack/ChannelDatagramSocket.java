package io.inet4j.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link InetDatagramChannel#socket()}: the channel seen as a {@link DatagramSocket}, like the JDK's
 * {@code sun.nio.ch.DatagramSocketAdaptor}. Every public method goes to the channel (so code that configures a
 * channel through its socket, as Netty does, configures the inet4j socket); send and receive need the channel in
 * blocking mode, and receive honours SO_TIMEOUT.
 *
 * <p>One difference from the JDK: a received packet's length is set with {@link DatagramPacket#setLength}, which
 * also shrinks the buffer length the next receive into the same packet may use (the JDK keeps it through an
 * internal accessor). Set the length again before reusing a packet, as portable code does.
 */
final class ChannelDatagramSocket extends DatagramSocket {
    private final InetDatagramChannel dc;
    private volatile int timeoutMillis;

    private ChannelDatagramSocket(InetDatagramChannel dc) {
        super(new NoDatagramSocketImpl());
        this.dc = dc;
    }

    static ChannelDatagramSocket of(InetDatagramChannel dc) { return new ChannelDatagramSocket(dc); }

    @Override
    public void bind(SocketAddress local) throws SocketException {
        try {
            dc.bind(local);
        } catch (IOException e) {
            throw ChannelOptions.asSocketException(e);
        }
    }

    @Override
    public void connect(InetAddress address, int port) {
        try {
            connect(new InetSocketAddress(address, port));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws SocketException {
        if (remote == null) throw new IllegalArgumentException("Address can't be null");
        try {
            dc.connect(remote);
        } catch (IOException e) {
            throw ChannelOptions.asSocketException(e);
        }
    }

    @Override
    public void disconnect() {
        try {
            dc.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isBound() { return localAddress() != null; }

    @Override
    public boolean isConnected() { return dc.isConnected(); }

    /** The channel's peer or local address; null when it has none or is closed. */
    private InetSocketAddress address(boolean peer) {
        try {
            return (InetSocketAddress) (peer ? dc.getRemoteAddress() : dc.getLocalAddress());
        } catch (IOException closed) {
            return null;
        }
    }

    private InetSocketAddress remote() { return address(true); }

    private InetSocketAddress localAddress() { return address(false); }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress r = remote();
        return r == null ? null : r.getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress r = remote();
        return r == null ? -1 : r.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() { return remote(); }

    @Override
    public SocketAddress getLocalSocketAddress() { return localAddress(); }

    /** The wildcard address while unbound, null once closed, as the JDK answers. */
    @Override
    public InetAddress getLocalAddress() {
        if (isClosed()) return null;
        InetSocketAddress l = localAddress();
        return l == null ? new InetSocketAddress(0).getAddress() : l.getAddress();
    }

    @Override
    public int getLocalPort() {
        if (isClosed()) return -1;
        InetSocketAddress l = localAddress();
        return l == null ? 0 : l.getPort();
    }

    /** One datagram to the packet's address, or to the peer when connected (a different address is refused). */
    @Override
    public void send(DatagramPacket p) throws IOException {
        if (!dc.isBlocking()) throw new IllegalBlockingModeException();
        synchronized (p) {
            SocketAddress target;
            if (p.getAddress() != null) {
                target = p.getSocketAddress();
            } else {
                target = remote();
                if (target == null) throw new IllegalArgumentException("Address not set");
            }
            try {
                dc.send(ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength()), target);
            } catch (AlreadyConnectedException e) {
                throw new IllegalArgumentException("Connected and packet address differ");
            } catch (IOException e) {
                throw ChannelOptions.asSocketException(e);
            }
        }
    }

    /** The next datagram into the packet (cut to its length), within SO_TIMEOUT. */
    @Override
    public void receive(DatagramPacket p) throws IOException {
        if (!dc.isBlocking()) throw new IllegalBlockingModeException();
        synchronized (p) {
            ByteBuffer into = ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength());
            SocketAddress from;
            try {
                from = dc.receive(into, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            } catch (java.net.SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw ChannelOptions.asSocketException(e);
            }
            p.setSocketAddress(from);
            p.setLength(into.position() - p.getOffset());
        }
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        timeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
        return timeoutMillis;
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("Invalid send size");
        ChannelOptions.adaptorSet(dc, StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException { return ChannelOptions.adaptorGet(dc, StandardSocketOptions.SO_SNDBUF); }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("Invalid receive size");
        ChannelOptions.adaptorSet(dc, StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException { return ChannelOptions.adaptorGet(dc, StandardSocketOptions.SO_RCVBUF); }

    @Override
    public void setReuseAddress(boolean on) throws SocketException { ChannelOptions.adaptorSet(dc, StandardSocketOptions.SO_REUSEADDR, on); }

    @Override
    public boolean getReuseAddress() throws SocketException { return ChannelOptions.adaptorGet(dc, StandardSocketOptions.SO_REUSEADDR); }

    @Override
    public void setBroadcast(boolean on) throws SocketException { ChannelOptions.adaptorSet(dc, StandardSocketOptions.SO_BROADCAST, on); }

    @Override
    public boolean getBroadcast() throws SocketException { return ChannelOptions.adaptorGet(dc, StandardSocketOptions.SO_BROADCAST); }

    @Override
    public void setTrafficClass(int tc) throws SocketException { ChannelOptions.adaptorSet(dc, StandardSocketOptions.IP_TOS, tc); }

    @Override
    public int getTrafficClass() throws SocketException { return ChannelOptions.adaptorGet(dc, StandardSocketOptions.IP_TOS); }

    @Override
    public void close() {
        try {
            dc.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isClosed() { return !dc.isOpen(); }

    @Override
    public DatagramChannel getChannel() { return dc; }

    @Override
    public <T> DatagramSocket setOption(SocketOption<T> name, T value) throws IOException {
        dc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException { return dc.getOption(name); }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return dc.supportedOptions(); }

    @Override
    public void joinGroup(SocketAddress group, NetworkInterface ni) { throw new UnsupportedOperationException("inet4j has no multicast (no IGMP)"); }

    @Override
    public void leaveGroup(SocketAddress group, NetworkInterface ni) { throw new UnsupportedOperationException("inet4j has no multicast (no IGMP)"); }

    @Override
    public String toString() { return "ChannelDatagramSocket[" + dc + "]"; }

    /**
     * The placeholder {@link DatagramSocketImpl} the adaptor hands to its superclass constructor, which insists on
     * one (as {@link NoSocketImpl} for stream sockets): the adaptor overrides every public method, so nothing
     * reaches it, and everything here fails if something does.
     */
    private static final class NoDatagramSocketImpl extends DatagramSocketImpl {
        private static UnsupportedOperationException unused() {
            return new UnsupportedOperationException("an inet4j datagram socket adaptor does not use a DatagramSocketImpl");
        }

        @Override protected void create() { throw unused(); }
        @Override protected void bind(int lport, InetAddress laddr) { throw unused(); }
        @Override protected void send(DatagramPacket p) { throw unused(); }
        @Override protected int peek(InetAddress i) { throw unused(); }
        @Override protected int peekData(DatagramPacket p) { throw unused(); }
        @Override protected void receive(DatagramPacket p) { throw unused(); }
        @Deprecated @Override protected void setTTL(byte ttl) { throw unused(); }
        @Deprecated @Override protected byte getTTL() { throw unused(); }
        @Override protected void setTimeToLive(int ttl) { throw unused(); }
        @Override protected int getTimeToLive() { throw unused(); }
        @Override protected void join(InetAddress inetaddr) { throw unused(); }
        @Override protected void leave(InetAddress inetaddr) { throw unused(); }
        @Override protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) { throw unused(); }
        @Override protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) { throw unused(); }
        @Override protected void close() { throw unused(); }
        @Override public void setOption(int optID, Object value) { throw unused(); }
        @Override public Object getOption(int optID) { throw unused(); }
    }
}
