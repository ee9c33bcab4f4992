package io.inet4j.sysctl;

import io.inet4j.socket.Errno;

/**
 * A sysctl write refused, with the errno Linux's {@code /proc/sys} write would return: ENOENT for an unknown name
 * (or an unknown congestion control), EACCES for a read-only entry, EINVAL for a value out of range or for a
 * feature that is not built.
 */
public final class SysctlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Errno errno;

    public SysctlException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public Errno errno() { return errno; }
}
