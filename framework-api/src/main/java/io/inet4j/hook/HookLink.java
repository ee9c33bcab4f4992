package io.inet4j.hook;

/**
 * One attachment of a hook ({@code struct bpf_link} of a cgroup attach): closing it detaches the hook and
 * recomputes the effective hooks of its scope and those below. Idempotent; a link whose hook was replaced by a
 * later attach (NONE / ALLOW_OVERRIDE scopes) is already detached.
 */
public interface HookLink extends AutoCloseable {
    /** Whether the hook is still attached. */
    boolean attached();

    /** Detaches the hook ({@code BPF_PROG_DETACH}); any thread. */
    @Override
    void close();
}
