package io.inet4j.tcp;

import io.inet4j.mib.TcpExtMib;

/**
 * When an endpoint (a socket, a TIME_WAIT entry, a request sock) last answered a segment it found invalid
 * ({@code last_oow_ack_time}), and Linux's per-endpoint limit on such answers ({@code __tcp_oow_rate_limited},
 * {@code tcp_oow_rate_limited} in {@code net/ipv4/tcp_input.c}): at most one every {@code tcp_invalid_ratelimit}
 * ms, so that two confused endpoints cannot ACK each other in a loop and a flood of bogus segments cannot turn
 * the stack into an ACK cannon.
 */
final class TcpOowLimit {
    private static final long NEVER = Long.MIN_VALUE;

    private long lastAckNanos = NEVER;

    /**
     * __tcp_oow_rate_limited: true (and {@code mib} counted) when an answer went out less than
     * {@code tcp_invalid_ratelimit} ago; otherwise the answer may go and its time is remembered.
     */
    boolean limited(Tcp tcp, TcpExtMib mib) {
        long now = tcp.now();
        if (lastAckNanos != NEVER) {
            long elapsed = now - lastAckNanos;
            if (elapsed >= 0 && elapsed < tcp.sysctls.invalidRatelimit.get() * 1_000_000L) {
                tcp.ext.inc(mib);
                return true;
            }
        }
        lastAckNanos = now;
        return false;
    }

    /** tcp_oow_rate_limited: data without a SYN is no part of an ACK loop and is always answered. */
    boolean limited(Tcp tcp, TcpSegment seg, TcpExtMib mib) {
        if (seg.seqLen() != 0 && !seg.has(io.inet4j.tcp.wire.TcpHeader.SYN)) return false;
        return limited(tcp, mib);
    }
}
