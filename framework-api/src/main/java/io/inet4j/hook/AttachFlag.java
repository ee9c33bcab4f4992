package io.inet4j.hook;

/**
 * The cgroup-BPF attach flags ({@code BPF_F_ALLOW_OVERRIDE}, {@code BPF_F_ALLOW_MULTI} of
 * {@code include/uapi/linux/bpf.h}); attaching with neither is the kernel's NONE. As there:
 * <ul>
 * <li>NONE: one hook in this scope, and no hooks below it (attaching in a sub-scope fails with EPERM).</li>
 * <li>{@link #ALLOW_OVERRIDE}: one hook in this scope; a sub-scope's own hooks replace it for that sub-scope.</li>
 * <li>{@link #ALLOW_MULTI}: up to {@link Scope#MAX_HOOKS} hooks here, run in attach order, and sub-scopes' hooks run
 * in addition to them.</li>
 * </ul>
 * Attaching again to a NONE or ALLOW_OVERRIDE scope replaces its hook; the flags of one scope must stay the same
 * while it has hooks (EPERM), and both flags at once are EINVAL.
 */
public enum AttachFlag {
    ALLOW_OVERRIDE(1),
    ALLOW_MULTI(2);

    private final int bit;

    AttachFlag(int bit) { this.bit = bit; }

    /** The kernel's value ({@code BPF_F_ALLOW_OVERRIDE = 1}, {@code BPF_F_ALLOW_MULTI = 2}). */
    public int bit() { return bit; }

    /** The flags as the kernel's bit mask. */
    public static int bits(AttachFlag... flags) {
        int b = 0;
        for (AttachFlag f : flags) b |= f.bit;
        return b;
    }
}
