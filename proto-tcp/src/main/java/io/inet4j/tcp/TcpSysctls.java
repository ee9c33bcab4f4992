package io.inet4j.tcp;

import io.inet4j.socket.Errno;
import io.inet4j.sysctl.IntSysctl;
import io.inet4j.sysctl.IntVectorSysctl;
import io.inet4j.sysctl.ReadOnlySysctl;
import io.inet4j.sysctl.StringSysctl;
import io.inet4j.sysctl.Sysctls;
import io.inet4j.sysctl.UintSysctl;
import java.util.Arrays;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@code net.ipv4.tcp_*} tunables with Linux 6.x names, defaults ({@code tcp_sk_init()}, {@code tcp_init()})
 * and accepted ranges (the {@code proc_handler}s of net/ipv4/sysctl_net_ipv4.c). Where Linux accepts nonsense,
 * so does this table: a plain {@code proc_dointvec} takes any int, a {@code u8} entry without bounds any of
 * 0..255, and the seconds of {@code proc_dointvec_jiffies} anything that fits in jiffies at HZ=1000, negative
 * included.
 *
 * <p>The table is honest about what is built. A tunable the code reads is here with Linux's default. A feature
 * that is not built (RFC 1337 protection, MTU probing, ...) keeps its name but shows what the
 * code does, usually 0, and refuses any value that would promise the feature ({@link IntSysctl#fixed}). A knob
 * that only tunes something absent ({@code tcp_rto_min_us}, {@code tcp_app_win}, ...) is not
 * registered at all, so writing it fails as an unknown sysctl instead of being silently ignored.
 *
 * <p>A few defaults are computed from the machine in Linux: {@code tcp_max_syn_backlog} ({@code max(128,
 * ehash entries / 128)}), {@code tcp_mem} (from 1/16 of buffer memory) and the maxima of
 * {@code tcp_rmem}/{@code tcp_wmem} (1/128 of buffer memory, clamped to 6 MB and 4 MB). The short constructor computes them for a 4 GiB machine, the size behind the common
 * defaults, so a stack's behaviour does not depend on the JVM's heap; pass the real figures to the other
 * constructor.
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
    /** {@code proc_dointvec_jiffies} refuses seconds above INT_MAX / HZ; HZ = 1000 here. */
    private static final int JIFFIES_SECONDS_MAX = Integer.MAX_VALUE / 1000;
    private static final int PAGE_SIZE = 4096;

    public final IntSysctl synRetries;
    public final IntSysctl synackRetries;
    public final IntSysctl maxSynBacklog;
    public final IntSysctl abortOnOverflow;
    /** Seconds in FIN_WAIT2 for an orphaned socket. */
    public final IntSysctl finTimeout;
    public final IntSysctl keepaliveTime;
    public final IntSysctl keepaliveIntvl;
    public final IntSysctl keepaliveProbes;
    public final IntSysctl retries2;
    public final IntSysctl orphanRetries;
    /** min, default, max bytes of a socket's receive buffer. */
    public final IntVectorSysctl rmem;
    /** min, default, max bytes of a socket's send buffer. */
    public final IntVectorSysctl wmem;
    /** Pages of buffers all TCP sockets may hold: below [0] no pressure, above [1] pressure, above [2] no more. */
    public final IntVectorSysctl mem;
    /** How much of the receive buffer is window: {@code space - space >> n}, or {@code space >> -n} when negative. */
    public final IntSysctl advWinScale;
    /** Receive-buffer auto-tuning on (1) or off (0): {@code rcvbuf} grows with what the application reads per RTT. */
    public final IntSysctl moderateRcvbuf;
    /** Restart from the initial window after an idle RTO ({@code tcp_cwnd_restart}) (1), or keep cwnd (0). */
    public final IntSysctl slowStartAfterIdle;
    /** The stack's default algorithm; one of {@code tcp_available_congestion_control}. */
    public final StringSysctl congestionControl;
    public final IntSysctl minSndMss;
    /** Duplicate ACKs that mean loss ({@code tp->reordering} starts here). */
    public final IntSysctl reordering;
    /** Milliseconds between two answers of one endpoint to invalid segments ({@code tcp_invalid_ratelimit}). */
    public final IntSysctl invalidRatelimit;
    /** TIME_WAIT entries the stack keeps at most ({@code tcp_max_tw_buckets}); a closing socket beyond them gets none. */
    public final IntSysctl maxTwBuckets;
    /** Orphaned sockets the stack keeps at most ({@code tcp_max_orphans}); past it a closing one is reset. */
    public final IntSysctl maxOrphans;
    /** SYN cookies: 0 never, 1 when a listener's SYN queue is full, 2 always ({@code tcp_syncookies}). */
    public final IntSysctl syncookies;
    /** Challenge ACKs per second for the whole stack; {@code INT_MAX} (Linux's default since 6.0) for no limit. */
    public final IntSysctl challengeAckLimit;
    /** ECN (RFC 3168): 0 never, 1 ask on outgoing connections and accept incoming ones, 2 only accept. */
    public final IntSysctl ecn;
    /** A retransmitted SYN drops its ECN request ({@code tcp_ecn_fallback}). */
    public final IntSysctl ecnFallback;
    /** SACK (RFC 2018) offered in our SYNs and accepted in the peer's ({@code tcp_sack}). */
    public final IntSysctl sack;
    /** Duplicate SACKs (RFC 2883) reported to a SACK peer ({@code tcp_dsack}). */
    public final IntSysctl dsack;
    /**
     * RACK-TLP loss detection bits ({@code tcp_recovery}): 0x1 RACK (RFC 8985) instead of RFC 6675's duplicate
     * threshold, 0x2 a static reordering window, 0x4 no duplicate-threshold shortcut to a zero window.
     */
    public final IntSysctl recovery;
    /** Tail loss probes ({@code tcp_early_retrans}): 3 and 4 send them, other values do not. */
    public final IntSysctl earlyRetrans;
    /**
     * RFC 7323 timestamps on our SYNs and accepted on the peer's: 0 off, 1 on with a random per-address-pair
     * offset ({@code secure_tcp_ts_off}), any other value on without the offset.
     */
    public final IntSysctl timestamps;
    /** RFC 7323 window scaling offered on our SYNs and accepted on the peer's. */
    public final IntSysctl windowScaling;
    /**
     * F-RTO (RFC 5682, the SACK-enhanced variant for SACK peers) after a retransmission timeout: any value but 0
     * turns it on ({@code tcp_frto}, {@link TcpFrto}).
     */
    public final IntSysctl frto;
    /** Unsent bytes below which a socket without TCP_NOTSENT_LOWAT counts as writable; UINT_MAX: no limit. */
    public final UintSysctl notsentLowat;

    /**
     * Registers every tunable in {@code table}, machine-dependent defaults computed for a 4 GiB machine;
     * {@code congestionControls} are the names registered in the stack ({@code tcp_cong_list}).
     */
    public TcpSysctls(Sysctls table, SortedSet<String> congestionControls) {
        this(table, DEFAULT_EHASH_ENTRIES, DEFAULT_BUFFER_PAGES, congestionControls);
    }

    /**
     * Registers every tunable in {@code table}, deriving the machine-dependent defaults from the established-hash
     * size and the pages available to socket buffers, as {@code tcp_set_hashinfo()} and {@code tcp_init()} do.
     */
    public TcpSysctls(Sysctls table, int ehashEntries, long bufferPages, SortedSet<String> congestionControls) {
        synRetries = table.register(ranged("tcp_syn_retries", 6, 1, MAX_TCP_SYNCNT));
        synackRetries = table.register(u8("tcp_synack_retries", 5));
        maxSynBacklog = table.register(anyInt("tcp_max_syn_backlog", Math.max(128, ehashEntries / 128)));
        abortOnOverflow = table.register(u8("tcp_abort_on_overflow", 0));
        finTimeout = table.register(seconds("tcp_fin_timeout", 60));
        keepaliveTime = table.register(seconds("tcp_keepalive_time", 7200));
        keepaliveIntvl = table.register(seconds("tcp_keepalive_intvl", 75));
        keepaliveProbes = table.register(u8("tcp_keepalive_probes", 9));
        retries2 = table.register(u8("tcp_retries2", 15));
        orphanRetries = table.register(u8("tcp_orphan_retries", 0));

        // tcp_init: a sixteenth of buffer memory is where pressure starts.
        int limit = (int) Math.max(bufferPages / 16, 128);
        mem = table.register(new IntVectorSysctl(name("tcp_mem"), new int[] {limit / 4 * 3, limit, limit / 4 * 3 * 2},
                v -> Arrays.stream(v).allMatch(x -> x >= 0), "three page counts, each at least 0"));
        long shareLimit = bufferPages * (PAGE_SIZE / 128);
        rmem = table.register(bufferSizes("tcp_rmem", PAGE_SIZE, 131072,
                (int) Math.max(131072, Math.min(6L << 20, shareLimit))));
        wmem = table.register(bufferSizes("tcp_wmem", PAGE_SIZE, 16384,
                (int) Math.max(64 << 10, Math.min(4L << 20, shareLimit))));
        advWinScale = table.register(ranged("tcp_adv_win_scale", 1, -31, 31));
        moderateRcvbuf = table.register(u8("tcp_moderate_rcvbuf", 1));
        slowStartAfterIdle = table.register(u8("tcp_slow_start_after_idle", 1));
        minSndMss = table.register(ranged("tcp_min_snd_mss", 48, 48, 65535));
        reordering = table.register(ranged("tcp_reordering", 3, 1, Integer.MAX_VALUE));
        invalidRatelimit = table.register(anyInt("tcp_invalid_ratelimit", 500));
        challengeAckLimit = table.register(anyInt("tcp_challenge_ack_limit", Integer.MAX_VALUE));
        syncookies = table.register(u8("tcp_syncookies", 1));
        // tcp_sk_init: half the established hash.
        maxTwBuckets = table.register(anyInt("tcp_max_tw_buckets", ehashEntries / 2));
        // tcp_init: half the established hash too.
        maxOrphans = table.register(anyInt("tcp_max_orphans", ehashEntries / 2));
        ecn = table.register(ranged("tcp_ecn", 2, 0, 2));
        ecnFallback = table.register(ranged("tcp_ecn_fallback", 1, 0, 1));
        sack = table.register(u8("tcp_sack", 1));
        dsack = table.register(u8("tcp_dsack", 1));
        recovery = table.register(anyInt("tcp_recovery", TcpRack.TCP_RACK_LOSS_DETECTION));
        earlyRetrans = table.register(ranged("tcp_early_retrans", 3, 0, 4));
        timestamps = table.register(u8("tcp_timestamps", 1));
        windowScaling = table.register(u8("tcp_window_scaling", 1));
        frto = table.register(anyInt("tcp_frto", 2));
        notsentLowat = table.register(new UintSysctl(name("tcp_notsent_lowat"), -1)); // UINT_MAX

        // Linux's default is CONFIG_DEFAULT_TCP_CONG, cubic, when it is registered, else reno; Linux answers an
        // unknown name with ENOENT.
        SortedSet<String> congs = new TreeSet<>(congestionControls);
        String defaultCong = congs.contains("cubic") ? "cubic" : "reno";
        congestionControl = table.register(StringSysctl.checked(name("tcp_congestion_control"), defaultCong, Errno.ENOENT,
                s -> congs.contains(s) ? null : "no congestion control named '" + s + "'; available: "
                        + String.join(" ", congs)));
        table.register(new ReadOnlySysctl(name("tcp_available_congestion_control"), () -> String.join(" ", congs)));

        notBuilt(table, "tcp_syn_linear_timeouts", 0, "linear SYN timeouts are not built yet");
        notBuilt(table, "tcp_tw_reuse", 0, "TIME_WAIT reuse is not built yet");
        notBuilt(table, "tcp_rfc1337", 0, "RFC 1337 TIME_WAIT assassination protection is not built yet");
        notBuilt(table, "tcp_mtu_probing", 0, "MTU probing is not built yet");
        notBuilt(table, "tcp_no_metrics_save", 1, "the TCP metrics cache is not built yet");
        notBuilt(table, "tcp_retrans_collapse", 0, "collapsing segments on retransmission is not built yet");
        notBuilt(table, "tcp_autocorking", 0, "autocorking is not built yet");
    }

    private static String name(String procname) { return "net.ipv4." + procname; }

    /** A feature that is not built: its name reads what the code does and refuses to promise more. */
    private static void notBuilt(Sysctls table, String procname, int value, String why) {
        table.register(IntSysctl.fixed(name(procname), value, why));
    }

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
