package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThat;

import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;

/** The errno-to-advice table, for the cases a root test machine cannot produce. */
class TapUnavailableExceptionTest {
    @Test
    void openErrors() {
        assertThat(TapUnavailableException.openFailed("/dev/net/tun", Errno.ENOENT.intValue()))
                .hasMessage("/dev/net/tun does not exist (load the tun module)");
        assertThat(TapUnavailableException.openFailed("/dev/net/tun", Errno.EACCES.intValue()))
                .hasMessage("permission denied opening /dev/net/tun: run as root or grant CAP_NET_ADMIN");
        assertThat(TapUnavailableException.openFailed("/dev/net/tun", Errno.EPERM.intValue()))
                .hasMessage("permission denied opening /dev/net/tun: run as root or grant CAP_NET_ADMIN");
        assertThat(TapUnavailableException.openFailed("/dev/net/tun", Errno.ENODEV.intValue()))
                .hasMessage("/dev/net/tun exists but no driver answers it (load the tun module)");
        assertThat(TapUnavailableException.openFailed("/dev/net/tun", Errno.EMFILE.intValue()))
                .hasMessage("cannot open /dev/net/tun: EMFILE (Too many open files)");
    }

    @Test
    void tunSetIffErrors() {
        TapUnavailableException eperm = TapUnavailableException.setIffFailed("tap0", Errno.EPERM.intValue());
        assertThat(eperm).hasMessage("permission denied creating TAP device tap0: run as root or grant CAP_NET_ADMIN");
        assertThat(eperm.errno()).isEqualTo(Errno.EPERM.intValue());
        assertThat(TapUnavailableException.setIffFailed("tap0", Errno.EBUSY.intValue()))
                .hasMessage("device tap0 is in use (another file descriptor is attached to it)");
        assertThat(TapUnavailableException.setIffFailed("eth0", Errno.EINVAL.intValue()))
                .hasMessage("device eth0 exists and is not a single-queue TAP device");
        assertThat(TapUnavailableException.setIffFailed("tap0", Errno.ENOMEM.intValue()))
                .hasMessage("cannot create TAP device tap0: ENOMEM (Cannot allocate memory)");
    }

    @Test
    void anErrnoThePlatformDoesNotKnowKeepsItsNumber() {
        assertThat(TapUnavailableException.callFailed("create an eventfd", 4095))
                .hasMessage("cannot create an eventfd: errno 4095");
    }
}
