package io.inet4j.mib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One group of SNMP/netstat counters (a row of {@code /proc/net/snmp} or {@code /proc/net/netstat}), indexed by
 * an enum whose constants carry the Linux names ({@code InHdrErrors}, {@code OutRsts}, ...).
 *
 * <p>The loop is the only writer, so an increment is a plain read and an opaque write: no atomics on the hot
 * path, yet other threads (tests, {@code nstat}) read values that are never torn.
 */
public final class MibCounters<E extends Enum<E>> {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final String group;
    private final E[] keys;
    private final long[] values;

    public MibCounters(String group, Class<E> type) {
        this.group = group;
        this.keys = type.getEnumConstants();
        this.values = new long[keys.length];
    }

    /** The group name as Linux prints it: {@code Ip}, {@code Icmp}, {@code Tcp}, {@code TcpExt}, ... */
    public String group() { return group; }

    public void inc(E key) { add(key, 1); }

    public void dec(E key) { add(key, -1); }

    public void add(E key, long delta) {
        int i = key.ordinal();
        SLOT.setOpaque(values, i, (long) SLOT.getOpaque(values, i) + delta);
    }

    public long get(E key) { return (long) SLOT.getOpaque(values, key.ordinal()); }

    /** Name to value, in declaration order, as {@code nstat -a} would list them. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (E k : keys) m.put(group + k.name(), get(k));
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(group).append(':');
        for (E k : keys) {
            long v = get(k);
            if (v != 0) sb.append(' ').append(k.name()).append('=').append(v);
        }
        return sb.toString();
    }
}
