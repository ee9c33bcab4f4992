package io.inet4j.stack;

import io.inet4j.ipv4.af.InetStreamOps;
import io.inet4j.socket.Errno;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SocketCalls;
import io.inet4j.stack.SocketErrors.Call;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * A TCP connection as a {@link SocketChannel} ({@link InetSelectorProvider#openSocketChannel()}, or accepted by an
 * {@link InetServerSocketChannel}), like the JDK's {@code SocketChannelImpl}: non-blocking connect finished by
 * {@link #finishConnect}, reads and writes that move what they can (scatter/gather in one trip to the loop),
 * blocking mode that sleeps on the socket's wait queue, the JDK's exceptions for misuse, and {@link #socket()}
 * as a working {@link java.net.Socket}. Each call is the system call on {@code inet_stream_ops}, run on the
 * stack's loop.
 */
final class InetSocketChannel extends SocketChannel implements InetChannel {
    private static final int UNCONNECTED = 0, PENDING = 1, CONNECTED = 2;

    private static final VarHandle READER;
    private static final VarHandle WRITER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READER = l.findVarHandle(InetSocketChannel.class, "reader", Transfer.class);
            WRITER = l.findVarHandle(InetSocketChannel.class, "writer", Transfer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SocketHandle h;
    /**
     * Each direction's reusable call, which is also the direction's lock (the JDK's {@code readLock} and
     * {@code writeLock}), made on first use ({@link #transfer}): a connection that is accepted, or connected
     * without blocking, and then sits idle carries neither, and one that moves data carries one object per
     * direction, not two. The JDK's {@code stateLock} is the handle {@link #h}, which this channel alone holds and
     * which locks only itself ({@link SocketHandle#close}): a third object per connection would buy nothing.
     */
    private volatile Transfer reader;
    private volatile Transfer writer;
    private volatile int state;
    /**
     * The peer, {@link #packed} as one word so that readers see address and port together: a {@link SockAddrIn}
     * kept for each connection would cost it 24 bytes more.
     */
    private volatile long remote;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private ChannelSocket adaptor;

    InetSocketChannel(InetSelectorProvider provider, SocketHandle h) {
        super(provider);
        this.h = h;
    }

    /** The direction's lock, the JDK's {@code writeLock} for sending and {@code readLock} for receiving. */
    private Object lock(boolean send) { return transfer(send); }

    /** The direction's call ({@link #writer} or {@link #reader}), made the first time; a racing second is dropped. */
    private Transfer transfer(boolean send) {
        Transfer t = send ? writer : reader;
        if (t != null) return t;
        t = new Transfer(send);
        Object won = (send ? WRITER : READER).compareAndExchange(this, null, t);
        return won == null ? t : (Transfer) won;
    }

    /** An accepted connection: connected from the start. */
    InetSocketChannel(InetSelectorProvider provider, SocketHandle h, SockAddrIn remote) {
        this(provider, h);
        this.remote = packed(remote);
        this.state = CONNECTED;
    }

    /** {@code a} as the {@link #remote} word: address in the high half, port in the low. */
    private static long packed(SockAddrIn a) { return (long) a.address() << 32 | a.port(); }

    /** The peer the channel connects or connected to. */
    private SockAddrIn remote() {
        long r = remote;
        return new SockAddrIn((int) (r >>> 32), (int) r);
    }

    @Override
    public SocketHandle handle() { return h; }

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        synchronized (lock(false)) {
            synchronized (lock(true)) {
                synchronized (h) {
                    ensureOpen();
                    if (state == PENDING) throw new ConnectionPendingException();
                    if (state == CONNECTED) throw new AlreadyConnectedException();
                    if (boundName() != null) throw new AlreadyBoundException();
                    h.bind(local);
                }
            }
        }
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        ChannelOptions.set(this, ChannelOptions.STREAM, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException { return ChannelOptions.get(this, ChannelOptions.STREAM, name); }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return ChannelOptions.STREAM; }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        shutdown(0);
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        shutdown(1);
        return this;
    }

    /** shutdown(2) with SHUT_RD (0) or SHUT_WR (1), once each. */
    private void shutdown(int how) throws IOException {
        synchronized (h) {
            ensureOpen();
            if (state != CONNECTED) throw new NotYetConnectedException();
            if (how == 0 ? inputShutdown : outputShutdown) return;
            h.check(() -> h.sock.ops.shutdown(h.sock, how));
            if (how == 0) inputShutdown = true;
            else outputShutdown = true;
        }
    }

    boolean isInputShutdown() { return inputShutdown; }

    boolean isOutputShutdown() { return outputShutdown; }

    @Override
    public Socket socket() {
        synchronized (h) {
            if (adaptor == null) adaptor = ChannelSocket.of(this);
            return adaptor;
        }
    }

    @Override
    public boolean isConnected() { return state == CONNECTED; }

    @Override
    public boolean isConnectionPending() { return state == PENDING; }

    /**
     * connect(2) on {@code inet_stream_ops}: in non-blocking mode false while the handshake runs (EINPROGRESS),
     * then {@link #finishConnect}; in blocking mode it waits for the outcome. A connect that fails closes the
     * channel, as the JDK's does.
     */
    @Override
    public boolean connect(SocketAddress endpoint) throws IOException { return connect(endpoint, 0); }

    /** {@link #connect(SocketAddress)} whose blocking wait gives up after {@code timeoutNanos} (0: TCP's SYN retries decide). */
    boolean connect(SocketAddress endpoint, long timeoutNanos) throws IOException {
        SockAddrIn addr = checkRemote(endpoint);
        if (!isBlocking()) {
            // Nothing waits: the handle's lock alone keeps connects apart, and a connection that then sits idle
            // never makes the direction locks.
            synchronized (h) {
                return start(addr);
            }
        }
        synchronized (lock(false)) {
            synchronized (lock(true)) {
                synchronized (h) {
                    if (start(addr)) return true;
                }
                return finishConnect(timeoutNanos);
            }
        }
    }

    /** Under {@link #h}: sends the SYN; true if that connected at once, false while the handshake runs. */
    private boolean start(SockAddrIn addr) throws IOException {
        ensureOpen();
        if (state == CONNECTED) throw new AlreadyConnectedException();
        if (state == PENDING) throw new ConnectionPendingException();
        remote = packed(addr);
        int r = h.call(() -> SocketCalls.connect(h.sock, addr, 0));
        if (r == 0) {
            state = CONNECTED;
            return true;
        }
        if (r != Errno.EINPROGRESS.neg()) throw connectFailed(r);
        state = PENDING;
        return false;
    }

    /** Asks the socket how its connect went, as a program calls connect again (or reads SO_ERROR) after POLLOUT. */
    @Override
    public boolean finishConnect() throws IOException { return finishConnect(0); }

    /**
     * In blocking mode waits at most {@code timeoutNanos} (0: no limit); past it the channel closes with a
     * {@link java.net.SocketTimeoutException}, as the JDK's socket adaptor does.
     */
    private boolean finishConnect(long timeoutNanos) throws IOException {
        if (!isBlocking()) {
            synchronized (h) { // as in connect: no direction locks where nothing waits
                return !pending() || settle(h.call(outcome()));
            }
        }
        synchronized (lock(false)) {
            synchronized (lock(true)) {
                synchronized (h) {
                    if (!pending()) return true;
                }
                int r;
                begin();
                try {
                    r = h.await(outcome(), timeoutNanos);
                } finally {
                    end(isOpen());
                }
                synchronized (h) {
                    if (state == CONNECTED) return true; // a non-blocking finishConnect meanwhile
                    if (r == Errno.EAGAIN.neg()) throw connectFailed(Errno.EINPROGRESS.neg()); // timed out
                    return settle(r);
                }
            }
        }
    }

    /** Under {@link #h}: false once connected, true while the handshake runs, else NoConnectionPendingException. */
    private boolean pending() throws IOException {
        ensureOpen();
        if (state == CONNECTED) return false;
        if (state != PENDING) throw new NoConnectionPendingException();
        return true;
    }

    /** connect(2) again on the loop: EAGAIN while the handshake runs, then 0 or the error it ended with. */
    private IntSupplier outcome() {
        SockAddrIn addr = remote();
        return () -> InetStreamOps.connecting(h.sock) ? Errno.EAGAIN.neg() : h.sock.ops.connect(h.sock, addr, 0);
    }

    /**
     * Under {@link #h}: what the {@link #outcome} means. EISCONN is success too: a concurrent finishConnect in the
     * other blocking mode took the one 0 that connect(2) answers a finished handshake with.
     */
    private boolean settle(int r) throws IOException {
        if (r == Errno.EAGAIN.neg()) return false;
        if (r < 0 && r != Errno.EISCONN.neg()) throw connectFailed(r);
        state = CONNECTED;
        return true;
    }

    private IOException connectFailed(int r) throws IOException {
        ensureOpen();
        close();
        return SocketErrors.exception(Errno.of(r), Call.CONNECT);
    }

    private static SockAddrIn checkRemote(SocketAddress endpoint) throws IOException {
        Objects.requireNonNull(endpoint);
        if (!(endpoint instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        if (!(isa.getAddress() instanceof java.net.Inet4Address)) throw new UnsupportedAddressTypeException();
        return SocketHandle.toSockAddr(isa);
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return state == CONNECTED ? SocketHandle.toSocketAddress(remote()) : null;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return SocketHandle.toSocketAddress(boundName());
    }

    /** getsockname, null while not bound. */
    SockAddrIn boundName() {
        SockAddrIn l = h.name(false);
        return l == null || l.port() == 0 ? null : l;
    }

    SockAddrIn remoteName() { return state == CONNECTED ? remote() : null; }

    @Override
    public int read(ByteBuffer dst) throws IOException { return (int) read(null, Objects.requireNonNull(dst), 0, 1); }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        return read(dsts, null, offset, length);
    }

    /**
     * tcp_recvmsg into each buffer in turn: what is there now (non-blocking), or at least one byte (blocking). A
     * single buffer comes as {@code dst} with {@code dsts} null, so no array is kept for it.
     */
    private long read(ByteBuffer[] dsts, ByteBuffer dst, int offset, int length) throws IOException {
        synchronized (lock(false)) {
            ensureOpen();
            if (state != CONNECTED) throw new NotYetConnectedException();
            if (inputShutdown) return -1;
            if (firstWithRemaining(dsts, dst, offset, length) == null) return 0;
            int r = transfer(false).run(dsts, dst, offset, length);
            if (r == 0) return -1; // end of stream
            if (r == Errno.EAGAIN.neg()) return 0;
            return SocketErrors.check(r);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException { return (int) write(null, Objects.requireNonNull(src), 0, 1); }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        return write(srcs, null, offset, length);
    }

    /** tcp_sendmsg from each buffer in turn: what fits now (non-blocking), or everything (blocking); as {@link #read}. */
    private long write(ByteBuffer[] srcs, ByteBuffer src, int offset, int length) throws IOException {
        synchronized (lock(true)) {
            ensureOpen();
            if (state != CONNECTED) throw new NotYetConnectedException();
            if (outputShutdown) throw new ClosedChannelException();
            long total = 0;
            for (;;) {
                int r = transfer(true).run(srcs, src, offset, length);
                if (r == Errno.EAGAIN.neg()) return total;
                if (r < 0) {
                    if (total > 0) return total;
                    SocketErrors.check(r);
                }
                total += r;
                if (!isBlocking() || firstWithRemaining(srcs, src, offset, length) == null) return total;
            }
        }
    }

    /**
     * One direction's data path: the buffers of the call in progress on the direction's reusable {@link MsgCall},
     * {@code bufs[off, off + len)} or, for read(ByteBuffer) and write(ByteBuffer), {@code only}.
     */
    private final class Transfer extends MsgCall {
        private ByteBuffer[] bufs;
        private ByteBuffer only;
        private int off, len;

        Transfer(boolean send) { super(InetSocketChannel.this.h, send); }

        /**
         * One call on the loop; blocking mode sleeps until it moves something, with the JDK's close rules: a close
         * meanwhile is an AsynchronousCloseException, an interrupt a ClosedByInterruptException.
         */
        int run(ByteBuffer[] b, ByteBuffer one, int offset, int length) throws IOException {
            bufs = b;
            only = one;
            off = offset;
            len = length;
            msg.data = firstWithRemaining(b, one, offset, length);
            newCall();
            try {
                if (!isBlocking()) return callNow();
                int r = Errno.EBADF.neg();
                begin();
                try {
                    r = await(0);
                } finally {
                    end(r != Errno.EBADF.neg() && r != Errno.EINTR.neg());
                }
                return r;
            } finally {
                bufs = null;
                only = null;
                msg.data = null;
            }
        }

        /** On the loop: each buffer in turn, stopping at one the socket did not fill or empty; the total or -errno. */
        @Override
        int perform() {
            int total = 0;
            for (int i = off; i < off + len; i++) {
                ByteBuffer b = bufs != null ? bufs[i] : only;
                if (!b.hasRemaining()) continue;
                int r = transfer(b);
                if (r <= 0) return total > 0 ? total : r; // 0 from recvmsg: end of stream
                total += r;
                if (b.hasRemaining()) break;
            }
            return total;
        }
    }

    private static ByteBuffer firstWithRemaining(ByteBuffer[] bufs, ByteBuffer one, int offset, int length) {
        if (bufs == null) return one.hasRemaining() ? one : null;
        for (int i = offset; i < offset + length; i++) if (bufs[i].hasRemaining()) return bufs[i];
        return null;
    }

    /** The JDK's translateReadyOps for a connection: POLLERR or POLLHUP make every wanted operation ready. */
    @Override
    public int readyOps(int mask, int interest) {
        if ((mask & (PollEvents.POLLERR | PollEvents.POLLHUP)) != 0) return interest;
        int ready = 0;
        boolean connected = isConnected();
        if ((mask & PollEvents.POLLIN) != 0 && connected) ready |= SelectionKey.OP_READ;
        if ((mask & PollEvents.POLLOUT) != 0 && isConnectionPending()) ready |= SelectionKey.OP_CONNECT;
        if ((mask & PollEvents.POLLOUT) != 0 && connected) ready |= SelectionKey.OP_WRITE;
        return ready & interest;
    }

    @Override
    protected void implConfigureBlocking(boolean block) { h.sock.nonBlocking = !block; }

    /**
     * close(2): with a positive SO_LINGER a blocking channel first waits for the peer to take the FIN, as
     * {@link InetSocket#close} does; threads blocked in a read or write get {@link
     * java.nio.channels.AsynchronousCloseException}.
     */
    @Override
    protected void implCloseSelectableChannel() {
        if (isBlocking()) h.closeLingering();
        else h.close();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public String toString() {
        return "InetSocketChannel[" + (!isOpen() ? "closed" : state == CONNECTED ? "connected remote=" + remote()
                : state == PENDING ? "connection-pending" : "unconnected") + "]";
    }
}
