package io.inet4j.ipv4.neigh;

import io.inet4j.sysctl.IntSysctl;
import io.inet4j.sysctl.Sysctls;

/**
 * The tunables of the ARP table, {@code net.ipv4.neigh.default.*}: Linux's {@code struct neigh_parms} plus the
 * table's garbage-collection thresholds, with Linux's names, units and defaults. One set per stack; Linux's
 * per-device overrides ({@code net.ipv4.neigh.eth0.*}) are not modelled.
 */
public final class NeighParms {
    public static final String PREFIX = "net.ipv4.neigh.default.";

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    /** Linux's locktime is in USER_HZ ticks. */
    private static final long USER_HZ_TICK = SECOND / 100;

    /** Mean time an entry stays REACHABLE after a confirmation; the actual time is drawn from [1/2, 3/2) of it. */
    public final IntSysctl baseReachableTimeMs;
    /** Interval between resolution requests and between probes. */
    public final IntSysctl retransTimeMs;
    /** Seconds a used STALE entry waits in DELAY for an upper-layer confirmation before probing. */
    public final IntSysctl delayFirstProbeTime;
    /** Seconds an unused entry may stay before the periodic collector removes it. */
    public final IntSysctl gcStaleTime;
    /** Broadcast requests sent while INCOMPLETE. */
    public final IntSysctl mcastSolicit;
    /** Unicast probes sent while PROBE. */
    public final IntSysctl ucastSolicit;
    /** Probes handed to a user-space resolver; inet4j has none, so these slots only add waiting time. */
    public final IntSysctl appSolicit;
    /** Bytes (buffer sizes, like skb truesize) queued per entry while it resolves; the oldest go first. */
    public final IntSysctl unresQlenBytes;
    /** Within this many 1/100 s of an update, a different address in a non-gratuitous ARP does not override. */
    public final IntSysctl locktime;
    /** Below this many entries the periodic collector removes nothing. */
    public final IntSysctl gcThresh1;
    /** Above this many entries a new entry forces a collection of entries older than 5 s. */
    public final IntSysctl gcThresh2;
    /** Hard cap on entries (permanent ones aside). */
    public final IntSysctl gcThresh3;
    /**
     * Seconds between runs of the periodic collector. Linux keeps this sysctl but runs its collector every
     * {@code base_reachable_time/2}; here it sets the period.
     */
    public final IntSysctl gcInterval;

    public NeighParms(Sysctls table) {
        baseReachableTimeMs = register(table, "base_reachable_time_ms", 30_000);
        retransTimeMs = register(table, "retrans_time_ms", 1000);
        delayFirstProbeTime = register(table, "delay_first_probe_time", 5);
        gcStaleTime = register(table, "gc_stale_time", 60);
        mcastSolicit = register(table, "mcast_solicit", 3);
        ucastSolicit = register(table, "ucast_solicit", 3);
        appSolicit = register(table, "app_solicit", 0);
        unresQlenBytes = register(table, "unres_qlen_bytes", 212_992);
        locktime = register(table, "locktime", 100);
        gcThresh1 = register(table, "gc_thresh1", 128);
        gcThresh2 = register(table, "gc_thresh2", 512);
        gcThresh3 = register(table, "gc_thresh3", 1024);
        gcInterval = table.register(new IntSysctl(PREFIX + "gc_interval", 30, 1, Integer.MAX_VALUE));
    }

    private static IntSysctl register(Sysctls table, String name, int defaultValue) {
        return table.register(new IntSysctl(PREFIX + name, defaultValue, 0, Integer.MAX_VALUE));
    }

    long retransNanos() { return retransTimeMs.get() * MS; }
    long delayProbeNanos() { return delayFirstProbeTime.get() * SECOND; }
    long gcStaleNanos() { return gcStaleTime.get() * SECOND; }
    long gcIntervalNanos() { return gcInterval.get() * SECOND; }
    long locktimeNanos() { return locktime.get() * USER_HZ_TICK; }
}
