package io.inet4j.tcp;

/**
 * What the handshake negotiated and what the latest segments' options said ({@code struct tcp_options_received},
 * {@code tp->rx_opt} and the option bits of {@code struct inet_request_sock}). A listener's request sock fills one
 * from the SYN; the child it becomes takes it over. Owned by the stack's loop.
 */
final class TcpRxOpt {
    /** Both sides sent timestamps in the handshake: every segment carries one ({@code tstamp_ok}). */
    boolean tstampOk;
    /** Both sides sent SACK-permitted: SACK blocks go both ways ({@code sack_ok & TCP_SACK_SEEN}). */
    boolean sackOk;
    /** Both sides sent window scale options ({@code wscale_ok}). */
    boolean wscaleOk;
    /** The peer's shift: its window fields mean {@code window << sndWscale} ({@code snd_wscale}, 0-14). */
    byte sndWscale;
    /** Our shift: the window we advertise is sent as {@code window >> rcvWscale} ({@code rcv_wscale}, 0-14). */
    byte rcvWscale;
    /**
     * The TSval to echo, and when it was taken in seconds of the stack clock, modulo 2^32 and compared wrap-safe
     * as Linux's {@code int ts_recent_stamp} is ({@code ts_recent}, {@code ts_recent_stamp}).
     */
    int tsRecent;
    int tsRecentStamp;
    /** The segment being processed carried a timestamp, and its values ({@code saw_tstamp}, {@code rcv_tsval}, {@code rcv_tsecr}). */
    boolean sawTstamp;
    int rcvTsval;
    int rcvTsecr;
    /** The offset added to the clock for our TSvals on this connection ({@code tsoffset}), randomised per flow. */
    int tsOffset;

    /** {@code TCP_PAWS_WINDOW}: a TSval one tick older than ts_recent is still taken (replays within a tick). */
    static final int TCP_PAWS_WINDOW = 1;
    /**
     * {@code TCP_PAWS_24DAYS}: a ts_recent this many seconds old is stale (the peer's clock may have wrapped) and
     * no longer rejects anything. Linux 6.7 shortened it to {@code INT_MAX / USEC_PER_SEC} for microsecond clocks.
     */
    static final long TCP_PAWS_24DAYS = 60L * 60 * 24 * 24;
    /** {@code TCP_PAWS_MSL}: after this many seconds a RST is taken whatever its timestamp. */
    static final long TCP_PAWS_MSL = 60;

    /**
     * Takes the timestamp of the segment being processed ({@code tcp_parse_options}, {@code
     * tcp_fast_parse_options}) when {@code accept}: the handshake agreed on timestamps, or while handshaking the
     * {@code tcp_timestamps} sysctl. The echo is made relative to our clock again, without {@link #tsOffset},
     * as {@code rcv_tsecr} is used.
     */
    void parseTimestamp(io.inet4j.tcp.wire.TcpOptions.Parsed opts, boolean accept) {
        sawTstamp = accept && opts.sawTimestamp();
        if (!sawTstamp) return;
        rcvTsval = opts.tsVal();
        rcvTsecr = opts.tsEcr();
        if (rcvTsecr != 0) rcvTsecr -= tsOffset;
    }

    /**
     * tcp_paws_check: the segment's TSval is recent enough ({@code ts_recent - rcv_tsval <= pawsWin}), or
     * ts_recent is too old to judge by ({@link #TCP_PAWS_24DAYS}), or 0 (some stacks send 0 on the SYN).
     */
    boolean pawsCheck(int pawsWin, long nowSeconds) {
        if (tsRecent - rcvTsval <= pawsWin) return true;
        if (!before32(nowSeconds, tsRecentStamp + TCP_PAWS_24DAYS)) return true;
        return tsRecent == 0;
    }

    /** tcp_paws_reject: PAWS rejects the segment; a RST only within {@link #TCP_PAWS_MSL} of ts_recent. */
    boolean pawsReject(boolean rst, long nowSeconds) {
        if (pawsCheck(0, nowSeconds)) return false;
        return !(rst && !before32(nowSeconds, tsRecentStamp + TCP_PAWS_MSL));
    }

    /** {@code time_before32}: second {@code a} comes before second {@code b}, both taken modulo 2^32. */
    private static boolean before32(long a, long b) { return (int) a - (int) b < 0; }

    /** Forgets everything, for a socket's next connection (tcp_disconnect's {@code memset} of rx_opt). */
    void clear() {
        tstampOk = sackOk = wscaleOk = sawTstamp = false;
        sndWscale = rcvWscale = 0;
        tsRecent = rcvTsval = rcvTsecr = tsOffset = tsRecentStamp = 0;
    }

    /** tcp_store_ts_recent: the segment's TSval is the one to echo from now on. */
    void storeTsRecent(long nowSeconds) {
        tsRecent = rcvTsval;
        tsRecentStamp = (int) nowSeconds;
    }
}
