package io.inet4j.socket;

/** Socket option levels and names with Linux numbers ({@code asm-generic/socket.h}, {@code linux/tcp.h}, {@code linux/in.h}). */
public final class SockOpt {
    public static final int SOL_SOCKET = 1;
    public static final int SOL_IP = 0;
    public static final int SOL_TCP = 6;

    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    /** Leave TCP urgent data in the normal stream instead of taking it out for MSG_OOB. */
    public static final int SO_OOBINLINE = 10;
    /** Value: linger seconds, or -1 for "off" (l_onoff = 0). */
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    /** Value in milliseconds; 0 means wait forever. */
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDTIMEO = 21;
    /** Microseconds a blocking receive busy-waits for data before it sleeps ({@code sk_ll_usec}); 0: off. */
    public static final int SO_BUSY_POLL = 46;

    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;

    public static final int TCP_NODELAY = 1;
    public static final int TCP_MAXSEG = 2;
    /** Hold partial segments until uncorked, or until the persist timer sends them (Linux's 200 ms ceiling). */
    public static final int TCP_CORK = 3;
    /** Seconds of idleness before the first keepalive probe (1..32767); overrides {@code tcp_keepalive_time}. */
    public static final int TCP_KEEPIDLE = 4;
    /** Seconds between keepalive probes (1..32767); overrides {@code tcp_keepalive_intvl}. */
    public static final int TCP_KEEPINTVL = 5;
    /** Unanswered keepalive probes before the connection is dropped (1..127); overrides {@code tcp_keepalive_probes}. */
    public static final int TCP_KEEPCNT = 6;
    /** SYN retransmissions before connect gives up (1..127); overrides {@code tcp_syn_retries}. */
    public static final int TCP_SYNCNT = 7;
    /** Seconds an orphan waits in FIN_WAIT2 (at most 120; 0: {@code tcp_fin_timeout}; below 0: reset at close). */
    public static final int TCP_LINGER2 = 8;
    /**
     * Seconds a listener waits for data after the handshake before it queues the connection; stored as a count of
     * SYN-ACK retransmissions ({@code secs_to_retrans}), so it reads back rounded up to a backoff boundary.
     */
    public static final int TCP_DEFER_ACCEPT = 9;
    /** 1: leave interactive (pingpong) mode and send an owed ACK now; 0: enter it. Not sticky. */
    public static final int TCP_QUICKACK = 12;
    /** Milliseconds unacknowledged data or unanswered probes may wait before the connection is dropped; 0: off. */
    public static final int TCP_USER_TIMEOUT = 18;
    /**
     * Unsent bytes ({@code write_seq - snd_nxt}) below which the socket counts as writable; 0 follows
     * {@code tcp_notsent_lowat}. Unsigned, as Linux's {@code u32}: a negative value reads as above 2^31.
     */
    public static final int TCP_NOTSENT_LOWAT = 25;
    /** Value: {@link TcpInfo}'s bytes ({@code struct tcp_info}), read through the {@code byte[]} socket-option path. */
    public static final int TCP_INFO = 11;
    /** Value: the algorithm's name as bytes (a char buffer in Linux), through the {@code byte[]} socket-option path. */
    public static final int TCP_CONGESTION = 13;

    private SockOpt() {}
}
