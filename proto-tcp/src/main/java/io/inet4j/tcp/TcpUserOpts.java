package io.inet4j.tcp;

/**
 * The TCP socket options most sockets never set ({@code keepalive_time}, {@code keepalive_intvl},
 * {@code keepalive_probes}, {@code icsk_syn_retries}, {@code icsk_user_timeout}, {@code rskq_defer_accept},
 * {@code notsent_lowat}, {@code linger2}, {@code rx_opt.user_mss}: fields of Linux's {@code tcp_sock} and
 * {@code inet_connection_sock}). A socket shares {@link #DEFAULTS} until its first such setsockopt
 * ({@link TcpSock#ownOpts()}), so a million connections that keep the defaults carry one reference each instead of
 * nine ints. Owned by the stack's loop.
 */
final class TcpUserOpts implements Cloneable {
    /** Every option unset: what a socket reads until it sets one. Never written to. */
    static final TcpUserOpts DEFAULTS = new TcpUserOpts();

    /** TCP_KEEPIDLE in seconds ({@code keepalive_time}); 0 follows {@code tcp_keepalive_time}. */
    int keepaliveTime;
    /** TCP_KEEPINTVL in seconds; 0 follows {@code tcp_keepalive_intvl}. */
    int keepaliveIntvl;
    /** TCP_KEEPCNT; 0 follows {@code tcp_keepalive_probes}. */
    int keepaliveProbes;
    /** TCP_SYNCNT ({@code icsk_syn_retries}); 0 follows {@code tcp_syn_retries}. */
    int synRetries;
    /** TCP_USER_TIMEOUT in milliseconds ({@code icsk_user_timeout}); 0: the retry limits alone decide. */
    int userTimeout;
    /** TCP_DEFER_ACCEPT as SYN-ACK retransmissions ({@code icsk_accept_queue.rskq_defer_accept}); 0: off. */
    int deferAccept;
    /** TCP_NOTSENT_LOWAT's unsigned bytes ({@code notsent_lowat}); 0 follows {@code tcp_notsent_lowat}. */
    int notsentLowat;
    /** TCP_LINGER2 in seconds ({@code linger2}): 0 follows {@code tcp_fin_timeout}; -1 ends an orphan in FIN_WAIT2 at once. */
    int linger2;
    /** TCP_MAXSEG ({@code rx_opt.user_mss}); 0 when unset. */
    int userMss;

    /**
     * What a child of a listener with these options takes over (inet_csk_clone_lock copies the {@code tcp_sock}):
     * all but TCP_DEFER_ACCEPT, which belongs to the listener's accept queue. The shared defaults when that leaves
     * nothing set.
     */
    TcpUserOpts forChild() {
        if (keepaliveTime == 0 && keepaliveIntvl == 0 && keepaliveProbes == 0 && synRetries == 0 && userTimeout == 0
                && notsentLowat == 0 && linger2 == 0 && userMss == 0) {
            return DEFAULTS;
        }
        TcpUserOpts c = copy();
        c.deferAccept = 0;
        return c;
    }

    /** A socket's own copy, to set options in. */
    TcpUserOpts copy() {
        try {
            return (TcpUserOpts) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e); // Cloneable
        }
    }
}
