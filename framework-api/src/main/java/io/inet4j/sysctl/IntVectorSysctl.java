package io.inet4j.sysctl;

import io.inet4j.socket.Errno;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A sysctl holding a fixed number of integers separated by white space, like {@code net.ipv4.tcp_rmem}
 * ({@code 4096 131072 6291456}) or {@code net.ipv4.ip_local_port_range} ({@code 32768 60999}).
 */
public final class IntVectorSysctl extends Sysctl {
    private final int count;
    private final Predicate<int[]> valid;
    private final String rule;
    private volatile int[] values;

    /** {@code valid} says whether a new vector is acceptable; {@code rule} explains it in the error message. */
    public IntVectorSysctl(String name, int[] defaults, Predicate<int[]> valid, String rule) {
        super(name);
        this.count = defaults.length;
        this.valid = valid;
        this.rule = rule;
        set(defaults);
    }

    /** Element {@code i}; the vector is replaced whole, so two reads may see two different writes. */
    public int get(int i) { return values[i]; }

    /** A consistent copy of all elements. */
    public int[] values() { return values.clone(); }

    public void set(int[] v) {
        if (v.length != count || !valid.test(v)) {
            throw new SysctlException(Errno.EINVAL, name() + ": invalid " + Arrays.toString(v) + " (" + rule + ")");
        }
        values = v.clone();
    }

    @Override
    public String asString() {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            if (sb.length() > 0) sb.append('\t');
            sb.append(v);
        }
        return sb.toString();
    }

    @Override
    public void set(String v) {
        String[] parts = v.trim().split("\\s+");
        int[] parsed = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) parsed[i] = Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
            throw new SysctlException(Errno.EINVAL, name() + ": not integers: " + v);
        }
        set(parsed);
    }
}
