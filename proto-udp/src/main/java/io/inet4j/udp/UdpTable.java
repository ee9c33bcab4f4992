package io.inet4j.udp;

import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.ip.Ipv4Sysctls;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.socket.Errno;
import java.util.Random;

/**
 * The stack's UDP port hash ({@code udp_table} in {@code net/ipv4/udp.c}): slots by local port, each a chain of
 * the sockets bound to ports of that slot. Binding checks conflicts as {@code udp_lib_lport_inuse} does
 * (SO_REUSEADDR on both, or SO_REUSEPORT on both, lets sockets share an address and port); lookup scores
 * candidates as {@code compute_score} does and picks among a SO_REUSEPORT group by the flow's hash. Loop
 * thread only; lookups walk the chain and allocate nothing.
 */
final class UdpTable {
    private static final int SLOTS = 1024;

    private final UdpSock[] slots = new UdpSock[SLOTS];
    private final Ipv4Sysctls sysctls;
    private final Random random;
    private final int hashSecret;
    private int rover;

    private UdpTable(InetContext ctx) {
        this.sysctls = ctx.ip().sysctls();
        this.random = ctx.net().random();
        this.hashSecret = random.nextInt();
    }

    /** The stack's one table, shared by the socket side ({@link UdpProt}) and the receive side ({@link UdpRcv}). */
    static UdpTable of(InetContext ctx) { return ctx.generic(UdpTable.class, UdpTable::new); }

    private static int slot(int port) { return port & (SLOTS - 1); }

    /** The first socket of {@code port}'s slot; walk on with {@link UdpSock#hashNext}, skipping other ports. */
    UdpSock chain(int port) { return slots[slot(port)]; }

    /**
     * udp_lib_get_port: binds {@code sk} to {@code port}, or with 0 to a free port of
     * {@code net.ipv4.ip_local_port_range} (skipping {@code ip_local_reserved_ports}), from a random start, then on
     * from where the last search stopped. {@code -EADDRINUSE} on a conflict or when the range is full.
     */
    int getPort(UdpSock sk, int port) {
        if (port == 0) {
            int low = sysctls.ipLocalPortRange.get(0);
            int high = sysctls.ipLocalPortRange.get(1);
            int n = high - low + 1;
            if (rover < low || rover > high) rover = low + random.nextInt(n);
            for (int i = 0; i < n && port == 0; i++) {
                int candidate = rover;
                rover = rover == high ? low : rover + 1;
                if (!sysctls.ipLocalReservedPorts.contains(candidate) && !inUse(sk, candidate)) port = candidate;
            }
            if (port == 0) return Errno.EADDRINUSE.neg();
        } else if (inUse(sk, port)) {
            return Errno.EADDRINUSE.neg();
        }
        sk.num = port;
        int s = slot(port);
        sk.hashNext = slots[s];
        slots[s] = sk;
        sk.hashed = true;
        return 0;
    }

    /** udp_lib_lport_inuse: another socket on {@code port} whose address overlaps and that does not share. */
    private boolean inUse(UdpSock sk, int port) {
        for (UdpSock o = slots[slot(port)]; o != null; o = o.hashNext) {
            if (o == sk || o.num != port) continue;
            boolean addrOverlap = o.rcvSaddr == 0 || sk.rcvSaddr == 0 || o.rcvSaddr == sk.rcvSaddr;
            boolean devOverlap = o.boundDevIf == 0 || sk.boundDevIf == 0 || o.boundDevIf == sk.boundDevIf;
            boolean shared = (o.reuse && sk.reuse) || (o.reuseport && sk.reuseport);
            if (addrOverlap && devOverlap && !shared) return true;
        }
        return false;
    }

    /** udp_lib_unhash: gives the port back. */
    void unhash(UdpSock sk) {
        if (!sk.hashed) return;
        int s = slot(sk.num);
        if (slots[s] == sk) {
            slots[s] = sk.hashNext;
        } else {
            for (UdpSock p = slots[s]; p != null; p = p.hashNext) {
                if (p.hashNext == sk) {
                    p.hashNext = sk.hashNext;
                    break;
                }
            }
        }
        sk.hashNext = null;
        sk.hashed = false;
        sk.num = 0;
    }

    /**
     * compute_score: how well {@code sk} matches a datagram from {@code saddr:sport} to {@code daddr:dport} on
     * device {@code dif}, -1 for no match. Each bound field that matches adds 4, so a connected socket beats a
     * bound one, which beats a wildcard.
     */
    static int score(UdpSock sk, int saddr, int sport, int daddr, int dport, int dif) {
        if (sk.num != dport) return -1;
        int score = 0;
        if (sk.rcvSaddr != 0) {
            if (sk.rcvSaddr != daddr) return -1;
            score += 4;
        }
        if (sk.daddr != 0) {
            if (sk.daddr != saddr) return -1;
            score += 4;
        }
        if (sk.dport != 0) {
            if (sk.dport != sport) return -1;
            score += 4;
        }
        if (sk.boundDevIf != 0) {
            if (sk.boundDevIf != dif) return -1;
            score += 4;
        }
        return score;
    }

    /**
     * __udp4_lib_lookup: the socket a unicast datagram belongs to, or null. The best score wins; on a tie the
     * first in the chain, unless the winner is an unconnected SO_REUSEPORT socket: then the flow's hash picks one
     * of the equally good sockets of its group ({@code reuseport_select_sock}, {@code reciprocal_scale}).
     */
    UdpSock lookup(int saddr, int sport, int daddr, int dport, int dif) {
        UdpSock best = null;
        int bestScore = -1;
        int group = 0;
        for (UdpSock sk = slots[slot(dport)]; sk != null; sk = sk.hashNext) {
            int score = score(sk, saddr, sport, daddr, dport, dif);
            if (score < 0) continue;
            if (score > bestScore) {
                best = sk;
                bestScore = score;
                group = 1;
            } else if (score == bestScore && sameGroup(best, sk)) {
                group++;
            }
        }
        if (best == null || !best.reuseport || best.state == SockStates.TCP_ESTABLISHED || group == 1) return best;
        int pick = (int) (((ehash(saddr, sport, daddr, dport) & 0xffffffffL) * group) >>> 32);
        for (UdpSock sk = slots[slot(dport)]; sk != null; sk = sk.hashNext) {
            if (sk == best || (score(sk, saddr, sport, daddr, dport, dif) == bestScore && sameGroup(best, sk))) {
                if (pick-- == 0) return sk;
            }
        }
        return best;
    }

    /** Members of one SO_REUSEPORT group: both opted in, unconnected, same local address and port. */
    private static boolean sameGroup(UdpSock a, UdpSock b) {
        return a.reuseport && b.reuseport && a.num == b.num && a.rcvSaddr == b.rcvSaddr
                && a.state != SockStates.TCP_ESTABLISHED && b.state != SockStates.TCP_ESTABLISHED;
    }

    /** udp_ehashfn: a per-stack keyed mix of the 4-tuple (a murmur3 finaliser; Linux uses jhash). */
    private int ehash(int saddr, int sport, int daddr, int dport) {
        int h = hashSecret ^ saddr;
        h = mix(h) ^ daddr;
        h = mix(h) ^ ((sport << 16) | dport);
        return mix(h);
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
