package io.inet4j.stack;

import io.inet4j.ipv4.af.InetStreamOps;
import io.inet4j.socket.Errno;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockIoctl;
import io.inet4j.socket.SocketCalls;
import io.inet4j.socket.SockOpt;
import io.inet4j.stack.SocketErrors.Call;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A TCP client socket on an {@link InetStack}, shaped like {@link java.net.Socket}: connect with a timeout, a
 * blocking input stream (-1 at end of stream, SO_TIMEOUT as {@link java.net.SocketTimeoutException}), an output
 * stream whose writes return once every byte is queued, half-close, and the usual options. Errors are the
 * {@code java.net} exceptions the JDK throws, each carrying the Linux errno ({@link SocketErrors#errno}).
 *
 * <p>Underneath it is the kernel-level socket driven the way a blocking {@code connect}/{@code recv}/{@code send}
 * drive {@code inet_stream_ops}: each call runs on the stack's loop and the caller sleeps on the socket's wait
 * queue while it would block. That needs a loop on its own thread (the builder's default
 * {@link io.inet4j.loop.ThreadEventLoop}); blocking calls made on the loop thread itself are refused. Safe for one
 * reader and one writer thread at a time, and for {@link #close} from any thread, which unblocks both with
 * {@code SocketException("Socket closed")}.
 *
 * <p>Interrupts follow Linux, in the JDK's words: what a call already transferred is never lost, so a read that
 * took bytes returns them and an accept that took a connection returns it; a thread interrupted while it sleeps
 * with nothing transferred gets the {@link java.io.InterruptedIOException} the JDK's socket streams throw on a
 * platform thread (errno EINTR; for a write, {@code bytesTransferred} counts the bytes queued). The socket stays
 * open and the thread's interrupt status stays set.
 */
public final class InetSocket implements Closeable {
    private final SocketHandle h;
    private final InputStream in = new SocketInputStream();
    private final OutputStream out = new SocketOutputStream();
    /** Each direction's reusable call, made on first use (an idle connection pays nothing); guarded by in / out. */
    private ArrayCall reader;
    private ArrayCall writer;
    private volatile SockAddrIn remote;
    /** Our address once it can no longer change (an accepted connection's); null: ask the stack each time. */
    private final SockAddrIn local;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;

    InetSocket(SocketHandle h) {
        this.h = h;
        this.local = null;
    }

    /** An accepted connection, with the addresses its accept read. */
    InetSocket(SocketHandle h, SockAddrIn remote, SockAddrIn local) {
        this.h = h;
        this.remote = remote;
        this.local = local;
    }

    /** Connects with no timeout of our own: Linux's SYN retries ({@code tcp_syn_retries}) decide. */
    public void connect(SocketAddress endpoint) throws IOException { connect(endpoint, 0); }

    /** Connects to {@code host} (an IPv4 literal) and {@code port}. */
    public void connect(String host, int port, int timeoutMillis) throws IOException {
        connect(InetSocketAddress.createUnresolved(host, port), timeoutMillis);
    }

    /**
     * inet_stream_connect as a blocking call: starts the handshake, waits for it to settle, then asks connect again
     * for the outcome, as a program does after a non-blocking {@code connect()}. Like the JDK, a connect that fails
     * closes the socket.
     *
     * @param timeoutMillis 0 waits as long as TCP keeps trying; otherwise {@link java.net.SocketTimeoutException}
     *     ("Connect timed out", errno EINPROGRESS as Linux reports an expired SO_SNDTIMEO) after that long
     */
    public void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
        if (timeoutMillis < 0) throw new IllegalArgumentException("connect: timeout can't be negative");
        Objects.requireNonNull(endpoint, "connect: the address can't be null");
        h.ensureOpen();
        if (remote != null) throw new SocketException("Already connected");
        SockAddrIn addr = SocketHandle.toSockAddr(endpoint);
        int r = h.call(() -> SocketCalls.connect(h.sock, addr, 0));
        if (r == Errno.EINPROGRESS.neg()) {
            r = h.await(() -> InetStreamOps.connecting(h.sock) ? Errno.EAGAIN.neg() : h.sock.ops.connect(h.sock, addr, 0),
                    TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            if (r == Errno.EAGAIN.neg()) r = Errno.EINPROGRESS.neg();
        }
        if (r < 0) {
            close();
            throw SocketErrors.exception(Errno.of(r), Call.CONNECT);
        }
        remote = addr;
    }

    /** Binds the local end before connecting; null picks any address and an ephemeral port. */
    public void bind(SocketAddress local) throws IOException { h.bind(local); }

    /** The stream of received bytes; closing it closes the socket. */
    public InputStream getInputStream() throws IOException {
        ensureConnected();
        return in;
    }

    /** The stream to the peer; closing it closes the socket. */
    public OutputStream getOutputStream() throws IOException {
        ensureConnected();
        return out;
    }

    /** shutdown(SHUT_RD): reads return -1 from now on, as the JDK's do. */
    public void shutdownInput() throws IOException {
        ensureConnected();
        h.check(() -> h.sock.ops.shutdown(h.sock, 0));
        inputShutdown = true;
    }

    /** shutdown(SHUT_WR): sends our FIN once the queued data is out; the peer reads end of stream. */
    public void shutdownOutput() throws IOException {
        ensureConnected();
        h.check(() -> h.sock.ops.shutdown(h.sock, 1));
        outputShutdown = true;
    }

    public boolean isInputShutdown() { return inputShutdown; }
    public boolean isOutputShutdown() { return outputShutdown; }

    /**
     * close(2): an orderly release (FIN after the queued data) or, with unread data or SO_LINGER 0, an abort with
     * a RST; the connection finishes on the loop by itself. With a positive SO_LINGER, close first waits up to
     * that many seconds for the peer to acknowledge the FIN. Threads blocked in a read or write get
     * {@code SocketException("Socket closed")}. Idempotent.
     */
    @Override
    public void close() {
        h.closeLingering();
    }

    public boolean isClosed() { return h.isClosed(); }

    /** True once connected, also after close, as in the JDK. */
    public boolean isConnected() { return remote != null; }

    public boolean isBound() { return isConnected() || getLocalPort() > 0; }

    /** SO_TIMEOUT: how long a read waits, in milliseconds; 0 waits for ever. */
    public void setSoTimeout(int millis) throws SocketException { h.setSoTimeout(millis); }

    public int getSoTimeout() { return h.soTimeoutMillis(); }

    public void setTcpNoDelay(boolean on) throws SocketException { h.setFlag(SockOpt.SOL_TCP, SockOpt.TCP_NODELAY, on); }

    public boolean getTcpNoDelay() throws SocketException { return h.flag(SockOpt.SOL_TCP, SockOpt.TCP_NODELAY); }

    public void setReuseAddress(boolean on) throws SocketException { h.setFlag(SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR, on); }

    public boolean getReuseAddress() throws SocketException { return h.flag(SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR); }

    public void setKeepAlive(boolean on) throws SocketException { h.setFlag(SockOpt.SOL_SOCKET, SockOpt.SO_KEEPALIVE, on); }

    public boolean getKeepAlive() throws SocketException { return h.flag(SockOpt.SOL_SOCKET, SockOpt.SO_KEEPALIVE); }

    /** SO_LINGER: {@code on} with 0 makes close abort the connection with a RST. */
    public void setSoLinger(boolean on, int linger) throws SocketException {
        if (on && linger < 0) throw new IllegalArgumentException("invalid value for SO_LINGER");
        h.setOption(SockOpt.SOL_SOCKET, SockOpt.SO_LINGER, on ? Math.min(linger, 65535) : -1);
    }

    /** The linger time in seconds, or -1 when SO_LINGER is off. */
    public int getSoLinger() throws SocketException { return h.option(SockOpt.SOL_SOCKET, SockOpt.SO_LINGER); }

    /** SO_OOBINLINE: TCP urgent data stays in the stream instead of being stepped over. */
    public void setOOBInline(boolean on) throws SocketException { h.setFlag(SockOpt.SOL_SOCKET, SockOpt.SO_OOBINLINE, on); }

    public boolean getOOBInline() throws SocketException { return h.flag(SockOpt.SOL_SOCKET, SockOpt.SO_OOBINLINE); }

    /**
     * Sets a {@link java.net.StandardSocketOptions standard} option or one of {@code jdk.net.ExtendedSocketOptions}
     * TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT, with the JDK's checks ({@link #supportedOptions}); reads
     * {@link InetSocketOptions#TCP_INFO} too.
     */
    public <T> void setOption(SocketOption<T> name, T value) throws SocketException {
        JavaSocketOptions.set(h, JavaSocketOptions.STREAM, name, value);
    }

    public <T> T getOption(SocketOption<T> name) throws SocketException {
        return JavaSocketOptions.get(h, JavaSocketOptions.STREAM, name);
    }

    public Set<SocketOption<?>> supportedOptions() { return JavaSocketOptions.STREAM; }

    /**
     * ioctl(SIOCINQ): the bytes a read takes without waiting; 0 once input is shut down, as the JDK's
     * {@code NioSocketImpl} answers.
     */
    public int available() throws IOException {
        h.ensureOpen();
        if (inputShutdown) return 0;
        int[] n = new int[1];
        SocketErrors.check(h.call(() -> h.sock.ops.ioctl(h.sock, SockIoctl.SIOCINQ, n)));
        return n[0];
    }

    /** SO_RCVBUF; Linux doubles the value for bookkeeping and {@link #getReceiveBufferSize} shows the double. */
    public void setReceiveBufferSize(int size) throws SocketException { h.setBufferSize(SockOpt.SO_RCVBUF, size); }

    public int getReceiveBufferSize() throws SocketException { return h.option(SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF); }

    /** SO_SNDBUF, doubled like SO_RCVBUF. */
    public void setSendBufferSize(int size) throws SocketException { h.setBufferSize(SockOpt.SO_SNDBUF, size); }

    public int getSendBufferSize() throws SocketException { return h.option(SockOpt.SOL_SOCKET, SockOpt.SO_SNDBUF); }

    /** The peer's address, null when not connected. */
    public InetAddress getInetAddress() {
        SockAddrIn r = remote;
        return r == null ? null : SocketHandle.toInetAddress(r.address());
    }

    /** The peer's port, 0 when not connected. */
    public int getPort() {
        SockAddrIn r = remote;
        return r == null ? 0 : r.port();
    }

    public SocketAddress getRemoteSocketAddress() { return SocketHandle.toSocketAddress(remote); }

    /** The local address; the wildcard 0.0.0.0 when not bound or closed. */
    public InetAddress getLocalAddress() {
        SockAddrIn l = localName();
        return SocketHandle.toInetAddress(l == null ? 0 : l.address());
    }

    /** The local port, -1 when not bound or closed. */
    public int getLocalPort() {
        SockAddrIn l = localName();
        return l == null || l.port() == 0 ? -1 : l.port();
    }

    public SocketAddress getLocalSocketAddress() {
        SockAddrIn l = localName();
        return l == null || l.port() == 0 ? null : SocketHandle.toSocketAddress(l);
    }

    /** getsockname: what accept read, while open; otherwise the stack's answer (null when closed). */
    private SockAddrIn localName() {
        SockAddrIn l = local;
        if (l == null) return h.name(false);
        return h.isClosed() ? null : l;
    }

    private void ensureConnected() throws SocketException {
        h.ensureOpen();
        if (remote == null) throw SocketErrors.socketException(Errno.ENOTCONN);
    }

    /**
     * tcp_recvmsg as a blocking read: the count, -1 at end of stream. Bytes already taken are returned even if
     * the thread was interrupted meanwhile; an interrupt with nothing read is an InterruptedIOException.
     */
    private int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        h.ensureOpen();
        if (len == 0) return 0;
        if (inputShutdown) return -1;
        int r;
        synchronized (in) {
            if (reader == null) reader = new ArrayCall(h, false);
            reader.prepare(b, off, len);
            r = reader.await(h.soTimeoutNanos());
        }
        if (r == 0) return -1;
        return SocketErrors.check(r, Call.READ);
    }

    /**
     * tcp_sendmsg until everything is queued: each call takes what fits in the send buffer. Interrupted on the way,
     * it throws {@link java.io.InterruptedIOException} whose {@code bytesTransferred} says how much was queued, as
     * a blocking send(2) returns its partial count.
     */
    private void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        h.ensureOpen();
        synchronized (out) {
            if (writer == null) writer = new ArrayCall(h, true);
            ByteBuffer data = writer.prepare(b, off, len);
            while (data.hasRemaining()) {
                int r = writer.await(0);
                if (r == Errno.EINTR.neg()) throw SocketErrors.interrupted(data.position() - off);
                SocketErrors.check(r);
                writer.newCall();
            }
        }
    }

    /** A stream's read or write side on the caller's byte array; each direction's calls take turns on it. */
    private static final class ArrayCall extends MsgCall {
        private ByteBuffer data;

        ArrayCall(SocketHandle h, boolean send) { super(h, send); }

        ByteBuffer prepare(byte[] b, int off, int len) {
            data = wrap(b, off, len);
            msg.data = data;
            newCall();
            return data;
        }

        @Override
        int perform() { return transfer(data); }
    }

    @Override
    public String toString() {
        SockAddrIn r = remote;
        return "InetSocket[" + (h.isClosed() ? "closed" : r == null ? "unconnected"
                : "addr=" + SockAddrIn.formatAddress(r.address()) + ",port=" + r.port() + ",localport=" + getLocalPort()) + "]";
    }

    private final class SocketInputStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = InetSocket.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException { return InetSocket.this.read(b, off, len); }

        @Override
        public int available() throws IOException { return InetSocket.this.available(); }

        @Override
        public void close() { InetSocket.this.close(); }
    }

    private final class SocketOutputStream extends OutputStream {
        @Override
        public void write(int b) throws IOException { InetSocket.this.write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException { InetSocket.this.write(b, off, len); }

        @Override
        public void close() { InetSocket.this.close(); }
    }
}
