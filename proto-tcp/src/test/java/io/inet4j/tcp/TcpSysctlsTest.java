package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.inet4j.sysctl.Sysctl;
import io.inet4j.sysctl.Sysctls;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TcpSysctlsTest {
    private final Sysctls table = new Sysctls();
    private final TcpSysctls tcp = new TcpSysctls(table);

    private String get(String procname) { return table.get("net.ipv4." + procname).asString(); }

    private void set(String procname, String value) { table.set("net.ipv4." + procname, value); }

    @Test
    void linuxDefaults() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("tcp_syn_retries", "6");
        expected.put("tcp_synack_retries", "5");
        expected.put("tcp_syn_linear_timeouts", "4");
        expected.put("tcp_max_syn_backlog", "256");
        expected.put("tcp_syncookies", "1");
        expected.put("tcp_abort_on_overflow", "0");
        expected.put("tcp_fin_timeout", "60");
        expected.put("tcp_keepalive_time", "7200");
        expected.put("tcp_keepalive_intvl", "75");
        expected.put("tcp_keepalive_probes", "9");
        expected.put("tcp_retries1", "3");
        expected.put("tcp_retries2", "15");
        expected.put("tcp_orphan_retries", "0");
        expected.put("tcp_rto_min_us", "200000");
        expected.put("tcp_rto_max_ms", "120000");
        expected.put("tcp_rmem", "4096\t131072\t6291456");
        expected.put("tcp_wmem", "4096\t16384\t4194304");
        expected.put("tcp_mem", "49152\t65536\t98304");
        expected.put("tcp_moderate_rcvbuf", "1");
        expected.put("tcp_adv_win_scale", "1");
        expected.put("tcp_app_win", "31");
        expected.put("tcp_timestamps", "1");
        expected.put("tcp_sack", "1");
        expected.put("tcp_dsack", "1");
        expected.put("tcp_window_scaling", "1");
        expected.put("tcp_ecn", "2");
        expected.put("tcp_congestion_control", "cubic");
        expected.put("tcp_tw_reuse", "2");
        expected.put("tcp_max_tw_buckets", "16384");
        expected.put("tcp_rfc1337", "0");
        expected.put("tcp_base_mss", "1024");
        expected.put("tcp_min_snd_mss", "48");
        expected.put("tcp_mtu_probing", "0");
        expected.put("tcp_no_metrics_save", "0");
        expected.put("tcp_slow_start_after_idle", "1");
        expected.put("tcp_min_rtt_wlen", "300");
        expected.put("tcp_reordering", "3");
        expected.put("tcp_max_reordering", "300");
        expected.put("tcp_recovery", "1");
        expected.put("tcp_early_retrans", "3");
        expected.put("tcp_frto", "2");
        expected.put("tcp_retrans_collapse", "1");
        expected.put("tcp_autocorking", "1");
        expected.put("tcp_tso_win_divisor", "3");
        expected.put("tcp_limit_output_bytes", "1048576");
        expected.put("tcp_invalid_ratelimit", "500");
        expected.put("tcp_challenge_ack_limit", "2147483647");
        expected.forEach((name, value) -> assertThat(get(name)).as(name).isEqualTo(value));
        assertThat(table.all()).extracting(Sysctl::name)
                .containsExactlyInAnyOrderElementsOf(expected.keySet().stream().map(n -> "net.ipv4." + n).toList());
    }

    @Test
    void typedFieldsSeeWritesByName() {
        set("tcp_syn_retries", " 3 ");
        assertThat(tcp.synRetries.get()).isEqualTo(3);
        set("tcp_rmem", "8192 65536 1048576");
        assertThat(tcp.rmem.get(2)).isEqualTo(1048576);
        set("tcp_congestion_control", "reno");
        assertThat(tcp.congestionControl.get()).isEqualTo("reno");
    }

    @Test
    void smallMachinesHitTheFloors() {
        TcpSysctls small = new TcpSysctls(new Sysctls(), 1024, 1024);
        assertThat(small.maxSynBacklog.get()).isEqualTo(128);
        assertThat(small.maxTwBuckets.get()).isEqualTo(512);
        assertThat(small.mem.asString()).isEqualTo("96\t128\t192");
        assertThat(small.rmem.asString()).isEqualTo("4096\t131072\t131072");
        assertThat(small.wmem.asString()).isEqualTo("4096\t16384\t65536");
    }

    @Test
    void bigMachinesScale() {
        TcpSysctls big = new TcpSysctls(new Sysctls(), 1 << 20, 16L << 20);
        assertThat(big.maxSynBacklog.get()).isEqualTo(8192);
        assertThat(big.maxTwBuckets.get()).isEqualTo(1 << 19);
        assertThat(big.mem.asString()).isEqualTo("786432\t1048576\t1572864");
        assertThat(big.rmem.get(2)).isEqualTo(6 << 20);
        assertThat(big.wmem.get(2)).isEqualTo(4 << 20);
    }

    @Test
    void outOfRangeValuesAreRefused() {
        String[][] bad = {
            {"tcp_syn_retries", "0"}, {"tcp_syn_retries", "128"},
            {"tcp_syn_linear_timeouts", "128"},
            {"tcp_synack_retries", "256"}, {"tcp_synack_retries", "-1"},
            {"tcp_keepalive_probes", "256"}, {"tcp_retries1", "256"}, {"tcp_retries2", "-1"},
            {"tcp_timestamps", "256"}, {"tcp_sack", "-1"},
            {"tcp_ecn", "3"}, {"tcp_ecn", "-1"},
            {"tcp_tw_reuse", "3"},
            {"tcp_app_win", "32"}, {"tcp_adv_win_scale", "32"}, {"tcp_adv_win_scale", "-32"},
            {"tcp_min_snd_mss", "47"}, {"tcp_min_snd_mss", "65536"},
            {"tcp_min_rtt_wlen", "86401"}, {"tcp_min_rtt_wlen", "-1"},
            {"tcp_early_retrans", "5"}, {"tcp_autocorking", "2"},
            {"tcp_fin_timeout", "2147484"}, {"tcp_keepalive_time", "-2147484"},
            {"tcp_rto_min_us", "0"}, {"tcp_rto_max_ms", "999"}, {"tcp_rto_max_ms", "120001"},
            {"tcp_rmem", "0 87380 6291456"}, {"tcp_wmem", "4096 16384"}, {"tcp_wmem", "4096 16384 1 2"},
            {"tcp_rmem", "a b c"}, {"tcp_mem", "-1 2 3"},
            {"tcp_syncookies", "one"},
            {"tcp_congestion_control", ""}, {"tcp_congestion_control", "two words"},
            {"tcp_congestion_control", "sixteen_chars_xx"},
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
            {"tcp_adv_win_scale", "-31"}, {"tcp_app_win", "0"}, {"tcp_min_snd_mss", "65535"},
            {"tcp_min_rtt_wlen", "86400"}, {"tcp_fin_timeout", "2147483"},
            // proc_dointvec and proc_dointvec_jiffies take negative numbers; so does Linux.
            {"tcp_max_syn_backlog", "-5"}, {"tcp_keepalive_intvl", "-1"},
            {"tcp_rmem", "1 1 1"}, {"tcp_congestion_control", "fifteen_chars_x"},
        };
        for (String[] nv : good) {
            assertThatCode(() -> set(nv[0], nv[1])).as("%s = %s", nv[0], nv[1]).doesNotThrowAnyException();
        }
    }
}
