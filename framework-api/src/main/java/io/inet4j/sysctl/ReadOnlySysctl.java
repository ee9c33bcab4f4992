package io.inet4j.sysctl;

import io.inet4j.socket.Errno;
import java.util.function.Supplier;

/**
 * A sysctl that reports and cannot be written, like Linux's mode-0444 entries
 * ({@code net.ipv4.tcp_available_congestion_control}). Linux answers a write with EACCES; here, as for every
 * refused write, it is an IllegalArgumentException.
 */
public final class ReadOnlySysctl extends Sysctl {
    private final Supplier<String> value;

    public ReadOnlySysctl(String name, Supplier<String> value) {
        super(name);
        this.value = value;
    }

    @Override public String asString() { return value.get(); }

    @Override
    public void set(String v) { throw new SysctlException(Errno.EACCES, name() + ": read-only"); }
}
