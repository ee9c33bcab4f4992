package io.inet4j.tcp;

import io.inet4j.sysctl.IntSysctl;
import io.inet4j.sysctl.IntVectorSysctl;
import io.inet4j.sysctl.StringSysctl;
import io.inet4j.sysctl.Sysctls;
import java.util.Arrays;

/**
 * The {@code net.ipv4.tcp_*} tunables with Linux 6.x names, defaults ({@code tcp_sk_init()}, {@code tcp_init()})
 * and accepted ranges (the {@code proc_handler}s of net/ipv4/sysctl_net_ipv4.c). Where Linux accepts nonsense,
 * so does this table: a plain {@code proc_dointvec} takes any int, a {@code u8} entry without bounds any of
 * 0..255, and the seconds of {@code proc_dointvec_jiffies} anything that fits in jiffies at HZ=1000, negative
 * included.
 *
 * <p>A few defaults are computed from the machine in Linux: {@code tcp_max_syn_backlog} ({@code max(128,
 * ehash entries / 128)}), {@code tcp_max_tw_buckets} (ehash entries / 2), {@code tcp_mem} (from free buffer
 * pages: {@code limit = max(pages / 16, 128)}, then {@code 3/4 limit, limit, 3/2 limit}) and the maxima of
 * {@code tcp_rmem}/{@code tcp_wmem} (1/128 of buffer memory, clamped to 6 MB and 4 MB). The one-argument
 * constructor computes them for a 4 GiB machine, the size behind the common 256 / 16384 defaults, so a stack's
 * behaviour does not depend on the JVM's heap; pass the real figures to the other constructor.
 *
 * <p>{@code ip_local_port_range} and {@code ip_local_reserved_ports} are IPv4's, not TCP's, and live there.
 */
public final class TcpSysctls {
    /** TCP established-hash size Linux picks on a 4 GiB machine. */
    public static final int DEFAULT_EHASH_ENTRIES = 32768;
    /** 4 GiB of 4 KiB pages. */
    public static final long DEFAULT_BUFFER_PAGES = 1L << 20;

    /** {@code MAX_TCP_SYNCNT}. */
    private static final int MAX_TCP_SYNCNT = 127;
    /** {@code TCP_CA_NAME_MAX} counts the terminating NUL. */
    private static final int TCP_CA_NAME_MAX = 16;
    /** {@code proc_dointvec_jiffies} refuses seconds above INT_MAX / HZ; HZ = 1000 here. */
    private static final int JIFFIES_SECONDS_MAX = Integer.MAX_VALUE / 1000;
    private static final int PAGE_SIZE = 4096;

    public final IntSysctl synRetries;
    public final IntSysctl synackRetries;
    /** Retries of a SYN before timeouts turn exponential. */
    public final IntSysctl synLinearTimeouts;
    public final IntSysctl maxSynBacklog;
    public final IntSysctl syncookies;
    public final IntSysctl abortOnOverflow;
    /** Seconds in FIN_WAIT2 for an orphaned socket. */
    public final IntSysctl finTimeout;
    public final IntSysctl keepaliveTime;
    public final IntSysctl keepaliveIntvl;
    public final IntSysctl keepaliveProbes;
    public final IntSysctl retries1;
    public final IntSysctl retries2;
    public final IntSysctl orphanRetries;
    public final IntSysctl rtoMinUs;
    public final IntSysctl rtoMaxMs;
    /** min, default, max bytes of a socket's receive buffer. */
    public final IntVectorSysctl rmem;
    /** min, default, max bytes of a socket's send buffer. */
    public final IntVectorSysctl wmem;
    /** low, pressure, high: pages all TCP sockets may use. */
    public final IntVectorSysctl mem;
    public final IntSysctl moderateRcvbuf;
    public final IntSysctl advWinScale;
    public final IntSysctl appWin;
    public final IntSysctl timestamps;
    public final IntSysctl sack;
    public final IntSysctl dsack;
    public final IntSysctl windowScaling;
    public final IntSysctl ecn;
    public final StringSysctl congestionControl;
    public final IntSysctl twReuse;
    public final IntSysctl maxTwBuckets;
    public final IntSysctl rfc1337;
    public final IntSysctl baseMss;
    public final IntSysctl minSndMss;
    public final IntSysctl mtuProbing;
    public final IntSysctl noMetricsSave;
    public final IntSysctl slowStartAfterIdle;
    public final IntSysctl minRttWlen;
    public final IntSysctl reordering;
    public final IntSysctl maxReordering;
    public final IntSysctl recovery;
    public final IntSysctl earlyRetrans;
    public final IntSysctl frto;
    public final IntSysctl retransCollapse;
    public final IntSysctl autocorking;
    public final IntSysctl tsoWinDivisor;
    public final IntSysctl limitOutputBytes;
    /** Milliseconds between duplicate ACKs answering invalid segments. */
    public final IntSysctl invalidRatelimit;
    public final IntSysctl challengeAckLimit;

    /** Registers every tunable in {@code table}, machine-dependent defaults computed for a 4 GiB machine. */
    public TcpSysctls(Sysctls table) {
        this(table, DEFAULT_EHASH_ENTRIES, DEFAULT_BUFFER_PAGES);
    }

    /**
     * Registers every tunable in {@code table}, deriving the machine-dependent defaults from the established-hash
     * size and the pages available to socket buffers, as {@code tcp_set_hashinfo()} and {@code tcp_init()} do.
     */
    public TcpSysctls(Sysctls table, int ehashEntries, long bufferPages) {
        synRetries = table.register(ranged("tcp_syn_retries", 6, 1, MAX_TCP_SYNCNT));
        synackRetries = table.register(u8("tcp_synack_retries", 5));
        synLinearTimeouts = table.register(ranged("tcp_syn_linear_timeouts", 4, 0, MAX_TCP_SYNCNT));
        maxSynBacklog = table.register(anyInt("tcp_max_syn_backlog", Math.max(128, ehashEntries / 128)));
        syncookies = table.register(u8("tcp_syncookies", 1));
        abortOnOverflow = table.register(u8("tcp_abort_on_overflow", 0));
        finTimeout = table.register(seconds("tcp_fin_timeout", 60));
        keepaliveTime = table.register(seconds("tcp_keepalive_time", 7200));
        keepaliveIntvl = table.register(seconds("tcp_keepalive_intvl", 75));
        keepaliveProbes = table.register(u8("tcp_keepalive_probes", 9));
        retries1 = table.register(u8("tcp_retries1", 3));
        retries2 = table.register(u8("tcp_retries2", 15));
        orphanRetries = table.register(u8("tcp_orphan_retries", 0));
        rtoMinUs = table.register(ranged("tcp_rto_min_us", 200_000, 1, Integer.MAX_VALUE));
        rtoMaxMs = table.register(ranged("tcp_rto_max_ms", 120_000, 1000, 120_000));

        long shareLimit = bufferPages * (PAGE_SIZE / 128);
        rmem = table.register(bufferSizes("tcp_rmem", PAGE_SIZE, 131072,
                (int) Math.max(131072, Math.min(6L << 20, shareLimit))));
        wmem = table.register(bufferSizes("tcp_wmem", PAGE_SIZE, 16384,
                (int) Math.max(64 << 10, Math.min(4L << 20, shareLimit))));
        int limit = (int) Math.min(Integer.MAX_VALUE, Math.max(bufferPages / 16, 128));
        mem = table.register(new IntVectorSysctl(name("tcp_mem"), new int[] {limit / 4 * 3, limit, limit / 4 * 6},
                v -> Arrays.stream(v).allMatch(x -> x >= 0), "three page counts, none negative"));
        moderateRcvbuf = table.register(u8("tcp_moderate_rcvbuf", 1));
        advWinScale = table.register(ranged("tcp_adv_win_scale", 1, -31, 31));
        appWin = table.register(ranged("tcp_app_win", 31, 0, 31));

        timestamps = table.register(u8("tcp_timestamps", 1));
        sack = table.register(u8("tcp_sack", 1));
        dsack = table.register(u8("tcp_dsack", 1));
        windowScaling = table.register(u8("tcp_window_scaling", 1));
        ecn = table.register(ranged("tcp_ecn", 2, 0, 2));
        // Linux checks the name against the registered congestion controls; that list lives with the CC SPI.
        congestionControl = table.register(new StringSysctl(name("tcp_congestion_control"), "cubic",
                s -> !s.isEmpty() && s.length() < TCP_CA_NAME_MAX && s.chars().noneMatch(Character::isWhitespace)));

        twReuse = table.register(ranged("tcp_tw_reuse", 2, 0, 2));
        maxTwBuckets = table.register(anyInt("tcp_max_tw_buckets", ehashEntries / 2));
        rfc1337 = table.register(u8("tcp_rfc1337", 0));

        baseMss = table.register(anyInt("tcp_base_mss", 1024));
        minSndMss = table.register(ranged("tcp_min_snd_mss", 48, 48, 65535));
        mtuProbing = table.register(u8("tcp_mtu_probing", 0));
        noMetricsSave = table.register(u8("tcp_no_metrics_save", 0));
        slowStartAfterIdle = table.register(u8("tcp_slow_start_after_idle", 1));
        minRttWlen = table.register(ranged("tcp_min_rtt_wlen", 300, 0, 24 * 3600));

        reordering = table.register(anyInt("tcp_reordering", 3));
        maxReordering = table.register(anyInt("tcp_max_reordering", 300));
        recovery = table.register(u8("tcp_recovery", 1));
        earlyRetrans = table.register(ranged("tcp_early_retrans", 3, 0, 4));
        frto = table.register(u8("tcp_frto", 2));
        retransCollapse = table.register(u8("tcp_retrans_collapse", 1));

        autocorking = table.register(ranged("tcp_autocorking", 1, 0, 1));
        tsoWinDivisor = table.register(u8("tcp_tso_win_divisor", 3));
        limitOutputBytes = table.register(anyInt("tcp_limit_output_bytes", 16 * 65536));

        invalidRatelimit = table.register(anyInt("tcp_invalid_ratelimit", 500));
        challengeAckLimit = table.register(anyInt("tcp_challenge_ack_limit", Integer.MAX_VALUE));
    }

    private static String name(String procname) { return "net.ipv4." + procname; }

    /** {@code proc_dointvec_minmax}, or {@code proc_dou8vec_minmax} with explicit bounds. */
    private static IntSysctl ranged(String procname, int def, int min, int max) {
        return new IntSysctl(name(procname), def, min, max);
    }

    /** {@code proc_dointvec}: any int. */
    private static IntSysctl anyInt(String procname, int def) {
        return ranged(procname, def, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** {@code proc_dou8vec_minmax} without bounds: the byte's range. */
    private static IntSysctl u8(String procname, int def) {
        return ranged(procname, def, 0, 255);
    }

    /** {@code proc_dointvec_jiffies}: seconds that fit in an int of jiffies. */
    private static IntSysctl seconds(String procname, int def) {
        return ranged(procname, def, -JIFFIES_SECONDS_MAX, JIFFIES_SECONDS_MAX);
    }

    /** {@code tcp_rmem}/{@code tcp_wmem}: three sizes, each at least 1 ({@code extra1 = SYSCTL_ONE}). */
    private static IntVectorSysctl bufferSizes(String procname, int min, int def, int max) {
        return new IntVectorSysctl(name(procname), new int[] {min, def, max},
                v -> Arrays.stream(v).allMatch(x -> x >= 1), "three sizes, each at least 1");
    }
}
