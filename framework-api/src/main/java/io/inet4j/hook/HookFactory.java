package io.inet4j.hook;

import java.util.Map;

/**
 * Makes hooks from a configuration line ({@link HookSpec}): the service an {@link InetHook}-annotated class
 * provides, found with {@link java.util.ServiceLoader}. The analog of loading a BPF object with its maps filled in
 * before {@code bpftool cgroup attach}.
 */
public interface HookFactory {
    /**
     * A hook for {@code type} configured by {@code args} (the spec's {@code key=value} words). The hook's context
     * must be {@code type}'s; IllegalArgumentException for a type this factory does not serve or bad arguments.
     */
    Hook<?> create(AttachType<?> type, Map<String, String> args);
}
