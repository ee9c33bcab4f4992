package io.inet4j.sysctl;

/** An integer sysctl with an allowed range ({@code proc_dointvec_minmax}). */
public final class IntSysctl extends Sysctl {
    private final int min;
    private final int max;
    private volatile int value;

    public IntSysctl(String name, int defaultValue, int min, int max) {
        super(name);
        this.min = min;
        this.max = max;
        set(defaultValue);
    }

    public int get() { return value; }

    public void set(int v) {
        if (v < min || v > max) throw new IllegalArgumentException(name() + ": " + v + " outside [" + min + ", " + max + "]");
        value = v;
    }

    @Override public String asString() { return Integer.toString(value); }

    @Override
    public void set(String v) {
        try {
            set(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name() + ": not an integer: " + v);
        }
    }
}
