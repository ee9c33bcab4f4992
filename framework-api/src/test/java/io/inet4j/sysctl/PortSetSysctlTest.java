package io.inet4j.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link PortSetSysctl} as {@code ip_local_reserved_ports}: empty by default, ports and inclusive ranges in,
 * the canonical merged form out, and bad ports or ranges refused without touching the set.
 */
class PortSetSysctlTest {
    private final PortSetSysctl ports = new PortSetSysctl("net.ipv4.ip_local_reserved_ports");

    @Test
    void emptyByDefault() {
        assertThat(ports.asString()).isEmpty();
        assertThat(ports.contains(0)).isFalse();
        assertThat(ports.contains(65535)).isFalse();
    }

    @Test
    void portsAndInclusiveRanges() {
        ports.set("8080,9000-9100");
        assertThat(ports.contains(8080)).isTrue();
        assertThat(ports.contains(8081)).isFalse();
        assertThat(ports.contains(8999)).isFalse();
        assertThat(ports.contains(9000)).isTrue();
        assertThat(ports.contains(9100)).isTrue();
        assertThat(ports.contains(9101)).isFalse();
        assertThat(ports.asString()).isEqualTo("8080,9000-9100");
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "1,2,3|1-3",
        "9100-9200, 9000-9150 |9000-9200",
        "5, 5-5 ,5|5",
        "0-65535|0-65535",
        "65535,0|0,65535",
        "30000-30001,30003|30000-30001,30003",
        " |''"})
    void formatsTheCanonicalMergedForm(String in, String out) {
        ports.set(in == null ? "" : in);
        assertThat(ports.asString()).isEqualTo(out.equals("''") ? "" : out);
    }

    @Test
    void settingReplacesTheWholeSet() {
        ports.set("1-10");
        ports.set("20");
        assertThat(ports.contains(5)).isFalse();
        ports.set("");
        assertThat(ports.asString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "-1", "9100-9000", "a", "1-", "-", "1-2-3", "80;443", "1.5"})
    void rejectsBadPortsAndRangesAndKeepsTheSet(String text) {
        ports.set("22");
        assertThatThrownBy(() -> ports.set(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ports.name());
        assertThat(ports.asString()).isEqualTo("22");
    }
}
