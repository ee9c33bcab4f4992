package io.inet4j.ipv4.route;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Learned path MTUs per destination: the {@code fib_nh_exception} entries {@code __ip_rt_update_pmtu} creates
 * when an ICMP "fragmentation needed" says a smaller MTU lies on the way, each expiring after
 * {@code net.ipv4.route.mtu_expires}. Bounded like Linux's exception table: beyond {@link #MAX_ENTRIES} the
 * oldest goes. Touched on ICMP errors and route lookups for new connections, not per packet.
 */
public final class PmtuExceptions {
    /** Linux's exception hash holds 2048 buckets of up to 5 entries; one bound for the whole table here. */
    static final int MAX_ENTRIES = 2048;

    private record Learned(int pmtu, long expiresNanos) {}

    private final Map<Integer, Learned> byDaddr = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Learned> eldest) { return size() > MAX_ENTRIES; }
    };

    /** The learned path MTU towards {@code daddr}, or 0 when none is known or it has expired. */
    public synchronized int pmtu(int daddr, long nowNanos) {
        Learned e = byDaddr.get(daddr);
        if (e == null) return 0;
        if (nowNanos - e.expiresNanos >= 0) {
            byDaddr.remove(daddr);
            return 0;
        }
        return e.pmtu;
    }

    /** update_or_create_fnhe: records {@code pmtu} towards {@code daddr} until {@code expiresNanos}. */
    public synchronized void update(int daddr, int pmtu, long expiresNanos) {
        byDaddr.remove(daddr);
        byDaddr.put(daddr, new Learned(pmtu, expiresNanos));
    }

    /** How many destinations have a learned path MTU (expired ones included until next looked up). */
    public synchronized int size() { return byDaddr.size(); }
}
