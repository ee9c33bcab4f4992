package io.inet4j.sysctl;

import java.util.function.Predicate;

/** A sysctl holding a word, like {@code net.ipv4.tcp_congestion_control}. */
public final class StringSysctl extends Sysctl {
    private final Predicate<String> valid;
    private volatile String value;

    public StringSysctl(String name, String defaultValue, Predicate<String> valid) {
        super(name);
        this.valid = valid;
        set(defaultValue);
    }

    public String get() { return value; }

    @Override public String asString() { return value; }

    @Override
    public void set(String v) {
        String s = v.trim();
        if (!valid.test(s)) throw new IllegalArgumentException(name() + ": invalid value: " + v);
        value = s;
    }
}
