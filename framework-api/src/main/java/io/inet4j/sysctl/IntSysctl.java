package io.inet4j.sysctl;

import io.inet4j.socket.Errno;
import java.util.function.IntPredicate;

/**
 * An integer sysctl with an allowed range ({@code proc_dointvec_minmax}), optionally narrowed by a rule with its
 * own refusal message: {@link #fixed} is the one a feature that is not built uses, so the table never promises
 * what the code does not do.
 */
public final class IntSysctl extends Sysctl {
    private final int min;
    private final int max;
    private final IntPredicate accept;
    private final String refusal;
    private volatile int value;

    public IntSysctl(String name, int defaultValue, int min, int max) {
        this(name, defaultValue, min, max, v -> true, null);
    }

    /**
     * Within {@code [min, max]} and only values {@code accept} takes; a refused value fails with
     * {@code name: refusal}.
     */
    public IntSysctl(String name, int defaultValue, int min, int max, IntPredicate accept, String refusal) {
        super(name);
        this.min = min;
        this.max = max;
        this.accept = accept;
        this.refusal = refusal;
        set(defaultValue);
    }

    /**
     * A tunable whose only honest value is {@code value} because the feature behind it is not built; any other
     * value fails with {@code name: why; only value is accepted}.
     */
    public static IntSysctl fixed(String name, int value, String why) {
        return new IntSysctl(name, value, Integer.MIN_VALUE, Integer.MAX_VALUE, v -> v == value,
                why + "; only " + value + " is accepted");
    }

    public int get() { return value; }

    public void set(int v) {
        if (v < min || v > max) throw new SysctlException(Errno.EINVAL, name() + ": " + v + " outside [" + min + ", " + max + "]");
        if (!accept.test(v)) throw new SysctlException(Errno.EINVAL, name() + ": " + refusal);
        value = v;
    }

    @Override public String asString() { return Integer.toString(value); }

    @Override
    public void set(String v) {
        try {
            set(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new SysctlException(Errno.EINVAL, name() + ": not an integer: " + v);
        }
    }
}
