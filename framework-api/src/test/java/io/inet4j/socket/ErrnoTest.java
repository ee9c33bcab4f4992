package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link Errno} to Linux's numbers and glibc's messages for a sample of values, the {@code -errno} return
 * convention both ways, the error for numbers the table lacks, and how {@link ErrnoException#check} turns a
 * negative return into an exception that reads like {@code strerror}.
 */
class ErrnoTest {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"EPERM, 1", "ENOENT, 2", "EINTR, 4", "EAGAIN, 11", "ENOMEM, 12", "EINVAL, 22", "EPIPE, 32", "EDOM, 33",
            "ENOTSOCK, 88", "EMSGSIZE, 90", "ENOPROTOOPT, 92", "EOPNOTSUPP, 95", "EAFNOSUPPORT, 97", "EADDRINUSE, 98",
            "EADDRNOTAVAIL, 99", "ENETUNREACH, 101", "ECONNRESET, 104", "ENOBUFS, 105", "EISCONN, 106",
            "ENOTCONN, 107", "ETIMEDOUT, 110", "ECONNREFUSED, 111", "EHOSTUNREACH, 113", "EALREADY, 114",
            "EINPROGRESS, 115"})
    void numbersAreLinuxs(Errno e, int number) {
        assertThat(e.number()).isEqualTo(number);
        assertThat(e.neg()).isEqualTo(-number);
        assertThat(Errno.of(number)).isSameAs(e);
        assertThat(Errno.of(-number)).isSameAs(e);
    }

    @Test
    void messagesAreGlibcs() {
        assertThat(Errno.EAGAIN.message()).isEqualTo("Resource temporarily unavailable");
        assertThat(Errno.ECONNREFUSED.message()).isEqualTo("Connection refused");
        assertThat(Errno.EADDRNOTAVAIL.message()).isEqualTo("Cannot assign requested address");
        assertThat(Errno.EINPROGRESS.message()).isEqualTo("Operation now in progress");
        assertThat(Errno.ETIMEDOUT.message()).isEqualTo("Connection timed out");
    }

    @Test
    void everyNumberIsDistinct() {
        assertThat(Arrays.stream(Errno.values()).map(Errno::number)).doesNotHaveDuplicates();
        for (Errno e : Errno.values()) assertThat(Errno.of(e.neg())).isSameAs(e);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 116, 127, 128, 4095, -4095, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void numbersTheTableLacksAreRefused(int n) {
        assertThatThrownBy(() -> Errno.of(n)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("" + n);
    }

    @Test
    void checkPassesResultsThroughAndThrowsErrors() throws ErrnoException {
        assertThat(ErrnoException.check(0, "bind")).isZero();
        assertThat(ErrnoException.check(1460, "send")).isEqualTo(1460);
        assertThatThrownBy(() -> ErrnoException.check(Errno.ECONNREFUSED.neg(), "connect 10.0.0.2:80"))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("connect 10.0.0.2:80: Connection refused (ECONNREFUSED)")
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ECONNREFUSED));
        assertThat(new ErrnoException(Errno.EAGAIN)).hasMessage("Resource temporarily unavailable (EAGAIN)")
                .isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> ErrnoException.check(-3, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
