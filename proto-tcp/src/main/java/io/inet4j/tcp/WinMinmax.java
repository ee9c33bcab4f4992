package io.inet4j.tcp;

/**
 * Kathleen Nichols' windowed running minimum, Linux's {@code lib/win_minmax.c} ({@code minmax_running_min}):
 * the smallest value seen within the last {@code win} of time, kept as the best, second and third best samples
 * of the window's sub-windows, so an old minimum ages out without a history. TCP's {@code rtt_min}
 * ({@code tcp_min_rtt}). Values are unsigned 32-bit, times nanoseconds; nothing allocates.
 */
final class WinMinmax {
    // Three samples as fields, not arrays: every TCP socket has one, and two arrays would cost it 80 bytes more.
    private long t0, t1, t2;
    private int v0, v1, v2;

    /** minmax_reset: every sample is {@code meas} at {@code now}. */
    int reset(long now, int meas) {
        t0 = t1 = t2 = now;
        v0 = v1 = v2 = meas;
        return meas;
    }

    /** minmax_get. */
    int get() { return v0; }

    /** minmax_running_min: takes {@code meas} at {@code now} and returns the minimum over the last {@code win}. */
    int runningMin(long win, long now, int meas) {
        if (Integer.compareUnsigned(meas, v0) <= 0 || now - t2 > win) return reset(now, meas);
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
    private int subwinUpdate(long win, long now, int meas) {
        long dt = now - t0;
        if (dt > win) {
            shift(now, meas);
            if (now - t0 > win) shift(now, meas);
        } else if (t1 == t0 && dt > win / 4) {
            t2 = t1 = now;
            v2 = v1 = meas;
        } else if (t2 == t1 && dt > win / 2) {
            t2 = now;
            v2 = meas;
        }
        return v0;
    }

    private void shift(long now, int meas) {
        t0 = t1;
        v0 = v1;
        t1 = t2;
        v1 = v2;
        t2 = now;
        v2 = meas;
    }
}
