package io.inet4j.tcp;

/**
 * Kathleen Nichols' windowed running minimum, Linux's {@code lib/win_minmax.c} ({@code minmax_running_min}):
 * the smallest value seen within the last {@code win} of time, kept as the best, second and third best samples
 * of the window's sub-windows, so an old minimum ages out without a history. TCP's {@code rtt_min}
 * ({@code tcp_min_rtt}). Values are unsigned 32-bit, times nanoseconds; nothing allocates.
 */
final class WinMinmax {
    private final long[] t = new long[3];
    private final int[] v = new int[3];

    /** minmax_reset: every sample is {@code meas} at {@code now}. */
    int reset(long now, int meas) {
        t[0] = t[1] = t[2] = now;
        v[0] = v[1] = v[2] = meas;
        return meas;
    }

    /** minmax_get. */
    int get() { return v[0]; }

    /** minmax_running_min: takes {@code meas} at {@code now} and returns the minimum over the last {@code win}. */
    int runningMin(long win, long now, int meas) {
        if (Integer.compareUnsigned(meas, v[0]) <= 0 || now - t[2] > win) return reset(now, meas);
        if (Integer.compareUnsigned(meas, v[1]) <= 0) {
            set(2, now, meas);
            set(1, now, meas);
        } else if (Integer.compareUnsigned(meas, v[2]) <= 0) {
            set(2, now, meas);
        }
        return subwinUpdate(win, now, meas);
    }

    /** minmax_subwin_update: the best sample ages out after {@code win}, the others after a quarter and a half. */
    private int subwinUpdate(long win, long now, int meas) {
        long dt = now - t[0];
        if (dt > win) {
            shift(now, meas);
            if (now - t[0] > win) shift(now, meas);
        } else if (t[1] == t[0] && dt > win / 4) {
            set(2, now, meas);
            set(1, now, meas);
        } else if (t[2] == t[1] && dt > win / 2) {
            set(2, now, meas);
        }
        return v[0];
    }

    private void shift(long now, int meas) {
        set(0, t[1], v[1]);
        set(1, t[2], v[2]);
        set(2, now, meas);
    }

    private void set(int i, long time, int value) {
        t[i] = time;
        v[i] = value;
    }
}
