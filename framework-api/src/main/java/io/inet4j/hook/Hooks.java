package io.inet4j.hook;

/**
 * Which hook points of a stack have something attached: the analog of the static keys behind
 * {@code cgroup_bpf_enabled(type)}. Call sites test {@link #enabled} (one field read) before doing any hook
 * work, so a stack with no hooks pays nothing. Attaching programs is the hook layer's business; this is only
 * the switchboard it flips.
 */
public final class Hooks {
    private volatile int enabledMask;

    public boolean enabled(HookPoint point) { return (enabledMask & (1 << point.ordinal())) != 0; }

    /** Marks {@code point} as having (or no longer having) attached hooks. */
    public void setEnabled(HookPoint point, boolean on) {
        synchronized (this) {
            int bit = 1 << point.ordinal();
            enabledMask = on ? enabledMask | bit : enabledMask & ~bit;
        }
    }
}
