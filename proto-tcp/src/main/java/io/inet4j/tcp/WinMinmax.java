package io.inet4j.tcp;

/**
 * Kathleen Nichols' windowed running minimum, Linux's {@code lib/win_minmax.c} ({@code minmax_running_min}):
 * the smallest value seen within the last {@code win} of time, kept as the best, second and third best samples
 * of the window's sub-windows, so an old minimum ages out without a history. TCP's {@code rtt_min}
 * ({@code tcp_min_rtt}). Values are unsigned 32-bit; times are given in nanoseconds and kept as Linux keeps them,
 * in u32 jiffies ({@code tcp_jiffies32}, milliseconds here), which wrap after 49 days as Linux's do; nothing
 * allocates.
 *
 * <p>The three samples live in the socket ({@link TcpSock#rttMinT0} ... {@link TcpSock#rttMinV2}), as Linux's
 * {@code struct minmax} lives inside {@code tcp_sock}: an object of its own would cost every connection 40 bytes
 * for 24 bytes of state. Hence the static methods.
 */
final class WinMinmax {
    private WinMinmax() {}

    /** minmax_reset: every sample is {@code meas} at {@code now}. */
    static int reset(TcpSock m, long now, int meas) { return reset(m, TcpSock.jiffies32(now), meas); }

    private static int reset(TcpSock m, int now, int meas) {
        m.rttMinT0 = m.rttMinT1 = m.rttMinT2 = now;
        m.rttMinV0 = m.rttMinV1 = m.rttMinV2 = meas;
        return meas;
    }

    /** Whether more than {@code win} jiffies passed from {@code from} to {@code to}, in u32 arithmetic as Linux has it. */
    private static boolean older(int to, int from, int win) { return Integer.compareUnsigned(to - from, win) > 0; }

    /** minmax_get. */
    static int get(TcpSock m) { return m.rttMinV0; }

    /** minmax_running_min: takes {@code meas} at {@code now} and returns the minimum over the last {@code win}. */
    static int runningMin(TcpSock m, long win, long now, int meas) {
        return runningMin(m, TcpSock.jiffies32(win), TcpSock.jiffies32(now), meas);
    }

    private static int runningMin(TcpSock m, int win, int now, int meas) {
        if (Integer.compareUnsigned(meas, m.rttMinV0) <= 0 || older(now, m.rttMinT2, win)) return reset(m, now, meas);
        if (Integer.compareUnsigned(meas, m.rttMinV1) <= 0) {
            m.rttMinT2 = m.rttMinT1 = now;
            m.rttMinV2 = m.rttMinV1 = meas;
        } else if (Integer.compareUnsigned(meas, m.rttMinV2) <= 0) {
            m.rttMinT2 = now;
            m.rttMinV2 = meas;
        }
        return subwinUpdate(m, win, now, meas);
    }

    /** minmax_subwin_update: the best sample ages out after {@code win}, the others after a quarter and a half. */
    private static int subwinUpdate(TcpSock m, int win, int now, int meas) {
        int dt = now - m.rttMinT0;
        if (older(now, m.rttMinT0, win)) {
            shift(m, now, meas);
            if (older(now, m.rttMinT0, win)) shift(m, now, meas);
        } else if (m.rttMinT1 == m.rttMinT0 && Integer.compareUnsigned(dt, win / 4) > 0) {
            m.rttMinT2 = m.rttMinT1 = now;
            m.rttMinV2 = m.rttMinV1 = meas;
        } else if (m.rttMinT2 == m.rttMinT1 && Integer.compareUnsigned(dt, win / 2) > 0) {
            m.rttMinT2 = now;
            m.rttMinV2 = meas;
        }
        return m.rttMinV0;
    }

    private static void shift(TcpSock m, int now, int meas) {
        m.rttMinT0 = m.rttMinT1;
        m.rttMinV0 = m.rttMinV1;
        m.rttMinT1 = m.rttMinT2;
        m.rttMinV1 = m.rttMinV2;
        m.rttMinT2 = now;
        m.rttMinV2 = meas;
    }
}
