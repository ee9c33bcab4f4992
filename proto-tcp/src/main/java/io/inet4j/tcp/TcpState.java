package io.inet4j.tcp;

/**
 * TCP socket states with Linux's numbers ({@code include/net/tcp_states.h}), so {@code sk_state} values,
 * {@code /proc/net/tcp} and {@code inet_diag} dumps read the same as the kernel's. Plain ints, not an enum: the
 * hot path compares and masks them ({@link #flag}, the {@code TCPF_*} bits).
 */
public final class TcpState {
    public static final int ESTABLISHED = 1;
    public static final int SYN_SENT = 2;
    public static final int SYN_RECV = 3;
    public static final int FIN_WAIT1 = 4;
    public static final int FIN_WAIT2 = 5;
    public static final int TIME_WAIT = 6;
    public static final int CLOSE = 7;
    public static final int CLOSE_WAIT = 8;
    public static final int LAST_ACK = 9;
    public static final int LISTEN = 10;
    /** Both sides closed at once. */
    public static final int CLOSING = 11;
    /** A request sock: a SYN answered from the listener, not yet a full socket. */
    public static final int NEW_SYN_RECV = 12;
    public static final int MAX_STATES = 13;

    private static final String[] NAMES = {
        "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
        "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    };
    /** As iproute2's {@code ss} prints them; a request sock shows as SYN-RECV, as inet_diag reports it. */
    private static final String[] SS_NAMES = {
        "UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN",
        "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "SYN-RECV",
    };

    private TcpState() {}

    /** The {@code TCPF_*} bit of {@code state}, for set tests like {@code (flag(s) & (flag(A) | flag(B))) != 0}. */
    public static int flag(int state) { return 1 << state; }

    /** The kernel's name without the {@code TCP_} prefix ({@code "FIN_WAIT1"}); {@code "UNKNOWN"} when out of range. */
    public static String name(int state) { return valid(state) ? NAMES[state] : NAMES[0]; }

    /** The name {@code ss} shows ({@code "ESTAB"}, {@code "FIN-WAIT-1"}, {@code "UNCONN"}). */
    public static String ssName(int state) { return valid(state) ? SS_NAMES[state] : SS_NAMES[0]; }

    private static boolean valid(int state) { return state >= ESTABLISHED && state < MAX_STATES; }
}
