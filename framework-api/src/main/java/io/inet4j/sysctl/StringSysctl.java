package io.inet4j.sysctl;

import io.inet4j.socket.Errno;
import java.util.function.Function;
import java.util.function.Predicate;

/** A sysctl holding a word, like {@code net.ipv4.tcp_congestion_control}. */
public final class StringSysctl extends Sysctl {
    /** The reason a value is refused, or null when it is accepted. */
    private final Function<String, String> refusal;
    /** What a refused write answers. */
    private final Errno refusedWith;
    private volatile String value;

    public StringSysctl(String name, String defaultValue, Predicate<String> valid) {
        this(name, defaultValue, Errno.EINVAL, (Function<String, String>) s -> valid.test(s) ? null : "invalid value: " + s);
    }

    private StringSysctl(String name, String defaultValue, Errno refusedWith, Function<String, String> refusal) {
        super(name);
        this.refusal = refusal;
        this.refusedWith = refusedWith;
        set(defaultValue);
    }

    /**
     * A word {@code refusal} judges: it returns null to accept a (trimmed) value, or the reason to refuse it, shown
     * as {@code name: reason}.
     */
    public static StringSysctl checked(String name, String defaultValue, Function<String, String> refusal) {
        return new StringSysctl(name, defaultValue, Errno.EINVAL, refusal);
    }

    /** {@link #checked}, a refusal answering {@code refusedWith} (ENOENT for a name that names nothing). */
    public static StringSysctl checked(String name, String defaultValue, Errno refusedWith,
                                       Function<String, String> refusal) {
        return new StringSysctl(name, defaultValue, refusedWith, refusal);
    }

    public String get() { return value; }

    @Override public String asString() { return value; }

    @Override
    public void set(String v) {
        String s = v.trim();
        String why = refusal.apply(s);
        if (why != null) throw new SysctlException(refusedWith, name() + ": " + why);
        value = s;
    }
}
