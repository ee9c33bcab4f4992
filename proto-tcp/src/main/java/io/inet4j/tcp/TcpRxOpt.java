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
    /** The peer's shift: its window fields mean {@code window << sndWscale} ({@code snd_wscale}). */
    int sndWscale;
    /** Our shift: the window we advertise is sent as {@code window >> rcvWscale} ({@code rcv_wscale}). */
    int rcvWscale;
    /** The TSval to echo, and when it was taken in seconds of the stack clock ({@code ts_recent}, {@code ts_recent_stamp}). */
    int tsRecent;
    long tsRecentStamp;
    /** The segment being processed carried a timestamp, and its values ({@code saw_tstamp}, {@code rcv_tsval}, {@code rcv_tsecr}). */
    boolean sawTstamp;
    int rcvTsval;
    int rcvTsecr;
    /** The offset added to the clock for our TSvals on this connection ({@code tsoffset}), randomised per flow. */
    int tsOffset;
}
