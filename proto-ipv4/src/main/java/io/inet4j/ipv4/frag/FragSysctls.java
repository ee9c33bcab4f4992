package io.inet4j.ipv4.frag;

import io.inet4j.sysctl.IntSysctl;
import io.inet4j.sysctl.Sysctls;

/**
 * The reassembly tunables ({@code net.ipv4.ipfrag_*}), Linux names and defaults. {@code ipfrag_max_dist} is
 * not registered because {@link IpDefrag} does not implement it. Linux bounds each threshold by the other; here
 * each is a plain non-negative int, and a low threshold above the high one just makes eviction stop later.
 */
public final class FragSysctls {
    /** Seconds a datagram may take to reassemble before its fragments are dropped. */
    public final IntSysctl ipfragTime;
    /** Bytes of fragments held above which the oldest queues are evicted. */
    public final IntSysctl ipfragHighThresh;
    /** Bytes of fragments eviction brings the total down to. */
    public final IntSysctl ipfragLowThresh;

    public FragSysctls(Sysctls table) {
        ipfragTime = table.register(new IntSysctl("net.ipv4.ipfrag_time", 30, 0, Integer.MAX_VALUE));
        ipfragHighThresh = table.register(new IntSysctl("net.ipv4.ipfrag_high_thresh", 4 * 1024 * 1024, 0, Integer.MAX_VALUE));
        ipfragLowThresh = table.register(new IntSysctl("net.ipv4.ipfrag_low_thresh", 3 * 1024 * 1024, 0, Integer.MAX_VALUE));
    }
}
