package io.inet4j.ipv4.route;

import java.util.Arrays;
import java.util.List;

/**
 * The metrics a route carries for the transports that use it ({@code RTA_METRICS}, the {@code RTAX_*} values of
 * {@code struct dst_metrics}), as {@code ip route add ... congctl [lock] NAME} sets them. Only those the stack
 * honours are here: {@code RTAX_CC_ALGO}, the congestion control TCP connections over the route run
 * ({@code tcp_ca_dst_init}, {@code tcp_ca_openreq_child}), with its {@code RTAX_LOCK} bit, which forbids
 * TCP_CONGESTION to change it ({@code icsk_ca_dst_locked}).
 *
 * @param congctl the algorithm's name, or null for none (the sysctl default then applies)
 * @param congctlLocked {@code congctl lock NAME}: sockets on the route cannot switch away with TCP_CONGESTION
 */
public record RouteMetrics(String congctl, boolean congctlLocked) {
    /** A route without metrics. */
    public static final RouteMetrics NONE = new RouteMetrics(null, false);

    /** {@code TCP_CA_NAME_MAX}: names are at most 15 characters and a NUL. */
    private static final int TCP_CA_NAME_MAX = 16;

    public RouteMetrics {
        if (congctl != null && (congctl.isEmpty() || congctl.length() >= TCP_CA_NAME_MAX)) {
            throw new IllegalArgumentException("EINVAL: Unknown tcp congestion algorithm: '" + congctl + "'");
        }
        if (congctl == null && congctlLocked) throw new IllegalArgumentException("EINVAL: lock without congctl");
    }

    /** {@code congctl NAME}. */
    public static RouteMetrics congctl(String name) { return new RouteMetrics(name, false); }

    /** {@code congctl lock NAME}. */
    public static RouteMetrics congctlLocked(String name) { return new RouteMetrics(name, true); }

    /**
     * Parses the metric words of an {@code ip route} line, as iproute2 does: {@code congctl [lock] NAME}; empty
     * text is {@link #NONE}. IllegalArgumentException ("EINVAL") for anything else. Whether an algorithm of that
     * name exists is the FIB's question when the route is added ({@link Fib#add}).
     */
    public static RouteMetrics parse(String text) {
        List<String> words = Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        return parse(words);
    }

    /** {@link #parse(String)} of words already split. */
    public static RouteMetrics parse(List<String> words) {
        RouteMetrics m = NONE;
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).equals("congctl")) {
                throw new IllegalArgumentException("EINVAL: unknown route metric '" + words.get(i) + "'");
            }
            boolean lock = i + 1 < words.size() && words.get(i + 1).equals("lock");
            if (lock) i++;
            if (++i >= words.size()) throw new IllegalArgumentException("EINVAL: congctl needs an algorithm name");
            m = new RouteMetrics(words.get(i), lock);
        }
        return m;
    }

    /** As {@code ip route} prints them: {@code congctl [lock ]NAME}, or empty. */
    @Override
    public String toString() {
        if (congctl == null) return "";
        return congctlLocked ? "congctl lock " + congctl : "congctl " + congctl;
    }
}
