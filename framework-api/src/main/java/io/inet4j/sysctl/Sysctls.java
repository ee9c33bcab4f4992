package io.inet4j.sysctl;

import io.inet4j.socket.Errno;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stack's sysctl table (one per stack, as one per network namespace in Linux). Protocol modules register the
 * tunables they own; tools and configuration set them by name.
 */
public final class Sysctls {
    private final Map<String, Sysctl> byName = Collections.synchronizedMap(new TreeMap<>());

    /** Adds {@code s}; a second tunable with the same name is a programming error. */
    public <S extends Sysctl> S register(S s) {
        if (byName.putIfAbsent(s.name(), s) != null) throw new IllegalStateException("duplicate sysctl " + s.name());
        return s;
    }

    /** The tunable called {@code name}; {@link SysctlException} (ENOENT) when there is none. */
    public Sysctl get(String name) {
        Sysctl s = byName.get(name);
        if (s == null) throw new SysctlException(Errno.ENOENT, "unknown sysctl " + name);
        return s;
    }

    /** {@code sysctl -w name=value}. */
    public void set(String name, String value) { get(name).set(value); }

    /** All tunables sorted by name ({@code sysctl -a}). */
    public Collection<Sysctl> all() {
        synchronized (byName) {
            return java.util.List.copyOf(byName.values());
        }
    }
}
