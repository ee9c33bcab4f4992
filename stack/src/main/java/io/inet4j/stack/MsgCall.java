package io.inet4j.stack;

import io.inet4j.socket.Errno;
import io.inet4j.socket.MsgHdr;
import java.nio.ByteBuffer;
import java.util.function.IntSupplier;

/**
 * One direction of a socket's data path, reused call after call so a steady stream of reads or writes allocates
 * nothing: {@code sock_sendmsg} / {@code sock_recvmsg} with the security modules asked once per call (not on each
 * retry after a wait), the {@code msghdr} and, for byte arrays, the buffer wrapping the caller's last array. The
 * owner of a direction serializes its calls, as the JDK's socket streams and channels do.
 */
abstract class MsgCall implements IntSupplier {
    final SocketHandle h;
    final boolean send;
    final MsgHdr msg = new MsgHdr();
    private boolean checked;
    /** The caller's last array, wrapped whole; re-wrapped only when the caller switches arrays. */
    private ByteBuffer wrapped;

    MsgCall(SocketHandle h, boolean send) {
        this.h = h;
        this.send = send;
    }

    /** A view of {@code b[off, off + len)}, the same buffer object as last time when {@code b} is the same array. */
    final ByteBuffer wrap(byte[] b, int off, int len) {
        ByteBuffer w = wrapped;
        if (w == null || w.array() != b) wrapped = w = ByteBuffer.wrap(b);
        w.limit(off + len).position(off);
        return w;
    }

    /** Sleeps until the call completes, for at most {@code timeoutNanos} (0: no limit); receives busy-poll first. */
    final int await(long timeoutNanos) { return h.awaitGuarded(this, timeoutNanos, !send); }

    /** Runs the call once, not waiting (a non-blocking channel's). */
    final int callNow() { return h.callGuarded(this); }

    /** Starts a new system call: the security modules will be asked again, and the returned flags start empty. */
    final void newCall() {
        checked = false;
        msg.flags = 0;
    }

    /** The call's work once the security check passed: {@link #transfer} on each buffer, -errno or the count. */
    abstract int perform();

    /** One {@code sendmsg} / {@code recvmsg} of the protocol on {@code b} (and {@code msg.name}). */
    final int transfer(ByteBuffer b) {
        msg.data = b;
        return send ? h.sock.ops.sendmsg(h.sock, msg, 0) : h.sock.ops.recvmsg(h.sock, msg, 0);
    }

    /**
     * On the state's owner: EBADF once the socket is released, the security verdict (the modules see the header as
     * the caller prepared it, its first buffer in {@code msg.data}), then {@link #perform}.
     */
    @Override
    public final int getAsInt() {
        if (h.sock.sk == null) return Errno.EBADF.neg();
        if (!checked) {
            int err = send ? h.sock.sk.net.hooks().securitySocketSendmsg(h.sock, msg)
                    : h.sock.sk.net.hooks().securitySocketRecvmsg(h.sock, msg, 0);
            if (err != 0) return err;
            checked = true;
        }
        return perform();
    }
}
