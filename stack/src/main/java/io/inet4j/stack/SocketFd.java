package io.inet4j.stack;

import io.inet4j.ipv4.af.InetStreamOps;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.Socket;
import io.inet4j.socket.SocketCalls;

/**
 * A socket of any protocol held the way a program holds a file descriptor: each method is the system call of
 * the same name, run on the stack's loop, sleeping on the socket's wait queue where Linux would block, and
 * failing with the {@link Errno} Linux returns ({@link ErrnoException}). What {@link InetStack#socket(int, int)}
 * gives, so a plug-in protocol's sockets are usable from any thread without touching the loop.
 *
 * <p>Blocking calls honour {@code SO_RCVTIMEO} / {@code SO_SNDTIMEO} and {@link MsgFlags#MSG_DONTWAIT}; they
 * need the stack's loop on its own thread (on a simulated loop they answer EAGAIN instead of sleeping). Closing
 * the stack closes the socket.
 */
public final class SocketFd implements AutoCloseable {
    private final SocketHandle h;

    SocketFd(SocketHandle h) { this.h = h; }

    /** The kernel socket itself, for code that already runs on the stack's loop (tests, tools). */
    public Socket socket() { return h.sock; }

    /** bind(2). */
    public void bind(SockAddr local) throws ErrnoException {
        check(h.call(() -> SocketCalls.bind(h.sock, local)), "bind");
    }

    /**
     * connect(2): a datagram socket fixes its peer; a stream socket waits until the handshake ends (or
     * {@code SO_SNDTIMEO} passes: EINPROGRESS, as Linux reports it).
     */
    public void connect(SockAddr remote) throws ErrnoException {
        int r = h.call(() -> SocketCalls.connect(h.sock, remote, 0));
        if (r == Errno.EINPROGRESS.neg() && !h.loop.inEventLoop()) {
            r = h.await(() -> InetStreamOps.connecting(h.sock) ? Errno.EAGAIN.neg() : h.sock.ops.connect(h.sock, remote, 0),
                    h.sock.sk.sndtimeoNanos());
            if (r == Errno.EAGAIN.neg()) r = Errno.EINPROGRESS.neg();
        }
        check(r, "connect");
    }

    /** listen(2). */
    public void listen(int backlog) throws ErrnoException {
        check(h.call(() -> SocketCalls.listen(h.sock, backlog)), "listen");
    }

    /** sendmsg(2): the count sent; waits for room unless {@code MSG_DONTWAIT}. */
    public int sendmsg(MsgHdr msg, int flags) throws ErrnoException {
        return check(blocking(SocketCalls.sendmsg(h.sock, msg, flags | MsgFlags.MSG_DONTWAIT), flags,
                h.sock.sk.sndtimeoNanos(), false), "sendmsg");
    }

    /** recvmsg(2): the count received, the sender in {@code msg.name}; waits unless {@code MSG_DONTWAIT}. */
    public int recvmsg(MsgHdr msg, int flags) throws ErrnoException {
        return recvmsg(msg, flags, h.sock.sk.rcvtimeoNanos());
    }

    /** recvmsg(2) waiting at most {@code timeoutNanos} (0: no limit); EAGAIN when the time ran out. */
    public int recvmsg(MsgHdr msg, int flags, long timeoutNanos) throws ErrnoException {
        return check(blocking(SocketCalls.recvmsg(h.sock, msg, flags | MsgFlags.MSG_DONTWAIT), flags, timeoutNanos,
                true), "recvmsg");
    }

    /** setsockopt(2) with an integer value. */
    public void setsockopt(int level, int name, int value) throws ErrnoException {
        check(h.call(() -> h.sock.ops.setsockopt(h.sock, level, name, value)), "setsockopt");
    }

    /** getsockopt(2) of an integer value. */
    public int getsockopt(int level, int name) throws ErrnoException {
        int[] v = new int[1];
        check(h.call(() -> h.sock.ops.getsockopt(h.sock, level, name, v)), "getsockopt");
        return v[0];
    }

    /** getsockname(2); null once closed. */
    public SockAddrIn getsockname() { return h.name(false); }

    /**
     * getpeername(2): the peer the socket is connected to, as the kernel keeps it (after an INET4_CONNECT hook
     * redirected a connect, the new destination, as Linux answers); ENOTCONN when there is none.
     */
    public SockAddrIn getpeername() throws ErrnoException {
        SockAddr.Holder out = new SockAddr.Holder();
        check(h.call(() -> h.sock.ops.getname(h.sock, out, true)), "getpeername");
        return (SockAddrIn) out.value;
    }

    /** The readiness mask poll(2) would report ({@link io.inet4j.socket.PollEvents} bits). */
    public int poll() { return h.call(() -> h.sock.ops.poll(h.sock)); }

    /** close(2); threads asleep in a call get EBADF. Idempotent. */
    @Override
    public void close() { h.close(); }

    private int blocking(java.util.function.IntSupplier op, int flags, long timeoutNanos, boolean receive) {
        if ((flags & MsgFlags.MSG_DONTWAIT) != 0 || h.loop.inEventLoop()) return h.call(op);
        return receive ? h.awaitRecv(op, timeoutNanos) : h.await(op, timeoutNanos);
    }

    private static int check(int r, String call) throws ErrnoException { return ErrnoException.check(r, call); }
}
