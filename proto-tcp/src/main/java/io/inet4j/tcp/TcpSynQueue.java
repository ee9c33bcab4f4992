package io.inet4j.tcp;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A listener's queue of half-open connections ({@code struct request_sock_queue}, with the SYN-flood state Linux
 * keeps beside it): the requests by local address and remote (address, port), when the listener last sent a SYN
 * cookie and whether it logged the flood. Only listeners ever have one; every other socket shares {@link #NONE}
 * and carries one reference instead of the map, a long and a flag. Owned by the stack's loop.
 */
final class TcpSynQueue {
    /** What a socket that never queued a request reads: empty. Never written to. */
    static final TcpSynQueue NONE = new TcpSynQueue(Collections.emptyMap());

    /** Half-open connections by local address and remote (address, port) ({@code reqsk_queue}). */
    final Map<TcpRequestSock.Key, TcpRequestSock> table;
    /** When the listener last sent a SYN cookie ({@code rx_opt.ts_recent_stamp} of a listener, tcp_synq_overflow). */
    long overflowStamp = TcpSyncookies.NEVER;
    /** The "Possible SYN flooding" line was logged for this listener ({@code synflood_warned}). */
    boolean synfloodWarned;

    private TcpSynQueue(Map<TcpRequestSock.Key, TcpRequestSock> table) { this.table = table; }

    /** A listener's own queue, made at its first request, cookie or flood warning. */
    static TcpSynQueue create() { return new TcpSynQueue(new HashMap<>()); }
}
