package io.inet4j.tcp;

/**
 * Kathleen Nichols' windowed running minimum, Linux's {@code lib/win_minmax.c} ({@code minmax_running_min}):
 * the smallest value seen within the last {@code win} of time, kept as the best, second and third best samples
 * of the window's sub-windows, so an old minimum ages out without a history. TCP's {@code rtt_min}
 * ({@code tcp_min_rtt}). Values are unsigned 32-bit; times are given in nanoseconds and kept as Linux keeps them,
 * in u32 jiffies ({@code tcp_jiffies32}, milliseconds here), which wrap after 49 days as Linux's do; nothing
 * allocates.
 */
final class WinMinmax {
    // Three samples as fields, not arrays: every TCP socket has one, and two arrays would cost it 80 bytes more;
    // u32 times, not longs, are 8 bytes less again.
    private int t0, t1, t2;
    private int v0, v1, v2;

    /** minmax_reset: every sample is {@code meas} at {@code now}. */
    int reset(long now, int meas) { return reset(jiffies(now), meas); }

    private int reset(int now, int meas) {
        t0 = t1 = t2 = now;
        v0 = v1 = v2 = meas;
        return meas;
    }

    /** {@code tcp_jiffies32}: the clock in milliseconds, modulo 2^32. */
    private static int jiffies(long nanos) { return (int) Math.floorDiv(nanos, 1_000_000L); }

    /** Whether more than {@code win} jiffies passed from {@code from} to {@code to}, in u32 arithmetic as Linux has it. */
    private static boolean older(int to, int from, int win) { return Integer.compareUnsigned(to - from, win) > 0; }

    /** minmax_get. */
    int get() { return v0; }

    /** minmax_running_min: takes {@code meas} at {@code now} and returns the minimum over the last {@code win}. */
    int runningMin(long win, long now, int meas) { return runningMin(jiffies(win), jiffies(now), meas); }

    private int runningMin(int win, int now, int meas) {
        if (Integer.compareUnsigned(meas, v0) <= 0 || older(now, t2, win)) return reset(now, meas);
        if (Integer.compareUnsigned(meas, v1) <= 0) {
            t2 = t1 = now;
            v2 = v1 = meas;
        } else if (Integer.compareUnsigned(meas, v2) <= 0) {
            t2 = now;
            v2 = meas;
        }
        return subwinUpdate(win, now, meas);
    }

    /** minmax_subwin_update: the best sample ages out after {@code win}, the others after a quarter and a half. */
    private int subwinUpdate(int win, int now, int meas) {
        int dt = now - t0;
        if (older(now, t0, win)) {
            shift(now, meas);
            if (older(now, t0, win)) shift(now, meas);
        } else if (t1 == t0 && Integer.compareUnsigned(dt, win / 4) > 0) {
            t2 = t1 = now;
            v2 = v1 = meas;
        } else if (t2 == t1 && Integer.compareUnsigned(dt, win / 2) > 0) {
            t2 = now;
            v2 = meas;
        }
        return v0;
    }

    private void shift(int now, int meas) {
        t0 = t1;
        v0 = v1;
        t1 = t2;
        v1 = v2;
        t2 = now;
        v2 = meas;
    }
}
