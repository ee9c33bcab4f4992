package io.inet4j.sysctl;

import io.inet4j.socket.Errno;

/**
 * An unsigned 32-bit sysctl ({@code proc_douintvec}): 0 to 4294967295, shown unsigned, a negative or larger value
 * refused with EINVAL. The bits live in an int; callers compare them with {@link Integer#compareUnsigned}.
 */
public final class UintSysctl extends Sysctl {
    private volatile int value;

    public UintSysctl(String name, int defaultBits) {
        super(name);
        value = defaultBits;
    }

    /** The value's 32 bits. */
    public int get() { return value; }

    @Override public String asString() { return Integer.toUnsignedString(value); }

    @Override
    public void set(String v) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new SysctlException(Errno.EINVAL, name() + ": not an integer: " + v);
        }
        if (n < 0 || n > 0xFFFF_FFFFL) throw new SysctlException(Errno.EINVAL, name() + ": " + v + " outside [0, 4294967295]");
        value = (int) n;
    }
}
