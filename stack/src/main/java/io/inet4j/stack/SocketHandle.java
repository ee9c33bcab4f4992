package io.inet4j.stack;

import io.inet4j.hook.Scope;
import io.inet4j.loop.EventLoop;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.LoopCall;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.socket.SocketCalls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What {@link InetSocket} and {@link InetServerSocket} share: the kernel-level stream socket and the way an
 * application thread uses it, the analog of a file descriptor plus the system-call entry. Every call hops onto
 * the stack's loop with {@link LoopCall}; a call that would block sleeps on the socket's wait queue. Once closed,
 * calls answer EBADF ("Socket closed"), also to threads that were asleep in one.
 */
final class SocketHandle {
    final InetStack stack;
    final EventLoop loop;
    final Socket sock;
    private volatile boolean closed;
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(SocketHandle.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** SO_TIMEOUT, mirrored from SO_RCVTIMEO so a waiting thread knows its deadline without a trip to the loop. */
    private volatile int soTimeoutMillis;
    /** Neighbours on the stack's list of open handles ({@link InetStack#track}), guarded by that list's lock. */
    SocketHandle prevOpen;
    SocketHandle nextOpen;

    SocketHandle(InetStack stack, Socket sock) {
        this.stack = stack;
        this.loop = stack.loop();
        this.sock = sock;
        stack.track(this);
    }

    /**
     * socket(AF_INET, SOCK_STREAM, 0): the stream protocol the stack has (TCP when proto-tcp is on the class
     * path), belonging to {@code scope}. Without one, Linux's ESOCKTNOSUPPORT, with a message that says what is
     * missing.
     */
    static SocketHandle open(InetStack stack, Scope scope) throws SocketException {
        return open(stack, scope, SockType.SOCK_STREAM);
    }

    /**
     * socket(AF_INET, SOCK_STREAM, 0) (TCP, the first stream entry) or socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP): UDP
     * by number, so a stack without UDP answers EPROTONOSUPPORT instead of handing out its next datagram protocol
     * (ping).
     */
    static SocketHandle open(InetStack stack, Scope scope, int type) throws SocketException {
        Socket[] out = new Socket[1];
        boolean stream = type == SockType.SOCK_STREAM;
        int r = stack.socketCreate(scope, type, stream ? IpProto.IPPROTO_IP : IpProto.IPPROTO_UDP, out);
        if (r == Errno.ESOCKTNOSUPPORT.neg() || r == Errno.EPROTONOSUPPORT.neg()) {
            throw SocketErrors.socketException(Errno.of(r), "no " + (stream ? "stream protocol" : "UDP")
                    + " registered: put " + (stream ? "proto-tcp" : "a UDP protocol")
                    + " (or io.inet4j:inet4j, the complete stack) on the class path");
        }
        SocketErrors.check(r);
        return new SocketHandle(stack, out[0]);
    }

    boolean isClosed() { return closed; }

    void ensureOpen() throws SocketException {
        if (closed) throw SocketErrors.socketException(Errno.EBADF);
    }

    /** Runs {@code op} on the loop; EBADF once the socket is released, EIO once the loop failed. */
    int call(IntSupplier op) { return callGuarded(guard(op)); }

    /** {@link #call} for an operation that answers EBADF itself once the socket is released (a {@link MsgCall}). */
    int callGuarded(IntSupplier op) {
        try {
            return LoopCall.call(loop, op);
        } catch (RejectedExecutionException refused) {
            return refusedErrno(refused);
        }
    }

    /**
     * A loop that refuses work was closed (the stack with it: EBADF, "Socket closed") or failed, which it logged
     * at ERROR and gives as the refusal's cause: EIO then, so the caller does not take it for its own close.
     */
    private static int refusedErrno(RejectedExecutionException refused) {
        return (refused.getCause() != null ? Errno.EIO : Errno.EBADF).neg();
    }

    /** {@link #call}, throwing the exception for an error. */
    int check(IntSupplier op) throws SocketException { return SocketErrors.check(call(op)); }

    /**
     * Runs {@code op} on the loop until it answers something other than EAGAIN, sleeping on the socket's wait
     * queue in between, for at most {@code timeoutNanos} (0: no limit); EAGAIN when the time ran out.
     */
    int await(IntSupplier op, long timeoutNanos) { return awaitGuarded(guard(op), timeoutNanos, false); }

    /** {@link #await} for a receive: busy-polls first when the socket's SO_BUSY_POLL says so. */
    int awaitRecv(IntSupplier op, long timeoutNanos) { return awaitGuarded(guard(op), timeoutNanos, true); }

    /** {@link #await} or {@link #awaitRecv} for an operation that answers EBADF itself (a {@link MsgCall}). */
    int awaitGuarded(IntSupplier op, long timeoutNanos, boolean receive) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("a blocking socket call on the stack's own loop thread would never wake");
        }
        try {
            return LoopCall.blocking(loop, sock, op, timeoutNanos, false, receive);
        } catch (RejectedExecutionException refused) {
            // The stack's loop is gone (closed or failed while we slept): the socket went with it.
            return refusedErrno(refused);
        }
    }

    private IntSupplier guard(IntSupplier op) {
        return () -> sock.sk == null ? Errno.EBADF.neg() : op.getAsInt();
    }

    void setOption(int level, int name, int value) throws SocketException {
        ensureOpen();
        check(() -> sock.ops.setsockopt(sock, level, name, value));
    }

    int option(int level, int name) throws SocketException {
        ensureOpen();
        int[] v = new int[1];
        check(() -> sock.ops.getsockopt(sock, level, name, v));
        return v[0];
    }

    /** getsockopt(SOL_TCP, TCP_INFO): the snapshot, as many bytes as the protocol gives. */
    io.inet4j.socket.TcpInfo tcpInfo() throws SocketException {
        ensureOpen();
        byte[] b = new byte[io.inet4j.socket.TcpInfo.SIZE];
        int len = check(() -> sock.ops.getsockopt(sock, SockOpt.SOL_TCP, SockOpt.TCP_INFO, b));
        return io.inet4j.socket.TcpInfo.of(b, len);
    }

    /** setsockopt(SOL_TCP, TCP_CONGESTION): the name as the NUL-terminated string Linux reads. */
    void setCongestion(String name) throws SocketException {
        ensureOpen();
        byte[] b = (name + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        check(() -> sock.ops.setsockopt(sock, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, b));
    }

    /** getsockopt(SOL_TCP, TCP_CONGESTION): the name up to the NUL padding. */
    String congestion() throws SocketException {
        ensureOpen();
        byte[] b = new byte[16]; // TCP_CA_NAME_MAX
        int len = check(() -> sock.ops.getsockopt(sock, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, b));
        int n = 0;
        while (n < len && b[n] != 0) n++;
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    void setFlag(int level, int name, boolean on) throws SocketException { setOption(level, name, on ? 1 : 0); }

    boolean flag(int level, int name) throws SocketException { return option(level, name) != 0; }

    /** SO_RCVBUF or SO_SNDBUF; the JDK refuses a size that is not positive. */
    void setBufferSize(int name, int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("invalid buffer size " + size);
        setOption(SockOpt.SOL_SOCKET, name, size);
    }

    /** SO_TIMEOUT: how long a read or accept waits, in milliseconds; 0 waits for ever. Linux's SO_RCVTIMEO. */
    void setSoTimeout(int millis) throws SocketException {
        if (millis < 0) throw new IllegalArgumentException("timeout can't be negative");
        setOption(SockOpt.SOL_SOCKET, SockOpt.SO_RCVTIMEO, millis);
        soTimeoutMillis = millis;
    }

    int soTimeoutMillis() { return soTimeoutMillis; }

    /** A read or accept: {@link #await} for at most SO_TIMEOUT. */
    int awaitWithinSoTimeout(IntSupplier op) { return await(op, soTimeoutNanos()); }

    /** SO_TIMEOUT in nanoseconds, 0 for none. */
    long soTimeoutNanos() { return TimeUnit.MILLISECONDS.toNanos(soTimeoutMillis); }

    /** bind(2); a null address means any address, any port. */
    void bind(SocketAddress local) throws SocketException, UnknownHostException {
        ensureOpen();
        SockAddrIn addr = local == null ? new SockAddrIn(SockAddrIn.INADDR_ANY, 0) : toSockAddr(local);
        check(() -> SocketCalls.bind(sock, addr));
    }

    /** getsockname / getpeername; null when there is none (closed, or no peer). */
    SockAddrIn name(boolean peer) {
        SockAddr.Holder h = new SockAddr.Holder();
        return call(() -> sock.ops.getname(sock, h, peer)) == 0 ? (SockAddrIn) h.value : null;
    }

    /**
     * accept(2) on this listener as one call to the stack: the new connection with its peer's address, as
     * {@code accept4} fills in the address in the same system call ({@code __sys_accept4_file} asks the new
     * socket's {@code getname} right after {@code inet_accept}), and its own address, fixed from then on. An
     * accepting thread then takes the stack's state once per connection instead of three times. {@link #child}
     * holds the connection once the call returned 0.
     */
    final class Accept implements IntSupplier {
        final Socket child = new Socket(SockType.SOCK_STREAM);
        private final IntSupplier accept = SocketCalls.accept(sock, child, 0);
        private final SockAddr.Holder peer = new SockAddr.Holder();
        private final SockAddr.Holder local = new SockAddr.Holder();

        @Override
        public int getAsInt() {
            int r = accept.getAsInt();
            if (r == 0) {
                // A connection reset while it waited to be accepted has no peer any more: null, as name(true).
                if (child.ops.getname(child, peer, true) != 0) peer.value = null;
                if (child.ops.getname(child, local, false) != 0) local.value = null;
            }
            return r;
        }

        /** The peer's address, null when the connection was reset before it was accepted. */
        SockAddrIn peer() { return (SockAddrIn) peer.value; }

        /** The connection's own address. */
        SockAddrIn local() { return (SockAddrIn) local.value; }
    }

    /**
     * close(2) of a blocking stream socket, with the SO_LINGER wait of a stream protocol's close
     * ({@code sk_stream_wait_close}): with a positive linger time and nothing left unread, close shuts the sending
     * side first and waits, up to that time, while the protocol says it is still
     * {@linkplain io.inet4j.socket.Proto#closing closing}. Unread data or linger 0 leave it to the release (TCP
     * aborts with a RST). Without a positive linger time, the usual case, the check and the release take the state
     * once, as {@code tcp_close} reads {@code SOCK_LINGER} under the socket lock it releases with: each trip
     * contends with the stack's receive path, and under load waits for it.
     */
    void closeLingering() {
        if (closed || loop.inEventLoop()) {
            close();
            return;
        }
        int linger = call(() -> {
            int l = sock.sk.lingerSeconds;
            if (l > 0) return l;
            if (!CLOSED.compareAndSet(this, false, true)) return Errno.EBADF.neg(); // another close releases it
            release();
            return 0;
        });
        if (linger == 0) {
            stack.untrack(this);
            return;
        }
        if (linger > 0) lingerBeforeClose(linger);
        close();
    }

    private void lingerBeforeClose(int linger) {
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
        boolean unread = call(() -> sock.ops.recvmsg(sock, new io.inet4j.socket.MsgHdr(one, null),
                io.inet4j.socket.MsgFlags.MSG_PEEK | io.inet4j.socket.MsgFlags.MSG_DONTWAIT)) > 0;
        if (unread || call(() -> sock.ops.shutdown(sock, 1)) < 0) return;
        await(() -> sock.sk.prot.closing(sock.sk) ? Errno.EAGAIN.neg() : 0, TimeUnit.SECONDS.toNanos(linger));
    }

    /**
     * close(2): releases the kernel socket (a connection finishes on its own, as an orphan) and wakes every thread
     * asleep in a call on it, which then finds it closed. Idempotent.
     */
    void close() {
        if (!CLOSED.compareAndSet(this, false, true)) return;
        try {
            LoopCall.call(loop, () -> {
                release();
                return 0;
            });
        } catch (RejectedExecutionException loopGone) {
            // The socket's state went with the loop; sleepers still need waking, and no loop writes the queue now.
            sock.wakeUp();
        }
        stack.untrack(this);
    }

    /** The release half of close, on the state's owner, once {@link #closed} is set by the caller. */
    private void release() {
        if (sock.sk != null) sock.ops.release(sock);
        sock.wakeUp();
    }

    /**
     * An IPv4 socket address from a Java one. An unresolved address must spell an IPv4 literal: the stack never
     * asks the host's resolver, which answers for another network.
     */
    static SockAddrIn toSockAddr(SocketAddress a) throws SocketException, UnknownHostException {
        if (!(a instanceof InetSocketAddress isa)) throw new IllegalArgumentException("unsupported address type: " + a);
        InetAddress ia = isa.getAddress();
        if (ia == null) {
            try {
                return new SockAddrIn(SockAddrIn.parseAddress(isa.getHostString()), isa.getPort());
            } catch (IllegalArgumentException e) {
                throw new UnknownHostException(isa.getHostString() + ": not an IPv4 literal");
            }
        }
        if (!(ia instanceof Inet4Address)) throw SocketErrors.socketException(Errno.EAFNOSUPPORT);
        byte[] b = ia.getAddress();
        int v = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        return new SockAddrIn(v, isa.getPort());
    }

    static InetAddress toInetAddress(int a) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

    static InetSocketAddress toSocketAddress(SockAddrIn a) {
        return a == null ? null : new InetSocketAddress(toInetAddress(a.address()), a.port());
    }
}
