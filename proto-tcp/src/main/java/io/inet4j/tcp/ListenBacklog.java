package io.inet4j.tcp;

/**
 * How {@code listen()}'s backlog becomes queue limits: {@code __sys_listen()} (net/socket.c),
 * {@code sk_acceptq_is_full()} (include/net/sock.h), the SYN-queue sizing of the old
 * {@code reqsk_queue_alloc()} (net/core/request_sock.c, Linux 2.6 to 4.3) and the last-quarter rule of
 * {@code tcp_conn_request()} (net/ipv4/tcp_input.c).
 *
 * <p>Since Linux 4.4 the SYN queue has no table of its own: a listener refuses new request socks when their count
 * exceeds {@code sk_max_ack_backlog}, the same test as {@link #acceptQueueFull}, and without syncookies it keeps
 * the last quarter of {@code tcp_max_syn_backlog} for peers it has talked to before
 * ({@link #synBacklogInLastQuarter}). {@link #synQueueLength} is the classic, power-of-two size, for a stack that
 * wants the older, stricter bound.
 */
public final class ListenBacklog {
    /** The classic SYN table never had fewer than 16 slots: max(n, 8) rounded up past n. */
    private static final int MIN_SYN_TABLE = 8;

    private ListenBacklog() {}

    /**
     * {@code __sys_listen()}: the accept-queue limit ({@code sk_max_ack_backlog}) for {@code listen(fd, backlog)}.
     * The comparison is unsigned, so a negative backlog means "as many as allowed": {@code somaxconn}.
     */
    public static int listenBacklog(int backlog, int somaxconn) {
        return Integer.compareUnsigned(backlog, somaxconn) > 0 ? somaxconn : backlog;
    }

    /**
     * {@code sk_acceptq_is_full()}: true when {@code queued} established children exceed {@code maxAckBacklog}.
     * Strictly greater, so {@code listen(fd, 0)} still queues one connection and {@code listen(fd, n)} n + 1.
     */
    public static boolean acceptQueueFull(int queued, int maxAckBacklog) {
        return queued > maxAckBacklog;
    }

    /**
     * The classic SYN-queue length: {@code roundup_pow_of_two(max(min(backlog', tcp_max_syn_backlog), 8) + 1)}
     * where backlog' is {@link #listenBacklog}; at least 16. The queue was full once it held that many request
     * socks ({@code reqsk_queue_is_full}). A long because {@code somaxconn} may be as large as 2^31 - 1; Linux
     * compares as u32, so a negative {@code tcp_max_syn_backlog} does not limit.
     */
    public static long synQueueLength(int backlog, int somaxconn, int maxSynBacklog) {
        long n = Integer.toUnsignedLong(listenBacklog(backlog, somaxconn));
        n = Math.min(n, Integer.toUnsignedLong(maxSynBacklog));
        n = Math.max(n, MIN_SYN_TABLE);
        // The smallest power of two above n, which is roundup_pow_of_two(n + 1).
        return Long.highestOneBit(n) << 1;
    }

    /**
     * {@code tcp_conn_request()} without syncookies: true once fewer than a quarter of {@code tcp_max_syn_backlog}
     * slots remain free, when Linux drops SYNs from peers it has no metrics for.
     */
    public static boolean synBacklogInLastQuarter(int queued, int maxSynBacklog) {
        return maxSynBacklog - queued < maxSynBacklog >> 2;
    }
}
