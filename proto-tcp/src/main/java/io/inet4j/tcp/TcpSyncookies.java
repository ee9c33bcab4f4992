package io.inet4j.tcp;

/**
 * SYN cookies ({@code net/ipv4/syncookies.c}): when a listener's SYN queue is full (or always, with
 * {@code tcp_syncookies} = 2) the SYN-ACK's sequence number carries the request instead of the queue, and the
 * final ACK rebuilds it. The cookie is
 * {@code H(secret0, saddr, daddr, ports) + sseq + (count << 24) + ((H(secret1, ..., count) + mssind) mod 2^24)},
 * {@code count} being the minute ({@code tcp_cookie_time()}) and {@code mssind} an index into {@link #MSSTAB}; H is
 * SipHash-2-4 over the four 32-bit words {@code siphash_4u32()} takes. A cookie is good for
 * {@link #MAX_SYNCOOKIE_AGE} minutes.
 *
 * <p>With timestamps the options the SYN offered ride in the low {@link #TSBITS} bits of our TSval
 * ({@code cookie_init_timestamp}) and come back in the peer's TSecr ({@code cookie_timestamp_decode}); without
 * one the connection has neither window scaling nor SACK, as in Linux.
 *
 * <p>The secrets are drawn on first use ({@code net_get_random_once}), so a stack that never sends a cookie draws
 * nothing from its random source. One per stack; runs on its loop (the hash state is reused).
 */
final class TcpSyncookies {
    /** MSS values a cookie can say, by index ({@code msstab}). */
    static final int[] MSSTAB = {536, 1300, 1440, 1460};
    /** Minutes a cookie stays valid ({@code MAX_SYNCOOKIE_AGE}). */
    static final int MAX_SYNCOOKIE_AGE = 2;
    /** The count lives above this many bits of the second hash ({@code COOKIEBITS}). */
    private static final int COOKIEBITS = 24;
    private static final int COOKIEMASK = (1 << COOKIEBITS) - 1;
    /** {@code TCP_SYNCOOKIE_PERIOD}: a minute. */
    private static final long PERIOD_NANOS = 60_000_000_000L;
    /** {@code HZ}: the lower slack of {@link #synqNoRecentOverflow} and the span {@link #synqOverflow} skips. */
    private static final long SECOND = 1_000_000_000L;
    /** Low bits of the cookie TSval that hold options ({@code TSBITS}, {@code TSMASK}). */
    static final int TSBITS = 6;
    static final int TS_OPT_WSCALE_MASK = 0xf;
    static final int TS_OPT_SACK = 1 << 4;
    static final int TS_OPT_ECN = 1 << 5;
    /** {@link TcpSynQueue#overflowStamp} of a listener whose queue never overflowed. */
    static final long NEVER = Long.MIN_VALUE / 2;

    private final Tcp tcp;
    private final SipHash sip = new SipHash();
    private long[] secret;

    TcpSyncookies(Tcp tcp) { this.tcp = tcp; }

    /** {@code tcp_cookie_time()}: minutes of the stack clock, as a u32 counter. */
    int cookieTime() { return (int) Math.floorDiv(tcp.now(), PERIOD_NANOS); }

    /** cookie_hash: SipHash of (saddr, daddr, sport << 16 | dport, count) under secret {@code c}. */
    private int cookieHash(int saddr, int daddr, int sport, int dport, int count, int c) {
        if (secret == null) {
            java.util.random.RandomGenerator r = tcp.net.random();
            secret = new long[] {r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()};
        }
        // The words as Linux passes them: the wire bytes of the addresses and ports read as little-endian u32s.
        long ports = (Short.reverseBytes((short) sport) & 0xffffL) << 16 | (Short.reverseBytes((short) dport) & 0xffffL);
        long w0 = (Integer.reverseBytes(saddr) & 0xffff_ffffL) | (long) Integer.reverseBytes(daddr) << 32;
        long w1 = ports | (long) count << 32;
        return (int) sip.init(secret[2 * c], secret[2 * c + 1]).compress(w0).compress(w1).finish(SipHash.lastWord(0, 16));
    }

    /** secure_tcp_syn_cookie: the ISN that remembers {@code data} (an MSS index) for this 4-tuple and this minute. */
    int secureTcpSynCookie(int saddr, int daddr, int sport, int dport, int sseq, int data) {
        int count = cookieTime();
        return cookieHash(saddr, daddr, sport, dport, 0, 0) + sseq + (count << COOKIEBITS)
                + ((cookieHash(saddr, daddr, sport, dport, count, 1) + data) & COOKIEMASK);
    }

    /**
     * check_tcp_syn_cookie: the data a cookie carries, or -1 when it is older than {@link #MAX_SYNCOOKIE_AGE}
     * minutes. A forged cookie gives some other number, which the caller finds out of range.
     */
    int checkTcpSynCookie(int cookie, int saddr, int daddr, int sport, int dport, int sseq) {
        int count = cookieTime();
        cookie -= cookieHash(saddr, daddr, sport, dport, 0, 0) + sseq;
        int diff = (count - (cookie >>> COOKIEBITS)) & (-1 >>> COOKIEBITS);
        if (Integer.compareUnsigned(diff, MAX_SYNCOOKIE_AGE) >= 0) return -1;
        return (cookie - cookieHash(saddr, daddr, sport, dport, count - diff, 1)) & COOKIEMASK;
    }

    /** The largest {@link #MSSTAB} entry not above {@code mss}, index 0 at least ({@code __cookie_v4_init_sequence}). */
    static int mssIndex(int mss) {
        int i = MSSTAB.length - 1;
        while (i > 0 && mss < MSSTAB[i]) i--;
        return i;
    }

    /**
     * cookie_v4_init_sequence (with {@code tcp_synq_overflow} and SyncookiesSent, as {@code cookie_init_sequence}):
     * the ISN of the cookie SYN-ACK answering {@code syn} on {@code listener}.
     */
    int initSequence(TcpSock listener, TcpSegment syn) {
        synqOverflow(listener, tcp.now());
        tcp.ext.inc(io.inet4j.mib.TcpExtMib.SyncookiesSent);
        return secureTcpSynCookie(syn.saddr, syn.daddr, syn.sport, syn.dport, syn.seq, mssIndex(syn.peerMss()));
    }

    /** __cookie_v4_check: the MSS the cookie in {@code ack}'s acknowledgment number says, 0 if it is no cookie of ours. */
    int check(TcpSegment ack) {
        int mssind = checkTcpSynCookie(ack.ack - 1, ack.saddr, ack.daddr, ack.sport, ack.dport, ack.seq - 1);
        return Integer.compareUnsigned(mssind, MSSTAB.length) < 0 ? MSSTAB[mssind] : 0;
    }

    /**
     * tcp_synq_overflow: the listener sent a cookie now. The stamp moves at most once a second, as Linux's write
     * to a shared cache line does.
     */
    static void synqOverflow(TcpSock listener, long now) {
        long last = listener.synq.overflowStamp;
        if (!(now >= last && now <= last + SECOND)) listener.ownSynq().overflowStamp = now;
    }

    /**
     * tcp_synq_no_recent_overflow: true unless the listener sent a cookie within the last
     * {@code TCP_SYNCOOKIE_VALID} (the second of slack below covers a racing {@link #synqOverflow} in Linux). An
     * ACK that is no answer to a cookie we sent is not even checked.
     */
    static boolean synqNoRecentOverflow(TcpSock listener, long now) {
        long last = listener.synq.overflowStamp;
        return !(now >= last - SECOND && now <= last + MAX_SYNCOOKIE_AGE * PERIOD_NANOS);
    }

    /**
     * cookie_init_timestamp: a TSval no later than {@code tsNow} whose low {@link #TSBITS} bits hold the options the
     * SYN offered: the peer's window scale (or {@link #TS_OPT_WSCALE_MASK} for none), SACK and ECN. The caller adds
     * the connection's {@code tsOffset}.
     */
    static int initTimestamp(TcpRxOpt opt, boolean ecnOk, int tsNow) {
        int options = opt.wscaleOk ? opt.sndWscale : TS_OPT_WSCALE_MASK;
        if (opt.sackOk) options |= TS_OPT_SACK;
        if (ecnOk) options |= TS_OPT_ECN;
        int ts = (tsNow >>> TSBITS) << TSBITS | options;
        if (Integer.compareUnsigned(ts, tsNow) > 0) ts -= 1 << TSBITS;
        return ts;
    }

    /**
     * cookie_timestamp_decode: the options of a cookie connection from the TSecr of its final ACK ({@code opt.rcvTsecr},
     * the connection's {@code tsOffset} already taken off). Without a timestamp the connection gets none of them;
     * false when the ACK claims an option this stack does not do now, which refuses the cookie.
     */
    static boolean timestampDecode(TcpRxOpt opt, boolean timestamps, boolean sack, boolean windowScaling) {
        if (!opt.sawTstamp) {
            clearOptions(opt);
            return true;
        }
        if (!timestamps) return false;
        int options = opt.rcvTsecr;
        opt.tstampOk = true;
        opt.sackOk = (options & TS_OPT_SACK) != 0;
        if (opt.sackOk && !sack) return false;
        if ((options & TS_OPT_WSCALE_MASK) == TS_OPT_WSCALE_MASK) return true;
        opt.wscaleOk = true;
        opt.sndWscale = (byte) (options & TS_OPT_WSCALE_MASK);
        return windowScaling;
    }

    /** tcp_clear_options: no timestamps, SACK or window scaling. */
    static void clearOptions(TcpRxOpt opt) {
        opt.tstampOk = opt.sackOk = opt.wscaleOk = false;
        opt.sndWscale = 0;
    }

    /**
     * The option half of cookie_tcp_check, cookie_tcp_reqsk_alloc and cookie_ecn_ok: what the final ACK's
     * timestamp says about the options of the connection, into {@code req}; false refuses the cookie.
     */
    boolean decodeOptions(TcpRequestSock req, TcpSegment ack) {
        TcpRxOpt opt = req.rxOpt;
        TcpSysctls sysctls = tcp.sysctls;
        boolean echo = ack.opts.sawTimestamp() && ack.opts.tsEcr() != 0;
        // secure_tcp_ts_off: our TSval was the cookie timestamp plus this flow's offset.
        opt.tsOffset = echo ? TcpOutput.secureTsOff(tcp, ack.daddr, ack.saddr) : 0;
        opt.parseTimestamp(ack.opts, sysctls.timestamps.get() != 0);
        if (!timestampDecode(opt, sysctls.timestamps.get() != 0, sysctls.sack.get() != 0,
                sysctls.windowScaling.get() != 0)) {
            return false;
        }
        opt.tsRecent = opt.sawTstamp ? opt.rcvTsval : 0;
        req.ecnOk = opt.sawTstamp && (opt.rcvTsecr & TS_OPT_ECN) != 0 && sysctls.ecn.get() != 0;
        return true;
    }
}
