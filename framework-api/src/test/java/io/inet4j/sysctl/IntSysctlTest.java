package io.inet4j.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pins {@link IntSysctl} as {@code proc_dointvec_minmax}: inclusive range, text in and out, EINVAL-style errors that leave the value alone. */
class IntSysctlTest {
    private final IntSysctl s = new IntSysctl("net.ipv4.tcp_syn_retries", 6, 1, 127);

    @Test
    void startsAtItsDefaultAndPrintsLikeSysctl() {
        assertThat(s.get()).isEqualTo(6);
        assertThat(s.asString()).isEqualTo("6");
        assertThat(s.name()).isEqualTo("net.ipv4.tcp_syn_retries");
        assertThat(s).hasToString("net.ipv4.tcp_syn_retries = 6");
    }

    @Test
    void acceptsTheWholeInclusiveRange() {
        s.set(1);
        assertThat(s.get()).isEqualTo(1);
        s.set(127);
        assertThat(s.get()).isEqualTo(127);
        s.set(" 42\n");
        assertThat(s.get()).isEqualTo(42);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "128", "-1", "", "abc", "4.5", "0x10", "99999999999"})
    void rejectsOutOfRangeAndNonIntegersAndKeepsTheValue(String text) {
        assertThatThrownBy(() -> s.set(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(s.name());
        assertThat(s.get()).isEqualTo(6);
    }

    @Test
    void aDefaultOutsideTheRangeIsAProgrammingError() {
        assertThatThrownBy(() -> new IntSysctl("x", 0, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
