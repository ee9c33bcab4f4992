package io.inet4j.ipv4.hash;

import static io.inet4j.ipv4.af.SockStates.TCP_CLOSE;
import static io.inet4j.ipv4.af.SockStates.TCP_LISTEN;

import io.inet4j.ipv4.af.InetSock;
import io.inet4j.ipv4.ip.Ipv4Sysctls;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.net.Net;
import io.inet4j.socket.Errno;
import java.util.ArrayList;
import java.util.Random;

/**
 * One protocol's socket tables in one stack ({@code struct inet_hashinfo}, {@code net/ipv4/inet_hashtables.c},
 * with the port allocation of {@code net/ipv4/inet_connection_sock.c}): which ports are bound, which
 * connections exist, and who listens where. Loop thread only, no locks; the receive-path lookups read a few
 * array slots and allocate nothing.
 *
 * <ul>
 *   <li><b>bhash</b>: an array of 65536 {@link InetBindBucket}s indexed by port (the kernel hashes the port into
 *       chains; a direct index needs no walk). A bucket's {@code fastreuse} / {@code fastreuseport} tell
 *       {@code bind()} ({@link #inetCskGetPort}) when it may skip the owner walk, and {@code -1} in both marks
 *       a port only {@code connect()} used, which distinct 4-tuples may share.
 *   <li><b>ehash</b>: local address, local port, remote address, remote port to an {@link InetSock} or an
 *       {@link InetTimewaitSock}, in an open-addressing table keyed by a secret hash (like
 *       {@code inet_ehashfn}). Each 4-tuple appears at most once, whatever device its socket is bound to (Linux
 *       would let sockets bound to two different devices both hold it).
 *   <li><b>listeners</b> ({@code lhash2}): kept in their port's bucket; {@link #lookupListener} scores them as
 *       {@code compute_score} does and spreads SO_REUSEPORT groups by flow hash.
 * </ul>
 *
 * <p><b>Ephemeral ports for connect()</b> ({@link #inetHashConnect}) follow {@code __inet_hash_connect}: a
 * start offset from a keyed hash of the destination plus a perturbation table ({@code table_perturb}, RFC 6056
 * algorithm 4), ports of {@code low}'s parity first (even, for the default range) then the other parity,
 * reserved ports skipped, a port usable when it has no bucket, or a connect-made bucket and a unique 4-tuple
 * ({@code __inet_check_established}, where the protocol may recycle a TIME_WAIT entry). Linux probes each
 * candidate port in turn, so once the even half is busy every connect walks it. Here the scan visits the
 * same ports in the same order and takes the same one, but jumps whole runs of unusable ports with word-wide
 * searches of two port sets:
 * <ul>
 *   <li>{@code bindOwned}: ports whose bucket connect() may never share (made or touched by bind/listen);
 *   <li>per destination (local address, remote address, remote port), the local ports it already uses
 *       ({@link DestinationPorts}): a bit set once the destination holds {@value DestinationPorts#DENSE} ports,
 *       before that a short list, whose few conflicts cost one established-hash probe each.
 * </ul>
 * So a connect costs a few word scans plus at most {@value DestinationPorts#DENSE} probes, however full the
 * range. Only TIME_WAIT entries the protocol might recycle ({@link TimewaitCheck#mayReuse}) are still visited
 * one by one, since the verdict is per entry; that case is as slow as Linux.
 *
 * <p>{@code bind(0)} ({@link #inetCskGetPort} with port 0) mirrors {@code inet_csk_find_open_port}: random
 * start, the other parity first (odd ports), with SO_REUSEADDR the lower half of the range before the upper.
 */
public final class InetHashinfo {
    /** {@code INET_TABLE_PERTURB_SIZE} with Linux's default order of 16. */
    private static final int INET_TABLE_PERTURB_SIZE = 1 << 16;
    /** The answer when the protocol has ruled out TIME_WAIT recycling for a whole port search. */
    private static final TimewaitCheck NO_REUSE = (sk, tw, portWasBound) -> false;

    private final Net net;
    private final Ipv4Sysctls sysctls;
    private final EphemeralPortOffset portOffset;
    private final InetBindBucket[] bhash = new InetBindBucket[65536];
    /** Ports with a bucket. */
    private final PortBitmap inUse = new PortBitmap();
    /** Ports whose bucket {@code inetHashConnect} must skip (fastreuse >= 0 or fastreuseport >= 0). */
    private final PortBitmap bindOwned = new PortBitmap();
    private final TupleTable<TupleKey> ehash;
    /** (local address, remote address) and remote port to the local ports in {@link #ehash} for them. */
    private final TupleTable<DestinationPorts> destinations;
    /** {@code table_perturb}, filled from the stack's random source on first use as Linux fills it once. */
    private int[] tablePerturb;
    private int timewaitCount;

    /** A table set for one protocol of {@code net}; {@code portOffset} is {@code secure_ipv4_port_ephemeral}. */
    public InetHashinfo(Net net, Ipv4Sysctls sysctls, EphemeralPortOffset portOffset) {
        this.net = net;
        this.sysctls = sysctls;
        this.portOffset = portOffset;
        Random random = net.random();
        this.ehash = new TupleTable<>(random.nextLong(), random.nextLong());
        this.destinations = new TupleTable<>(random.nextLong(), random.nextLong());
    }

    // ---- bind hash --------------------------------------------------------------------------------------------

    /**
     * inet_csk_get_port: reserves {@code snum} for {@code sk}, or with 0 picks a port as
     * {@code inet_csk_find_open_port} does, and sets {@code sk.num}. Also called again by
     * {@link #inetCskListenStart} for a bound socket, so the bind rules see it listening. Returns 0 or
     * {@code -EADDRINUSE}.
     */
    public int inetCskGetPort(InetSock sk, int snum) {
        net.loop().assertInLoop();
        int port = snum != 0 ? snum : inetCskFindOpenPort(sk);
        if (port == 0) return Errno.EADDRINUSE.neg();
        InetBindBucket tb = bhash[port];
        if (tb == null) {
            tb = bucketCreate(port, 0);
        } else if (snum != 0 && !bindFastPath(sk, tb) && inetCskBindConflict(sk, tb, true)) {
            return Errno.EADDRINUSE.neg();
        }
        inetCskUpdateFastreuse(tb, sk);
        if (sk.bindHash == null) inetBindHash(sk, tb);
        return 0;
    }

    /** inet_put_port: {@code sk} gives up its port; the bucket goes when its last owner does. */
    public void inetPutPort(InetSock sk) {
        net.loop().assertInLoop();
        InetBindBucket tb = sk.bindHash;
        if (tb == null) return;
        if (sk.bindPrev != null) sk.bindPrev.bindNext = sk.bindNext;
        else tb.owners = sk.bindNext;
        if (sk.bindNext != null) sk.bindNext.bindPrev = sk.bindPrev;
        sk.bindNext = sk.bindPrev = null;
        sk.bindHash = null;
        sk.num = 0;
        bucketDestroyIfEmpty(tb);
    }

    /**
     * __inet_inherit_port: an accepted child shares its listener's port bucket, so the port stays held while any
     * child lives. Sets {@code child.num}; {@code -ENOENT} when the listener holds no port.
     */
    public int inetInheritPort(InetSock listener, InetSock child) {
        net.loop().assertInLoop();
        InetBindBucket tb = listener.bindHash;
        if (tb == null) return Errno.ENOENT.neg();
        inetBindHash(child, tb);
        return 0;
    }

    private int inetCskFindOpenPort(InetSock sk) {
        int[] range = sysctls.ipLocalPortRange.values();
        // attempt_half: with SO_REUSEADDR, Linux searches the lower half of the range, then the upper half.
        for (int attemptHalf = sk.reuse ? 1 : 0; ; attemptHalf = 2) {
            int low = range[0];
            int high = range[1] + 1;
            if (high - low < 4) attemptHalf = 0;
            if (attemptHalf != 0) {
                int half = low + (((high - low) >> 2) << 1);
                if (attemptHalf == 1) high = half;
                else low = half;
            }
            int remaining = remaining(low, high);
            // connect() favours ports of low's parity; bind(0) starts with the other one to leave those alone.
            int offset = net.random().nextInt(remaining) | 1;
            int port = scanPass(sk, null, null, low, high, offset, remaining);
            if (port == 0) port = scanPass(sk, null, null, low, high, offset - 1, remaining);
            if (port != 0 || attemptHalf != 1) return port;
        }
    }

    /** One parity's ports of {@code inet_csk_find_open_port}'s scan in {@code [from, to)}: 0 when none is free. */
    private int bindScanRange(InetSock sk, int from, int to) {
        // Without relax, a wildcard socket on no device conflicts with every owner: only ports with no bucket do.
        PortBitmap skip = sk.rcvSaddr == 0 && sk.boundDevIf == 0 ? inUse : null;
        for (int port = from; port < to; port += 2) {
            if (skip != null && (port = skip.nextClear(port, to)) >= to) break;
            if (sysctls.ipLocalReservedPorts.contains(port)) continue;
            InetBindBucket tb = bhash[port];
            if (tb == null || !inetCskBindConflict(sk, tb, false)) return port;
        }
        return 0;
    }

    /** The {@code fastreuse} / {@code sk_reuseport_match} shortcut of inet_csk_get_port: no owner walk needed. */
    private static boolean bindFastPath(InetSock sk, InetBindBucket tb) {
        return tb.fastreuse > 0 && sk.reuse && sk.state != TCP_LISTEN || reuseportMatch(tb, sk);
    }

    /** sk_reuseport_match, with every socket owned by the same user. */
    private static boolean reuseportMatch(InetBindBucket tb, InetSock sk) {
        if (tb.fastreuseport <= 0 || !sk.reuseport) return false;
        return tb.fastreuseport == InetBindBucket.FASTREUSEPORT_ANY || tb.fastRcvSaddr == sk.rcvSaddr || tb.fastRcvSaddr == 0;
    }

    /**
     * inet_csk_bind_conflict over the port's sockets and TIME_WAIT entries. {@code relax} is set for an explicit
     * port (Linux's {@code relax} and {@code reuseport_ok} together): then two SO_REUSEADDR sockets may share it
     * unless the other listens, and two SO_REUSEPORT sockets may. For {@code bind(0)} nothing is shared.
     */
    private static boolean inetCskBindConflict(InetSock sk, InetBindBucket tb, boolean relax) {
        for (InetSock sk2 = tb.owners; sk2 != null; sk2 = sk2.bindNext) {
            if (sk2 != sk && inetBindConflict(sk, relax, sk2.boundDevIf, sk2.reuse, sk2.reuseport, sk2.state == TCP_LISTEN,
                    sk2.rcvSaddr)) {
                return true;
            }
        }
        for (InetTimewaitSock tw = tb.twOwners; tw != null; tw = tw.bindNext) {
            if (inetBindConflict(sk, relax, tw.boundDevIf, tw.reuse, tw.reuseport, false, tw.rcvSaddr)) return true;
        }
        return false;
    }

    /** inet_bind_conflict and inet_rcv_saddr_equal(.., match_wildcard): one existing owner against {@code sk}. */
    private static boolean inetBindConflict(InetSock sk, boolean relax, int boundDevIf2, boolean reuse2, boolean reuseport2,
            boolean listening2, int rcvSaddr2) {
        if (sk.boundDevIf != 0 && boundDevIf2 != 0 && sk.boundDevIf != boundDevIf2) return false;
        boolean conflict = sk.reuse && reuse2 && !listening2 ? !relax : !relax || !sk.reuseport || !reuseport2;
        return conflict && (sk.rcvSaddr == rcvSaddr2 || sk.rcvSaddr == 0 || rcvSaddr2 == 0);
    }

    /** inet_csk_update_fastreuse: folds the new owner {@code sk} into the bucket's shortcut summary. */
    private void inetCskUpdateFastreuse(InetBindBucket tb, InetSock sk) {
        boolean reuse = sk.reuse && sk.state != TCP_LISTEN;
        if (tb.isEmpty()) {
            tb.fastreuse = reuse ? 1 : 0;
            tb.fastreuseport = sk.reuseport ? InetBindBucket.FASTREUSEPORT_ANY : 0;
            tb.fastRcvSaddr = sk.rcvSaddr;
        } else {
            if (!reuse) tb.fastreuse = 0;
            if (!sk.reuseport) {
                tb.fastreuseport = 0;
            } else if (!reuseportMatch(tb, sk)) {
                // A reuseport owner that did not match: later ones are quick only if they match this address.
                tb.fastreuseport = InetBindBucket.FASTREUSEPORT_STRICT;
                tb.fastRcvSaddr = sk.rcvSaddr;
            }
        }
        if (tb.connectOwned()) bindOwned.clear(tb.port);
        else bindOwned.set(tb.port);
    }

    /** inet_bind_bucket_create; {@code fastreuse} is -1 (both summaries) for a bucket made by connect(). */
    private InetBindBucket bucketCreate(int port, int fastreuse) {
        InetBindBucket tb = new InetBindBucket(port);
        tb.fastreuse = fastreuse;
        tb.fastreuseport = fastreuse;
        bhash[port] = tb;
        inUse.set(port);
        if (!tb.connectOwned()) bindOwned.set(port);
        return tb;
    }

    /** inet_bind_bucket_destroy. */
    private void bucketDestroyIfEmpty(InetBindBucket tb) {
        if (!tb.isEmpty()) return;
        bhash[tb.port] = null;
        inUse.clear(tb.port);
        bindOwned.clear(tb.port);
    }

    /** inet_bind_hash. */
    private static void inetBindHash(InetSock sk, InetBindBucket tb) {
        sk.num = tb.port;
        sk.bindHash = tb;
        sk.bindPrev = null;
        sk.bindNext = tb.owners;
        if (tb.owners != null) tb.owners.bindPrev = sk;
        tb.owners = sk;
    }

    // ---- connect ----------------------------------------------------------------------------------------------

    /**
     * inet_hash_connect ({@code __inet_hash_connect} with {@code __inet_check_established}): gives a socket about
     * to connect (local address, remote address and port set) a local port whose 4-tuple is unique, and enters
     * it in the bind and established hashes. An already bound socket keeps its port and only passes the
     * 4-tuple check. {@code twCheck} decides whether a TIME_WAIT entry holding the 4-tuple may be recycled (it
     * is then killed). Returns 0 with {@code sk.num} set, or {@code -EADDRNOTAVAIL}.
     */
    public int inetHashConnect(InetSock sk, TimewaitCheck twCheck) {
        net.loop().assertInLoop();
        if (sk.num != 0) {
            InetBindBucket tb = sk.bindHash;
            if (tb.owners == sk && sk.bindNext == null && tb.twOwners == null) {
                // Sole owner of the port: no other connection can have its 4-tuple.
                return ehashInsert(sk) ? 0 : Errno.EADDRNOTAVAIL.neg();
            }
            return checkEstablished(sk, tb, twCheck, true) ? 0 : Errno.EADDRNOTAVAIL.neg();
        }
        int[] range = sysctls.ipLocalPortRange.values();
        int low = range[0];
        int high = range[1] + 1;
        int remaining = remaining(low, high);
        long hash = portOffset.portOffset(sk.rcvSaddr, sk.daddr, sk.dport);
        int[] perturb = tablePerturb();
        int index = (int) hash & (INET_TABLE_PERTURB_SIZE - 1);
        int offset = Integer.remainderUnsigned(perturb[index] + (int) (hash >>> 32), remaining) & ~1;

        TimewaitCheck check = twCheck.mayReuse(sk) ? twCheck : NO_REUSE;
        DestinationPorts used = destinations.get(TupleKey.addrPair(sk.rcvSaddr, sk.daddr), sk.dport);
        // When no TIME_WAIT entry may be recycled, every port this destination uses is as good as bound.
        PortBitmap taken = check == NO_REUSE && used != null ? used.dense() : null;
        int port = scanPass(sk, check, taken, low, high, offset, remaining);
        if (port == 0 && remaining > 1) port = scanPass(sk, check, taken, low, high, ++offset, remaining);
        if (port == 0) return Errno.EADDRNOTAVAIL.neg();

        // Step the destination's next start past this port, plus a little randomness while contention is low.
        int start = low + offset;
        int i = port >= start ? port - start : port - start + remaining;
        i = Math.max(i, net.random().nextInt(8) * 2);
        perturb[index] += i + 2;
        return 0;
    }

    /** One parity's ports of {@code __inet_hash_connect} in {@code [from, to)}: takes and returns the first usable. */
    private int connectScanRange(InetSock sk, TimewaitCheck check, PortBitmap taken, int from, int to) {
        for (int port = from; (port = nextConnectCandidate(port, to, taken)) < to; port += 2) {
            if (sysctls.ipLocalReservedPorts.contains(port)) continue;
            InetBindBucket tb = bhash[port];
            if (tb == null) tb = bucketCreate(port, -1);
            if (checkEstablished(sk, tb, check, false)) return port;
        }
        return 0;
    }

    /** The first port from {@code port} (same parity) that is neither bind-owned nor in {@code taken}. */
    private int nextConnectCandidate(int port, int to, PortBitmap taken) {
        for (;;) {
            port = bindOwned.nextClear(port, to);
            if (taken == null || port >= to) return port;
            int next = taken.nextClear(port, to);
            if (next == port) return port;
            port = next;
        }
    }

    /**
     * __inet_check_established: takes {@code tb}'s port for {@code sk} when its 4-tuple is free, or held by a
     * TIME_WAIT entry {@code check} lets it recycle; then hashes {@code sk} (bind and established) and kills the
     * entry.
     */
    private boolean checkEstablished(InetSock sk, InetBindBucket tb, TimewaitCheck check, boolean portWasBound) {
        long addrs = TupleKey.addrPair(sk.rcvSaddr, sk.daddr);
        int ports = TupleKey.portPair(tb.port, sk.dport);
        TupleKey holder = ehash.get(addrs, ports);
        if (holder != null && !(holder instanceof InetTimewaitSock tw && check.unique(sk, tw, portWasBound))) return false;
        if (sk.bindHash == null) inetBindHash(sk, tb);
        if (holder == null) {
            ehashAdd(addrs, ports, sk);
        } else {
            ehash.put(addrs, ports, sk);
            net.mibs().tcpExt.inc(TcpExtMib.TWRecycled);
            inetTwskKill((InetTimewaitSock) holder);
        }
        return true;
    }

    /**
     * One pass of a port search over the ports of {@code offset}'s parity, in Linux's order:
     * {@code low + offset} upwards, stepping by 2, wrapping by {@code remaining} past {@code high}. With
     * {@code connecting} null it is {@code bind(0)}'s search, which only finds; else connect's, which takes.
     */
    private int scanPass(InetSock sk, TimewaitCheck connecting, PortBitmap taken, int low, int high, int offset, int remaining) {
        int start = low + offset;
        int port = scanRange(sk, connecting, taken, start, Math.min(high, start + remaining));
        if (port == 0 && start + remaining > high) {
            // The ports that wrapped: [first port >= high of this parity, minus remaining; start).
            port = scanRange(sk, connecting, taken, start + ((high - start + 1) & ~1) - remaining, start);
        }
        return port;
    }

    private int scanRange(InetSock sk, TimewaitCheck connecting, PortBitmap taken, int from, int to) {
        return connecting == null ? bindScanRange(sk, from, to) : connectScanRange(sk, connecting, taken, from, to);
    }

    /** The range's port count rounded down to even, so wrapping keeps the parity. */
    private static int remaining(int low, int high) {
        int remaining = high - low;
        return remaining > 1 ? remaining & ~1 : remaining;
    }

    private int[] tablePerturb() {
        if (tablePerturb == null) {
            int[] t = new int[INET_TABLE_PERTURB_SIZE];
            Random random = net.random();
            for (int i = 0; i < t.length; i++) t[i] = random.nextInt();
            tablePerturb = t;
        }
        return tablePerturb;
    }

    // ---- established hash -------------------------------------------------------------------------------------

    /**
     * inet_ehash_insert (as {@code inet_ehash_nolisten} uses it): enters a connected socket under its 4-tuple
     * ({@code rcvSaddr}, {@code num}, {@code daddr}, {@code dport}, which must not change while it is hashed).
     * False, leaving it out, when the 4-tuple is taken.
     */
    public boolean ehashInsert(InetSock sk) {
        net.loop().assertInLoop();
        return ehashAdd(TupleKey.addrPair(sk.rcvSaddr, sk.daddr), TupleKey.portPair(sk.num, sk.dport), sk);
    }

    /**
     * inet_unhash: takes {@code sk} out of the listeners (if its state is still LISTEN: call before changing it,
     * as {@code tcp_set_state} does) or of the established hash. Its port stays held: see {@link #inetPutPort}.
     */
    public void inetUnhash(InetSock sk) {
        net.loop().assertInLoop();
        if (sk.state != TCP_LISTEN) {
            ehashDelete(TupleKey.addrPair(sk.rcvSaddr, sk.daddr), TupleKey.portPair(sk.num, sk.dport), sk);
            return;
        }
        InetBindBucket tb = sk.bindHash;
        if (tb == null || tb.listeners == null || !tb.listeners.remove(sk)) return;
        if (sk.reuseportCb != null) sk.reuseportCb.detach(sk);
        if (tb.listeners.isEmpty()) tb.listeners = null;
    }

    /**
     * __inet_lookup_established from the receive path's side: the socket or TIME_WAIT entry for a segment from
     * {@code remoteAddr:remotePort} to {@code localAddr:localPort} that arrived on {@code ifindex}, or null. A
     * socket bound to another device does not match ({@code inet_match}).
     */
    public Object lookupEstablished(int remoteAddr, int remotePort, int localAddr, int localPort, int ifindex) {
        Object sk = ehash.get(TupleKey.addrPair(localAddr, remoteAddr), TupleKey.portPair(localPort, remotePort));
        if (sk == null) return null;
        int dev = sk instanceof InetSock s ? s.boundDevIf : ((InetTimewaitSock) sk).boundDevIf;
        return dev == 0 || dev == ifindex ? sk : null;
    }

    /** __inet_lookup: the established hash first, then the listeners; an InetSock, an InetTimewaitSock, or null. */
    public Object lookup(int remoteAddr, int remotePort, int localAddr, int localPort, int ifindex) {
        Object sk = lookupEstablished(remoteAddr, remotePort, localAddr, localPort, ifindex);
        return sk != null ? sk : lookupListener(remoteAddr, remotePort, localAddr, localPort, ifindex);
    }

    private boolean ehashAdd(long addrs, int ports, TupleKey entry) {
        if (ehash.putIfAbsent(addrs, ports, entry) != null) return false;
        int remotePort = ports & 0xFFFF;
        DestinationPorts used = destinations.get(addrs, remotePort);
        if (used == null) destinations.put(addrs, remotePort, used = new DestinationPorts(addrs, remotePort));
        used.add(ports >>> 16);
        return true;
    }

    private void ehashDelete(long addrs, int ports, TupleKey entry) {
        if (!ehash.remove(addrs, ports, entry)) return;
        int remotePort = ports & 0xFFFF;
        DestinationPorts used = destinations.get(addrs, remotePort);
        used.remove(ports >>> 16);
        if (used.count() == 0) destinations.remove(addrs, remotePort, used);
    }


    // ---- listeners --------------------------------------------------------------------------------------------

    /**
     * The hashing half of inet_csk_listen_start: marks {@code sk} LISTEN, reserves its port again (or picks one
     * when unbound) under the listening rules, and enters it among the port's listeners, joining the SO_REUSEPORT
     * group of an identical listener. On failure {@code sk} is back in CLOSE and the result is
     * {@code -EADDRINUSE}. The accept queue is the caller's.
     */
    public int inetCskListenStart(InetSock sk) {
        net.loop().assertInLoop();
        sk.state = TCP_LISTEN;
        int err = inetCskGetPort(sk, sk.num);
        if (err != 0) {
            sk.state = TCP_CLOSE;
            return err;
        }
        InetBindBucket tb = sk.bindHash;
        if (tb.listeners == null) tb.listeners = new ArrayList<>(2);
        if (sk.reuseport) inetReuseportAddSock(sk, tb.listeners);
        tb.listeners.add(0, sk);
        return 0;
    }

    /** inet_reuseport_add_sock: joins the group of a listener with the same address and device, or starts one. */
    private static void inetReuseportAddSock(InetSock sk, ArrayList<InetSock> listeners) {
        for (int i = 0, n = listeners.size(); i < n; i++) {
            InetSock sk2 = listeners.get(i);
            if (sk2.reuseportCb != null && sk2.boundDevIf == sk.boundDevIf && sk2.rcvSaddr == sk.rcvSaddr) {
                sk2.reuseportCb.add(sk);
                return;
            }
        }
        ReuseportGroup.reuseportAlloc(sk);
    }

    /**
     * __inet_lookup_listener: the listener for a connection request from {@code remoteAddr:remotePort} to
     * {@code localAddr:localPort} arriving on {@code ifindex}, or null. A listener bound to {@code localAddr}
     * beats a wildcard one; within each, one bound to the arrival device beats an unbound one; a listener bound
     * to another device never matches; among equals the latest to listen wins. As in Linux, the first listener
     * (latest first) that raises the score and belongs to an SO_REUSEPORT group ends the search: the group
     * answers with the member the flow's hash picks.
     */
    public InetSock lookupListener(int remoteAddr, int remotePort, int localAddr, int localPort, int ifindex) {
        InetBindBucket tb = bhash[localPort];
        if (tb == null || tb.listeners == null) return null;
        InetSock sk = inetLhash2Lookup(tb.listeners, remoteAddr, remotePort, localAddr, localPort, ifindex);
        return sk != null ? sk : inetLhash2Lookup(tb.listeners, remoteAddr, remotePort, 0, localPort, ifindex);
    }

    /** inet_lhash2_lookup over the listeners bound to exactly {@code localAddr}. */
    private InetSock inetLhash2Lookup(ArrayList<InetSock> listeners, int remoteAddr, int remotePort, int localAddr, int localPort,
            int ifindex) {
        InetSock result = null;
        int hiscore = 0;
        for (int i = 0, n = listeners.size(); i < n; i++) {
            InetSock sk = listeners.get(i);
            if (sk.rcvSaddr != localAddr || sk.boundDevIf != 0 && sk.boundDevIf != ifindex) continue;
            // compute_score: 2 for a device match, else 1; plus 1 for an AF_INET socket.
            int score = (sk.boundDevIf != 0 ? 2 : 1) + 1;
            if (score > hiscore) {
                if (sk.reuseportCb != null) {
                    return sk.reuseportCb.select(ehash.hash(TupleKey.addrPair(localAddr, remoteAddr), TupleKey.portPair(localPort, remotePort)));
                }
                result = sk;
                hiscore = score;
            }
        }
        return result;
    }

    // ---- TIME_WAIT ------------------------------------------------------------------------------------------------

    /**
     * inet_twsk_hashdance_schedule: {@code tw} takes {@code sk}'s place in the established hash and joins the
     * owners of its port, then its timer is armed for {@code timeoNanos}. {@code sk} still holds the port until
     * the protocol lets go of it ({@link #inetPutPort}, from {@code tcp_done} unless the user bound the port).
     */
    public void inetTwskHashdance(InetTimewaitSock tw, InetSock sk, long timeoNanos) {
        net.loop().assertInLoop();
        InetBindBucket tb = sk.bindHash;
        tw.hashinfo = this;
        tw.tb = tb;
        tw.bindPrev = null;
        tw.bindNext = tb.twOwners;
        if (tb.twOwners != null) tb.twOwners.bindPrev = tw;
        tb.twOwners = tw;
        long addrs = TupleKey.addrPair(tw.rcvSaddr, tw.daddr);
        int ports = TupleKey.portPair(tw.num, tw.dport);
        if (ehash.get(addrs, ports) == sk) ehash.put(addrs, ports, tw);
        else ehashAdd(addrs, ports, tw);
        timewaitCount++;
        // Linux counts a short (PAWS-shortened) TIME_WAIT as killed, a full one as timewaited.
        net.mibs().tcpExt.inc(timeoNanos <= 4_000_000_000L ? TcpExtMib.TWKilled : TcpExtMib.TW);
        net.loop().schedule(tw.timer, timeoNanos);
    }

    /** inet_twsk_reschedule: moves a still-armed TIME_WAIT timer to {@code timeoNanos} from now. */
    public void inetTwskReschedule(InetTimewaitSock tw, long timeoNanos) {
        net.loop().assertInLoop();
        if (tw.timer.isPending()) net.loop().schedule(tw.timer, timeoNanos);
    }

    /**
     * inet_twsk_deschedule_put / inet_twsk_kill: ends {@code tw} now (also what its timer does): out of the
     * established hash and its port's owners, freeing the port if it was the last. Idempotent.
     */
    public void inetTwskKill(InetTimewaitSock tw) {
        net.loop().assertInLoop();
        net.loop().cancel(tw.timer);
        InetBindBucket tb = tw.tb;
        if (tb == null) return;
        ehashDelete(TupleKey.addrPair(tw.rcvSaddr, tw.daddr), TupleKey.portPair(tw.num, tw.dport), tw);
        if (tw.bindPrev != null) tw.bindPrev.bindNext = tw.bindNext;
        else tb.twOwners = tw.bindNext;
        if (tw.bindNext != null) tw.bindNext.bindPrev = tw.bindPrev;
        tw.bindNext = tw.bindPrev = null;
        tw.tb = null;
        timewaitCount--;
        bucketDestroyIfEmpty(tb);
    }

    /** The TIME_WAIT entries alive ({@code tw_refcount}), for {@code tcp_max_tw_buckets}. */
    public int timewaitCount() { return timewaitCount; }

    // ---- for tests in this package ------------------------------------------------------------------------------

    InetBindBucket bucket(int port) { return bhash[port]; }

    int ehashSize() { return ehash.size(); }
}
