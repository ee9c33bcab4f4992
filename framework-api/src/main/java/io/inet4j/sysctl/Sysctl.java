package io.inet4j.sysctl;

/**
 * One tunable of a stack, by its Linux name ({@code net.ipv4.tcp_syn_retries}). Values are read and written as
 * the text {@code sysctl} shows; typed subclasses give the hot path a plain field read.
 */
public abstract class Sysctl {
    private final String name;

    protected Sysctl(String name) { this.name = name; }

    public final String name() { return name; }

    /** The value as {@code sysctl -n} prints it. */
    public abstract String asString();

    /** Sets from text; IllegalArgumentException (EINVAL) when malformed or out of range. */
    public abstract void set(String value);

    @Override
    public String toString() { return name + " = " + asString(); }
}
