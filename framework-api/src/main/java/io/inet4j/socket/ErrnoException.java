package io.inet4j.socket;

import java.io.IOException;

/** A socket call failed with {@link Errno}; the message reads like {@code strerror}. */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Errno errno;

    public ErrnoException(Errno errno) { this(errno, null); }

    public ErrnoException(Errno errno, String context) {
        super((context == null ? "" : context + ": ") + errno.message() + " (" + errno.name() + ")");
        this.errno = errno;
    }

    public Errno errno() { return errno; }

    /** Returns {@code ret} when it is not negative, else throws the errno it encodes. */
    public static int check(int ret, String context) throws ErrnoException {
        if (ret < 0) throw new ErrnoException(Errno.of(ret), context);
        return ret;
    }
}
