package io.inet4j.ipv4.icmp;

import io.inet4j.sysctl.IntSysctl;
import io.inet4j.sysctl.Sysctls;

/** The {@code net.ipv4.icmp_*} tunables, with Linux defaults. */
public final class IcmpSysctls {
    public final IntSysctl echoIgnoreAll;
    public final IntSysctl echoIgnoreBroadcasts;
    /** Minimum milliseconds between rate-limited messages to one host. */
    public final IntSysctl ratelimit;
    /** Which types are rate limited: bit n for type n (dest unreach, source quench, time exceeded, param problem). */
    public final IntSysctl ratemask;
    public final IntSysctl msgsPerSec;
    public final IntSysctl msgsBurst;

    public IcmpSysctls(Sysctls table) {
        echoIgnoreAll = table.register(new IntSysctl("net.ipv4.icmp_echo_ignore_all", 0, 0, 1));
        echoIgnoreBroadcasts = table.register(new IntSysctl("net.ipv4.icmp_echo_ignore_broadcasts", 1, 0, 1));
        ratelimit = table.register(new IntSysctl("net.ipv4.icmp_ratelimit", 1000, 0, Integer.MAX_VALUE));
        ratemask = table.register(new IntSysctl("net.ipv4.icmp_ratemask", 6168, 0, Integer.MAX_VALUE));
        msgsPerSec = table.register(new IntSysctl("net.ipv4.icmp_msgs_per_sec", 1000, 0, Integer.MAX_VALUE));
        msgsBurst = table.register(new IntSysctl("net.ipv4.icmp_msgs_burst", 50, 0, Integer.MAX_VALUE));
    }
}
