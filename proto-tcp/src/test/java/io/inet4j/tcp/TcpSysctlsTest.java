package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.inet4j.sysctl.Sysctl;
import io.inet4j.sysctl.Sysctls;
import io.inet4j.sysctl.SysctlException;
import io.inet4j.socket.Errno;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TcpSysctlsTest {
    private final Sysctls table = new Sysctls();
    private static final SortedSet<String> CONGS = new TreeSet<>(Set.of("reno", "i4j_test"));
    private final TcpSysctls tcp = new TcpSysctls(table, CONGS);

    private String get(String procname) { return table.get("net.ipv4." + procname).asString(); }

    private void set(String procname, String value) { table.set("net.ipv4." + procname, value); }

    @Test
    void linuxDefaultsForWhatIsBuiltAndTheTruthForWhatIsNot() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("tcp_syn_retries", "6");
        expected.put("tcp_synack_retries", "5");
        expected.put("tcp_max_syn_backlog", "256");
        expected.put("tcp_abort_on_overflow", "0");
        expected.put("tcp_fin_timeout", "60");
        expected.put("tcp_keepalive_time", "7200");
        expected.put("tcp_keepalive_intvl", "75");
        expected.put("tcp_keepalive_probes", "9");
        expected.put("tcp_retries2", "15");
        expected.put("tcp_orphan_retries", "0");
        expected.put("tcp_rmem", "4096\t131072\t6291456");
        expected.put("tcp_mem", "49152\t65536\t98304");
        expected.put("tcp_wmem", "4096\t16384\t4194304");
        expected.put("tcp_adv_win_scale", "1");
        expected.put("tcp_moderate_rcvbuf", "1");
        expected.put("tcp_slow_start_after_idle", "1");
        expected.put("tcp_min_snd_mss", "48");
        expected.put("tcp_reordering", "3");
        expected.put("tcp_invalid_ratelimit", "500");
        expected.put("tcp_challenge_ack_limit", "2147483647");
        expected.put("tcp_syncookies", "1");
        expected.put("tcp_max_tw_buckets", "16384");
        expected.put("tcp_max_orphans", "16384");
        expected.put("tcp_ecn", "2");
        expected.put("tcp_ecn_fallback", "1");
        expected.put("tcp_sack", "1");
        expected.put("tcp_dsack", "1");
        expected.put("tcp_recovery", "1");
        expected.put("tcp_early_retrans", "3");
        expected.put("tcp_timestamps", "1");
        expected.put("tcp_window_scaling", "1");
        expected.put("tcp_frto", "2");
        expected.put("tcp_notsent_lowat", "4294967295");
        expected.put("tcp_congestion_control", "reno");
        expected.put("tcp_available_congestion_control", "i4j_test reno");
        NOT_BUILT.forEach((name, value) -> expected.put(name, value));
        expected.forEach((name, value) -> assertThat(get(name)).as(name).isEqualTo(value));
        assertThat(table.all()).extracting(Sysctl::name)
                .containsExactlyInAnyOrderElementsOf(expected.keySet().stream().map(n -> "net.ipv4." + n).toList());
    }

    /** proc_douintvec: the whole unsigned range, shown unsigned; nothing negative, nothing past UINT_MAX. */
    @Test
    void tcpNotsentLowatIsAnUnsignedInt() {
        set("tcp_notsent_lowat", "3000000000");
        assertThat(get("tcp_notsent_lowat")).isEqualTo("3000000000");
        assertThat(tcp.notsentLowat.get()).isEqualTo((int) 3_000_000_000L);
        assertThatThrownBy(() -> set("tcp_notsent_lowat", "-1")).isInstanceOf(SysctlException.class);
        assertThatThrownBy(() -> set("tcp_notsent_lowat", "4294967296")).isInstanceOf(SysctlException.class);
        assertThat(get("tcp_notsent_lowat")).isEqualTo("3000000000");
    }

    /** Features not built, with the only value each accepts. */
    private static final Map<String, String> NOT_BUILT = new LinkedHashMap<>();

    static {
        for (String zero : List.of(
                "tcp_syn_linear_timeouts", "tcp_tw_reuse", "tcp_rfc1337",
                "tcp_mtu_probing",
                "tcp_retrans_collapse", "tcp_autocorking")) {
            NOT_BUILT.put(zero, "0");
        }
        NOT_BUILT.put("tcp_no_metrics_save", "1");
    }

    @Test
    void featuresNotBuiltRefuseAnyPromiseAndSayWhy() {
        NOT_BUILT.forEach((name, value) -> {
            set(name, value);
            String other = value.equals("0") ? "1" : "0";
            assertThatThrownBy(() -> set(name, other)).as(name)
                    .isInstanceOfSatisfying(SysctlException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                    .hasMessageStartingWith("net.ipv4." + name + ": ")
                    .hasMessageContaining("not built yet")
                    .hasMessageEndingWith("; only " + value + " is accepted");
            assertThat(get(name)).isEqualTo(value);
        });
        assertThatThrownBy(() -> set("tcp_rfc1337", "1")).hasMessage(
                "net.ipv4.tcp_rfc1337: RFC 1337 TIME_WAIT assassination protection is not built yet; only 0 is accepted");
        assertThatThrownBy(() -> set("tcp_mtu_probing", "1"))
                .hasMessage("net.ipv4.tcp_mtu_probing: MTU probing is not built yet; only 0 is accepted");
    }

    @Test
    void knobsForAbsentMachineryAreNotRegistered() {
        for (String gone : List.of("tcp_retries1", "tcp_rto_min_us", "tcp_rto_max_ms", "tcp_app_win",
                "tcp_base_mss", "tcp_min_rtt_wlen", "tcp_max_reordering", "tcp_tso_win_divisor",
                "tcp_limit_output_bytes")) {
            assertThatThrownBy(() -> table.get("net.ipv4." + gone)).as(gone)
                    .hasMessage("unknown sysctl net.ipv4." + gone);
        }
    }

    @Test
    void typedFieldsSeeWritesByName() {
        set("tcp_syn_retries", " 3 ");
        assertThat(tcp.synRetries.get()).isEqualTo(3);
        set("tcp_rmem", "8192 65536 1048576");
        assertThat(tcp.rmem.get(2)).isEqualTo(1048576);
        set("tcp_congestion_control", "i4j_test");
        assertThat(tcp.congestionControl.get()).isEqualTo("i4j_test");
    }

    @Test
    void cubicIsTheDefaultWhenRegisteredAsInLinux() {
        Sysctls t = new Sysctls();
        new TcpSysctls(t, new TreeSet<>(Set.of("reno", "cubic")));
        assertThat(t.get("net.ipv4.tcp_congestion_control").asString()).isEqualTo("cubic");
        assertThat(t.get("net.ipv4.tcp_available_congestion_control").asString()).isEqualTo("cubic reno");
    }

    @Test
    void anUnknownCongestionControlIsRefusedByName() {
        assertThatThrownBy(() -> set("tcp_congestion_control", "cubic"))
                .isInstanceOfSatisfying(SysctlException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                .hasMessage("net.ipv4.tcp_congestion_control: no congestion control named 'cubic'; available: i4j_test reno");
        assertThatThrownBy(() -> set("tcp_available_congestion_control", "reno"))
                .isInstanceOfSatisfying(SysctlException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EACCES))
                .hasMessage("net.ipv4.tcp_available_congestion_control: read-only");
    }

    @Test
    void smallMachinesHitTheFloors() {
        TcpSysctls small = new TcpSysctls(new Sysctls(), 1024, 1024, CONGS);
        assertThat(small.maxSynBacklog.get()).isEqualTo(128);
        assertThat(small.rmem.asString()).isEqualTo("4096\t131072\t131072");
        assertThat(small.wmem.asString()).isEqualTo("4096\t16384\t65536");
    }

    @Test
    void bigMachinesScale() {
        TcpSysctls big = new TcpSysctls(new Sysctls(), 1 << 20, 16L << 20, CONGS);
        assertThat(big.maxSynBacklog.get()).isEqualTo(8192);
        assertThat(big.rmem.get(2)).isEqualTo(6 << 20);
        assertThat(big.wmem.get(2)).isEqualTo(4 << 20);
    }

    @Test
    void outOfRangeValuesAreRefused() {
        String[][] bad = {
            {"tcp_syn_retries", "0"}, {"tcp_syn_retries", "128"},
            {"tcp_synack_retries", "256"}, {"tcp_synack_retries", "-1"},
            {"tcp_keepalive_probes", "256"}, {"tcp_retries2", "-1"},
            {"tcp_timestamps", "256"}, {"tcp_sack", "-1"}, {"tcp_sack", "256"}, {"tcp_dsack", "-1"},
            {"tcp_ecn", "3"}, {"tcp_ecn", "-1"}, {"tcp_ecn_fallback", "2"},
            {"tcp_adv_win_scale", "32"}, {"tcp_adv_win_scale", "-32"},
            {"tcp_min_snd_mss", "47"}, {"tcp_min_snd_mss", "65536"}, {"tcp_reordering", "0"},
            {"tcp_fin_timeout", "2147484"}, {"tcp_keepalive_time", "-2147484"},
            {"tcp_rmem", "0 87380 6291456"}, {"tcp_wmem", "4096 16384"}, {"tcp_wmem", "4096 16384 1 2"},
            {"tcp_rmem", "a b c"},
            {"tcp_syncookies", "one"},
            {"tcp_congestion_control", ""}, {"tcp_congestion_control", "cubic"},
            {"tcp_available_congestion_control", "reno"},
        };
        for (String[] nv : bad) {
            String before = get(nv[0]);
            assertThatThrownBy(() -> set(nv[0], nv[1])).as("%s = %s", nv[0], nv[1])
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(get(nv[0])).isEqualTo(before);
        }
    }

    @Test
    void edgesLinuxAccepts() {
        String[][] good = {
            {"tcp_syn_retries", "1"}, {"tcp_syn_retries", "127"}, {"tcp_synack_retries", "255"},
            {"tcp_adv_win_scale", "-31"}, {"tcp_min_snd_mss", "65535"}, {"tcp_fin_timeout", "2147483"},
            // proc_dointvec and proc_dointvec_jiffies take negative numbers; so does Linux.
            {"tcp_max_syn_backlog", "-5"}, {"tcp_keepalive_intvl", "-1"},
            {"tcp_rmem", "1 1 1"}, {"tcp_congestion_control", " reno "},
        };
        for (String[] nv : good) {
            assertThatCode(() -> set(nv[0], nv[1])).as("%s = %s", nv[0], nv[1]).doesNotThrowAnyException();
        }
    }
}
