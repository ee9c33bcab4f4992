package io.inet4j.tap;

import java.io.IOException;
import jnr.constants.platform.Errno;

/**
 * Opening a TAP device failed. The message names what is missing (the tun module, a capability, a free device
 * name) so an operator can fix it without reading {@code drivers/net/tun.c}; {@link #errno()} keeps the number.
 */
public final class TapUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    TapUnavailableException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The Linux errno that caused this, as {@code open(2)} or {@code ioctl(2)} set it. */
    public int errno() { return errno; }

    /** {@code open(path)} failed. */
    static TapUnavailableException openFailed(String path, int errno) {
        String why;
        if (errno == Errno.ENOENT.intValue()) {
            why = path + " does not exist (load the tun module)";
        } else if (errno == Errno.EACCES.intValue() || errno == Errno.EPERM.intValue()) {
            why = "permission denied opening " + path + ": run as root or grant CAP_NET_ADMIN";
        } else if (errno == Errno.ENODEV.intValue() || errno == Errno.ENXIO.intValue()) {
            why = path + " exists but no driver answers it (load the tun module)";
        } else {
            why = "cannot open " + path + ": " + Posix.describe(errno);
        }
        return new TapUnavailableException(why, errno);
    }

    /** {@code ioctl(TUNSETIFF)} for {@code name} failed (tun_set_iff's error paths). */
    static TapUnavailableException setIffFailed(String name, int errno) {
        String why;
        if (errno == Errno.EPERM.intValue() || errno == Errno.EACCES.intValue()) {
            why = "permission denied creating TAP device " + name + ": run as root or grant CAP_NET_ADMIN";
        } else if (errno == Errno.EBUSY.intValue()) {
            why = "device " + name + " is in use (another file descriptor is attached to it)";
        } else if (errno == Errno.EINVAL.intValue()) {
            why = "device " + name + " exists and is not a single-queue TAP device";
        } else {
            why = "cannot create TAP device " + name + ": " + Posix.describe(errno);
        }
        return new TapUnavailableException(why, errno);
    }

    /** Another call in the open sequence ({@code what}: "eventfd", "set MTU 9000 on tap0", ...) failed. */
    static TapUnavailableException callFailed(String what, int errno) {
        return new TapUnavailableException("cannot " + what + ": " + Posix.describe(errno), errno);
    }
}
