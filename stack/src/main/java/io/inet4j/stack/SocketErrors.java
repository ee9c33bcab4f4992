package io.inet4j.stack;

import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * The one place where a socket call's {@code -errno} becomes the {@code java.net} exception a Java program
 * expects, as the JDK's {@code NioSocketImpl} / {@code Net.c} translate the kernel's errno: ECONNREFUSED is a
 * {@link ConnectException}, unreachable networks and hosts a {@link NoRouteToHostException}, address trouble at
 * bind a {@link BindException}, an expired SO_TIMEOUT a {@link SocketTimeoutException}, the rest a
 * {@link SocketException}. Every exception made here has an {@link ErrnoException} as its cause, so the errno
 * stays available: {@link #errno(Throwable)}.
 */
public final class SocketErrors {
    /** The call that failed: whether it can time out (and how that reads), and whether ETIMEDOUT is a failed connect. */
    enum Call {
        CONNECT("Connect timed out"), ACCEPT("Accept timed out"), READ("Read timed out"), OTHER(null);

        final String timeoutMessage;

        Call(String timeoutMessage) { this.timeoutMessage = timeoutMessage; }
    }

    private SocketErrors() {}

    /** The errno behind an exception of this API (searching the cause chain), or null for any other exception. */
    public static Errno errno(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ErrnoException e) return e.errno();
        }
        return null;
    }

    /** Returns {@code ret} when it is not negative, else throws the exception for the errno it encodes. */
    static int check(int ret, Call call) throws IOException {
        if (ret < 0) throw exception(Errno.of(ret), call);
        return ret;
    }

    /** {@link #check(int, Call)} for a call that cannot time out. */
    static int check(int ret) throws SocketException {
        if (ret < 0) throw socketException(Errno.of(ret));
        return ret;
    }

    /**
     * The exception for {@code errno} failing {@code call}. A blocking call that ran out of time reports what
     * Linux would: EAGAIN for a read or accept past SO_RCVTIMEO, EINPROGRESS for a connect past its timeout.
     */
    static IOException exception(Errno errno, Call call) {
        if (errno == Errno.EINTR) return interrupted(0);
        if (call.timeoutMessage != null && (errno == Errno.EAGAIN || errno == Errno.EINPROGRESS)) {
            return withErrno(new SocketTimeoutException(call.timeoutMessage), errno);
        }
        if (call == Call.CONNECT && errno == Errno.ETIMEDOUT) {
            return withErrno(new ConnectException("Connection timed out"), errno); // the SYN retries ran out
        }
        return socketException(errno);
    }

    /**
     * EINTR: the thread was interrupted while it slept in a call that had transferred {@code bytesTransferred}
     * bytes so far. {@link InterruptedIOException}, what the JDK's socket streams throw on a platform thread; the
     * socket stays open (an interrupted Linux call leaves the descriptor alone) and the interrupt stays set.
     */
    static InterruptedIOException interrupted(int bytesTransferred) {
        InterruptedIOException e = withErrno(new InterruptedIOException(Errno.EINTR.message()), Errno.EINTR);
        e.bytesTransferred = bytesTransferred;
        return e;
    }

    /** The exception for an errno that is not a timeout of the call itself. */
    static SocketException socketException(Errno errno) {
        return withErrno(switch (errno) {
            case ECONNREFUSED -> new ConnectException("Connection refused");
            case ETIMEDOUT -> new SocketException("Connection timed out");
            case ENETUNREACH, EHOSTUNREACH -> new NoRouteToHostException(errno.message());
            case EADDRINUSE, EADDRNOTAVAIL -> new BindException(errno.message());
            case ECONNRESET -> new SocketException("Connection reset");
            case EPIPE -> new SocketException("Broken pipe");
            case EBADF -> new SocketException("Socket closed");
            case ENOTCONN -> new SocketException("Socket is not connected");
            default -> new SocketException(errno.message());
        }, errno);
    }

    /** A SocketException carrying {@code errno} whose message says more than the errno's name. */
    static SocketException socketException(Errno errno, String message) {
        return withErrno(new SocketException(errno.message() + ": " + message), errno);
    }

    private static <E extends IOException> E withErrno(E e, Errno errno) {
        e.initCause(new ErrnoException(errno));
        return e;
    }
}
