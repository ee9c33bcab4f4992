package io.inet4j.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sysctls that refuse with a reason: a feature not built, a word not registered, a read-only report. */
class HonestSysctlsTest {
    @Test
    void aFixedIntAcceptsOnlyItsValueAndSaysWhy() {
        IntSysctl sack = IntSysctl.fixed("net.ipv4.tcp_sack", 0, "SACK is not built yet");
        assertThat(sack.get()).isZero();
        sack.set("0");
        assertThatThrownBy(() -> sack.set("1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("net.ipv4.tcp_sack: SACK is not built yet; only 0 is accepted");
        assertThat(sack.get()).isZero();
    }

    @Test
    void aRuleNarrowsTheRangeWithItsOwnMessage() {
        IntSysctl odd = new IntSysctl("x", 1, 0, 9, v -> v % 2 == 1, "odd only");
        odd.set(3);
        assertThatThrownBy(() -> odd.set(4)).hasMessage("x: odd only");
        assertThatThrownBy(() -> odd.set(11)).hasMessage("x: 11 outside [0, 9]");
        assertThat(odd.get()).isEqualTo(3);
    }

    @Test
    void aCheckedWordGivesTheCheckersReason() {
        Set<String> known = Set.of("reno", "cubic");
        StringSysctl cc = StringSysctl.checked("net.ipv4.tcp_congestion_control", "reno",
                s -> known.contains(s) ? null : "no congestion control named " + s);
        cc.set(" cubic ");
        assertThat(cc.get()).isEqualTo("cubic");
        assertThatThrownBy(() -> cc.set("bbr")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("net.ipv4.tcp_congestion_control: no congestion control named bbr");
        assertThat(cc.get()).isEqualTo("cubic");
    }

    @Test
    void aReadOnlySysctlReportsAndRefusesWrites() {
        StringBuilder live = new StringBuilder("reno");
        ReadOnlySysctl avail = new ReadOnlySysctl("net.ipv4.tcp_available_congestion_control", live::toString);
        assertThat(avail.asString()).isEqualTo("reno");
        live.append(" cubic");
        assertThat(avail.asString()).isEqualTo("reno cubic");
        assertThatThrownBy(() -> avail.set("reno")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("net.ipv4.tcp_available_congestion_control: read-only");
    }
}
