package io.inet4j.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pins the sysctl table and its word-valued and core entries: names are unique, unknown names fail, set-by-name
 * reaches the typed tunable, {@code all()} is sorted like {@code sysctl -a}, {@link StringSysctl} validates, and
 * {@link CoreSysctls} starts at Linux's defaults.
 */
class SysctlsTest {
    private final Sysctls table = new Sysctls();

    @Test
    void registerReturnsTheTunableAndRefusesADuplicateName() {
        IntSysctl s = new IntSysctl("net.ipv4.tcp_fin_timeout", 60, 1, Integer.MAX_VALUE);
        assertThat(table.register(s)).isSameAs(s);
        assertThatThrownBy(() -> table.register(new IntSysctl("net.ipv4.tcp_fin_timeout", 1, 1, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("net.ipv4.tcp_fin_timeout");
        assertThat(table.get("net.ipv4.tcp_fin_timeout")).isSameAs(s);
    }

    @Test
    void unknownNamesFail() {
        assertThatThrownBy(() -> table.get("net.ipv4.nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("net.ipv4.nope");
        assertThatThrownBy(() -> table.set("net.ipv4.nope", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setByNameReachesTheTypedTunable() {
        IntSysctl s = table.register(new IntSysctl("net.ipv4.tcp_syncookies", 1, 0, 2));
        table.set("net.ipv4.tcp_syncookies", "2");
        assertThat(s.get()).isEqualTo(2);
        assertThatThrownBy(() -> table.set("net.ipv4.tcp_syncookies", "3")).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.get()).isEqualTo(2);
    }

    @Test
    void allIsSortedByName() {
        table.register(new IntSysctl("net.ipv4.b", 0, 0, 1));
        table.register(new IntSysctl("net.core.z", 0, 0, 1));
        table.register(new IntSysctl("net.ipv4.a", 0, 0, 1));
        assertThat(table.all()).extracting(Sysctl::name).containsExactly("net.core.z", "net.ipv4.a", "net.ipv4.b");
    }

    @Test
    void stringSysctlTrimsAndValidates() {
        StringSysctl cc = table.register(new StringSysctl("net.ipv4.tcp_congestion_control", "cubic",
                v -> Set.of("cubic", "reno").contains(v)));
        assertThat(cc.get()).isEqualTo("cubic");
        table.set("net.ipv4.tcp_congestion_control", " reno\n");
        assertThat(cc.get()).isEqualTo("reno");
        assertThat(cc.asString()).isEqualTo("reno");
        assertThatThrownBy(() -> cc.set("bbr")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bbr");
        assertThat(cc.get()).isEqualTo("reno");
        assertThatThrownBy(() -> new StringSysctl("x", "bad", v -> false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void coreSysctlsStartAtLinuxDefaults() {
        CoreSysctls core = new CoreSysctls(table);
        assertThat(core.somaxconn.get()).isEqualTo(4096);
        assertThat(core.rmemMax.get()).isEqualTo(212992);
        assertThat(core.wmemMax.get()).isEqualTo(212992);
        assertThat(core.rmemDefault.get()).isEqualTo(212992);
        assertThat(core.wmemDefault.get()).isEqualTo(212992);
        assertThat(core.netdevMaxBacklog.get()).isEqualTo(1000);
        assertThat(core.busyRead.get()).isZero();
        assertThat(table.all()).extracting(Sysctl::toString).containsExactly(
                "net.core.busy_read = 0",
                "net.core.netdev_max_backlog = 1000",
                "net.core.rmem_default = 212992",
                "net.core.rmem_max = 212992",
                "net.core.somaxconn = 4096",
                "net.core.wmem_default = 212992",
                "net.core.wmem_max = 212992");
    }

    @Test
    void coreBufferMaximaHaveLinuxsFloors() {
        CoreSysctls core = new CoreSysctls(table);
        assertThatThrownBy(() -> table.set("net.core.rmem_max", "2303")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> table.set("net.core.wmem_max", "4607")).isInstanceOf(IllegalArgumentException.class);
        table.set("net.core.somaxconn", "0");
        assertThat(core.somaxconn.get()).isZero();
    }
}
