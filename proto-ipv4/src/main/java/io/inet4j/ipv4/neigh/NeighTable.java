package io.inet4j.ipv4.neigh;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.loop.Clock;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.Timer;
import io.inet4j.mib.MibCounters;
import io.inet4j.net.Net;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.MacAddress;
import io.inet4j.netdev.NetDevice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * The IPv4 neighbour table ({@code struct neigh_table arp_tbl} and the generic machinery of
 * {@code net/core/neighbour.c}): entries keyed by (ifindex, address), Neighbour Unreachability Detection driven by
 * one timer per entry, the queue of packets awaiting resolution, and garbage collection. ARP specifics (what a
 * request looks like, who answers) live in {@link Arp}, which owns the table.
 *
 * <p>The hash table chains entries through {@link Neighbour#next}, as Linux's buckets do, so a lookup by
 * (ifindex, address) boxes nothing and sending to a resolved neighbour allocates nothing. Loop thread only.
 */
public final class NeighTable {
    /** neigh_update may replace a known, different link-layer address. */
    static final int NEIGH_UPDATE_F_OVERRIDE = 1;
    /** The change comes from the administrator: PERMANENT entries may be changed, STALE is not softened. */
    static final int NEIGH_UPDATE_F_ADMIN = 2;

    /** HZ/100: the shortest timer Linux arms for a neighbour. */
    private static final long MIN_TIMER_NANOS = 10_000_000L;
    /** neigh_periodic_work draws a new reachable time this often. */
    private static final long RAND_REACH_INTERVAL_NANOS = 300_000_000_000L;
    /** Forced gc takes entries not updated for this long; a table over gc_thresh2 forces gc this often. */
    private static final long FORCED_GC_AGE_NANOS = 5_000_000_000L;
    private static final int INITIAL_HASH_SHIFT = 3;
    private static final NeighErrorReport NO_ERROR_REPORT = b -> { };

    /** {@code neigh_ops.solicit}: sends one resolution request or probe for {@code n}. */
    @FunctionalInterface
    interface Solicitor {
        /** {@code lastQueued} is the newest packet waiting (its source address picks the request's), or null. */
        void solicit(Neighbour n, PacketBuffer lastQueued);
    }

    private final Net net;
    private final EventLoop loop;
    private final Clock clock;
    private final Random random;
    private final NeighParms parms;
    private final Solicitor solicitor;
    private final MibCounters<NeighStat> stats = new MibCounters<>("arp_cache", NeighStat.class);
    private final Timer gcTimer = new Timer(this::neighPeriodicWork);
    /** Keyed hash multiplier ({@code hash_rnd}), so remote hosts cannot aim at one bucket. */
    private final int hashRnd;
    private NeighErrorReport errorReport = NO_ERROR_REPORT;
    private Neighbour[] buckets = new Neighbour[1 << INITIAL_HASH_SHIFT];
    private int hashShift = INITIAL_HASH_SHIFT;
    private int entries;
    private int gcEntries;
    private long lastFlush;
    private int reachableBaseMs = -1;
    private long reachableTime;
    private long lastRand;

    NeighTable(Net net, NeighParms parms, Solicitor solicitor) {
        this.net = net;
        this.loop = net.loop();
        this.clock = loop.clock();
        this.random = net.random();
        this.parms = parms;
        this.solicitor = solicitor;
        this.hashRnd = random.nextInt() | 1;
        this.lastFlush = clock.nanoTime();
    }

    /** The counters of {@code /proc/net/stat/arp_cache}. */
    public MibCounters<NeighStat> stats() { return stats; }

    /** Entries in the table, permanent ones included (the {@code entries} column). */
    public int size() { return entries; }

    /** Sets what is told about packets dropped by a failed resolution; IPv4 sets {@code arp_error_report}. */
    public void setErrorReport(NeighErrorReport report) {
        errorReport = report != null ? report : NO_ERROR_REPORT;
    }

    /** The current reachable time in ms, drawn from [1/2, 3/2) of base_reachable_time_ms ({@code ip ntable}). */
    public long reachableTimeMs() { return reachableTime(clock.nanoTime()) / 1_000_000L; }

    /** neigh_lookup: the entry for {@code addr} on {@code ifindex}, or null. Loop thread. */
    public Neighbour lookup(int ifindex, int addr) {
        stats.inc(NeighStat.lookups);
        for (Neighbour n = buckets[bucket(ifindex, addr)]; n != null; n = n.next) {
            if (n.key == addr && n.ifindex == ifindex) {
                stats.inc(NeighStat.hits);
                return n;
            }
        }
        return null;
    }

    /**
     * neigh_confirm ({@code dst_confirm_neigh}): forward progress seen by an upper layer (a TCP ACK of new data)
     * proves the neighbour reachable, so a REACHABLE entry stays so and a DELAY entry returns to REACHABLE
     * without probing. Only a time is written; the entry's timer reads it.
     */
    public void confirm(int ifindex, int addr) {
        loop.assertInLoop();
        Neighbour n = lookup(ifindex, addr);
        if (n != null) n.confirmed = clock.nanoTime();
    }

    /**
     * {@code ip neigh replace ADDR lladdr MAC dev DEV permanent}: a static entry, exempt from expiry and from
     * the gc thresholds. Packets waiting for {@code addr} go out at once. IllegalArgumentException (ENODEV) when
     * the stack has no device {@code ifindex}. Loop thread.
     */
    public void addPermanent(int ifindex, int addr, MacAddress mac) {
        loop.assertInLoop();
        NetDevice dev = net.device(ifindex);
        if (dev == null) throw new IllegalArgumentException("no device " + ifindex);
        Neighbour n = lookup(ifindex, addr);
        if (n == null) n = create(dev, addr, true);
        if (!n.exemptFromGc) {
            n.exemptFromGc = true;
            gcEntries--;
        }
        neighUpdate(n, mac.bits(), NudState.PERMANENT, NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN);
    }

    /**
     * {@code ip neigh del}: fails the entry (reporting the packets it was holding, as a failed resolution does)
     * and removes it. Returns false when there was none. Loop thread.
     */
    public boolean delete(int ifindex, int addr) {
        loop.assertInLoop();
        Neighbour n = lookup(ifindex, addr);
        if (n == null) return false;
        neighUpdate(n, 0, NudState.FAILED, NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN);
        // An error report run by the update may already have deleted it.
        if (unlink(n)) destroy(n);
        return true;
    }

    /** A snapshot of all entries sorted by device and address, for listing like {@code ip neigh}. Loop thread. */
    public List<NeighEntry> entries() {
        loop.assertInLoop();
        List<NeighEntry> out = new ArrayList<>(entries);
        for (Neighbour head : buckets) {
            for (Neighbour n = head; n != null; n = n.next) {
                out.add(new NeighEntry(n.key, n.ifindex, n.dev.name(), n.lladdr(), n.state));
            }
        }
        out.sort(Comparator.comparingInt(NeighEntry::ifindex)
                .thenComparing(NeighEntry::address, Integer::compareUnsigned));
        return out;
    }

    /**
     * neigh_create: a new NONE entry, or null when the table is full even after a forced collection
     * ({@code table_fulls}). {@code exemptFromGc} entries (permanent ones) ignore the thresholds.
     */
    Neighbour create(NetDevice dev, int addr, boolean exemptFromGc) {
        if (!exemptFromGc && !neighAllocAllowed()) return null;
        long now = clock.nanoTime();
        Neighbour n = new Neighbour(this, dev, addr);
        n.updated = now;
        n.used = now;
        // Never confirmed: far enough in the past that no timer takes it for a fresh confirmation.
        n.confirmed = now - 2L * parms.baseReachableTimeMs.get() * 1_000_000L;
        n.exemptFromGc = exemptFromGc;
        stats.inc(NeighStat.allocs);
        if (entries + 1 > buckets.length) neighHashGrow();
        int i = bucket(n.ifindex, addr);
        n.next = buckets[i];
        buckets[i] = n;
        entries++;
        if (!exemptFromGc) gcEntries++;
        if (!gcTimer.isPending()) loop.timers().schedule(gcTimer, now + parms.gcIntervalNanos());
        return n;
    }

    /**
     * neigh_event_ns: {@code addr} on {@code dev} just proved to be at {@code lladdr} by asking us something;
     * creates the entry if needed and makes it STALE with that address. Null when the table is full.
     */
    Neighbour neighEventNs(NetDevice dev, int addr, long lladdr) {
        Neighbour n = lookup(dev.ifindex(), addr);
        if (n == null) n = create(dev, addr, false);
        if (n != null) neighUpdate(n, lladdr, NudState.STALE, NEIGH_UPDATE_F_OVERRIDE);
        return n;
    }

    /**
     * neigh_resolve_output: sends {@code ipPacket} to {@code n} when its address may be used (moving a STALE
     * entry to DELAY), otherwise queues it and starts or continues resolution. Takes ownership.
     */
    void neighResolveOutput(Neighbour n, PacketBuffer ipPacket) {
        if (neighEventSend(n, ipPacket)) linkOutput(n.dev, n.lladdr, ipPacket);
    }

    /** dev_hard_header + dev_queue_xmit for an IPv4 packet: Ethernet header in front, out the device. */
    static void linkOutput(NetDevice dev, long dstMac, PacketBuffer ipPacket) {
        EthernetHeader.push(ipPacket, dstMac, dev.mac().bits(), EthernetHeader.ETH_P_IP);
        dev.transmit(ipPacket);
    }

    /**
     * __neigh_event_send: true when the caller may transmit now. Otherwise the packet was queued (INCOMPLETE)
     * or dropped (no solicitation allowed), and the table owns or has released it.
     */
    private boolean neighEventSend(Neighbour n, PacketBuffer b) {
        long now = clock.nanoTime();
        n.used = now;
        NudState state = n.state;
        if (state.connected() || state == NudState.DELAY || state == NudState.PROBE) return true;
        boolean immediateProbe = false;
        if (state == NudState.STALE) {
            n.state = NudState.DELAY;
            n.updated = now;
            loop.timers().schedule(n.timer, now + parms.delayProbeNanos());
            return true;
        }
        if (state != NudState.INCOMPLETE) {
            if (parms.mcastSolicit.get() + parms.appSolicit.get() == 0) {
                n.state = NudState.FAILED;
                n.updated = now;
                stats.inc(NeighStat.unresolved_discards);
                b.release();
                return false;
            }
            // The unicast-probe slots come first in the count, so INCOMPLETE starts past them: its probes
            // are application and broadcast ones (see Arp.arpSolicit).
            n.probes = parms.ucastSolicit.get();
            n.state = NudState.INCOMPLETE;
            n.updated = now;
            loop.timers().schedule(n.timer, now + Math.max(parms.retransNanos(), MIN_TIMER_NANOS));
            immediateProbe = true;
        }
        int limit = parms.unresQlenBytes.get();
        while (n.queuedBytes() + Neighbour.truesize(b) > limit) {
            PacketBuffer oldest = n.dequeue();
            if (oldest == null) break;
            stats.inc(NeighStat.unresolved_discards);
            oldest.release();
        }
        n.enqueue(b);
        if (immediateProbe) neighProbe(n);
        return false;
    }

    private void neighProbe(Neighbour n) {
        solicitor.solicit(n, n.lastQueued());
        n.probes++;
    }

    /**
     * neigh_update: the core state change. {@code lladdr} is ignored when {@code newState} is not valid. Without
     * OVERRIDE a different address for a valid entry is ignored; without ADMIN, PERMANENT entries do not change.
     * An entry that becomes valid sends what it had queued, in order.
     */
    void neighUpdate(Neighbour n, long lladdr, NudState newState, int flags) {
        NudState old = n.state;
        if ((flags & NEIGH_UPDATE_F_ADMIN) == 0 && (old == NudState.NOARP || old == NudState.PERMANENT)) return;
        long now = clock.nanoTime();
        if (!newState.valid()) {
            loop.timers().cancel(n.timer);
            n.state = newState;
            if ((old == NudState.INCOMPLETE || old == NudState.PROBE) && newState == NudState.FAILED) {
                neighInvalidate(n);
            }
            return;
        }
        if (newState.connected()) n.confirmed = now;
        if (old.valid()) {
            if (lladdr != n.lladdr && (flags & NEIGH_UPDATE_F_OVERRIDE) == 0) return;
            // Hearing the known address again must not demote a REACHABLE entry.
            if (lladdr == n.lladdr && newState == NudState.STALE && (flags & NEIGH_UPDATE_F_ADMIN) == 0) {
                newState = old;
            }
        }
        if (newState != old || lladdr != n.lladdr) n.updated = now;
        if (newState != old) {
            loop.timers().cancel(n.timer);
            if (newState == NudState.PROBE) n.probes = 0;
            if (newState.inTimer()) {
                long delay = newState == NudState.REACHABLE ? reachableTime(now) : 0;
                loop.timers().schedule(n.timer, now + Math.max(delay, MIN_TIMER_NANOS));
            }
            n.state = newState;
        }
        if (lladdr != n.lladdr) {
            n.lladdr = lladdr;
            // A new address is not a confirmed one.
            if (!newState.connected()) n.confirmed = now - 2L * parms.baseReachableTimeMs.get() * 1_000_000L;
        }
        if (newState == old || old.valid()) return;
        PacketBuffer b;
        while (n.state.valid() && (b = n.dequeue()) != null) neighResolveOutput(n, b);
    }

    /** neigh_timer_handler: moves REACHABLE, DELAY, PROBE and INCOMPLETE entries along as time passes. */
    void neighTimerHandler(Neighbour n) {
        long now = clock.nanoTime();
        long next;
        NudState state = n.state;
        if (state == NudState.REACHABLE) {
            long reachable = reachableTime(now);
            if (now - (n.confirmed + reachable) <= 0) {
                next = n.confirmed + reachable;
            } else if (now - (n.used + parms.delayProbeNanos()) <= 0) {
                n.state = NudState.DELAY;
                n.updated = now;
                next = now + parms.delayProbeNanos();
            } else {
                n.state = NudState.STALE;
                n.updated = now;
                return;
            }
        } else if (state == NudState.DELAY) {
            if (now - (n.confirmed + parms.delayProbeNanos()) <= 0) {
                n.state = NudState.REACHABLE;
                n.updated = now;
                next = n.confirmed + reachableTime(now);
            } else {
                n.state = NudState.PROBE;
                n.updated = now;
                n.probes = 0;
                next = now + Math.max(parms.retransNanos(), MIN_TIMER_NANOS);
            }
        } else {
            next = now + Math.max(parms.retransNanos(), MIN_TIMER_NANOS);
        }
        boolean probing = n.state == NudState.INCOMPLETE || n.state == NudState.PROBE;
        if (probing && n.probes >= neighMaxProbes(n)) {
            n.state = NudState.FAILED;
            neighInvalidate(n);
            return;
        }
        loop.timers().schedule(n.timer, Math.max(next, now + MIN_TIMER_NANOS));
        if (probing) neighProbe(n);
    }

    /** Linux adds mcast_resolicit in PROBE; inet4j has no such sysctl, so PROBE sends only unicast probes. */
    private int neighMaxProbes(Neighbour n) {
        int probes = parms.ucastSolicit.get() + parms.appSolicit.get();
        return n.state == NudState.PROBE ? probes : probes + parms.mcastSolicit.get();
    }

    /**
     * neigh_invalidate: resolution failed; report and drop every queued packet. A report may send to this
     * neighbour again and restart resolution: then what is still queued waits for the new round.
     */
    private void neighInvalidate(Neighbour n) {
        stats.inc(NeighStat.res_failed);
        n.updated = clock.nanoTime();
        PacketBuffer b;
        while (n.state == NudState.FAILED && (b = n.dequeue()) != null) {
            stats.inc(NeighStat.unresolved_discards);
            try {
                errorReport.unreachable(b);
            } finally {
                b.release();
            }
        }
    }

    /**
     * neigh_periodic_work: removes entries that are FAILED or unused for gc_stale_time, once the table holds at
     * least gc_thresh1 entries. Entries with a running timer and permanent ones are left alone.
     */
    private void neighPeriodicWork() {
        stats.inc(NeighStat.periodic_gc_runs);
        long now = clock.nanoTime();
        if (entries >= parms.gcThresh1.get()) {
            long stale = parms.gcStaleNanos();
            sweep(Integer.MAX_VALUE, n -> {
                if (n.exemptFromGc || n.state.inTimer()) return false;
                if (n.used - n.confirmed < 0 && n.confirmed - now <= 0) n.used = n.confirmed;
                return n.state == NudState.FAILED || now - n.used >= stale;
            });
        }
        if (entries > 0) loop.timers().schedule(gcTimer, now + parms.gcIntervalNanos());
    }

    /** neigh_alloc's admission: over gc_thresh3, or over gc_thresh2 with no flush for 5 s, collect first. */
    private boolean neighAllocAllowed() {
        long now = clock.nanoTime();
        int e = gcEntries;
        boolean full = e >= parms.gcThresh3.get();
        if (full || (e >= parms.gcThresh2.get() && now - lastFlush > FORCED_GC_AGE_NANOS)) {
            if (neighForcedGc(now) == 0 && full) {
                stats.inc(NeighStat.table_fulls);
                return false;
            }
        }
        return true;
    }

    /** neigh_forced_gc: removes FAILED entries and idle ones not updated for 5 s, down towards gc_thresh2. */
    private int neighForcedGc(long now) {
        stats.inc(NeighStat.forced_gc_runs);
        lastFlush = now;
        return sweep(Math.max(1, gcEntries - parms.gcThresh2.get()), n -> !n.exemptFromGc && !n.state.inTimer()
                && (n.state == NudState.FAILED || now - n.updated > FORCED_GC_AGE_NANOS));
    }

    /** Removes up to {@code max} entries that {@code victim} picks; returns how many. */
    private int sweep(int max, Predicate<Neighbour> victim) {
        int removed = 0;
        for (int i = 0; i < buckets.length && removed < max; i++) {
            Neighbour prev = null;
            for (Neighbour n = buckets[i]; n != null && removed < max; ) {
                Neighbour next = n.next;
                if (victim.test(n)) {
                    if (prev == null) buckets[i] = next;
                    else prev.next = next;
                    destroy(n);
                    removed++;
                } else {
                    prev = n;
                }
                n = next;
            }
        }
        return removed;
    }

    /** Takes {@code n} out of its bucket; false when it is not in the table. */
    private boolean unlink(Neighbour n) {
        int i = bucket(n.ifindex, n.key);
        if (buckets[i] == n) {
            buckets[i] = n.next;
            return true;
        }
        for (Neighbour p = buckets[i]; p != null; p = p.next) {
            if (p.next == n) {
                p.next = n.next;
                return true;
            }
        }
        return false;
    }

    /** neigh_destroy for an entry already out of its bucket: stops its timer and drops what it still holds. */
    private void destroy(Neighbour n) {
        n.next = null;
        entries--;
        if (!n.exemptFromGc) gcEntries--;
        loop.timers().cancel(n.timer);
        PacketBuffer b;
        while ((b = n.dequeue()) != null) {
            stats.inc(NeighStat.unresolved_discards);
            b.release();
        }
        stats.inc(NeighStat.destroys);
    }

    private void neighHashGrow() {
        stats.inc(NeighStat.hash_grows);
        Neighbour[] old = buckets;
        hashShift++;
        buckets = new Neighbour[1 << hashShift];
        for (Neighbour head : old) {
            for (Neighbour n = head; n != null; ) {
                Neighbour next = n.next;
                int i = bucket(n.ifindex, n.key);
                n.next = buckets[i];
                buckets[i] = n;
                n = next;
            }
        }
    }

    private int bucket(int ifindex, int addr) {
        return ((addr ^ ifindex * 0x9E3779B9) * hashRnd) >>> (32 - hashShift);
    }

    /**
     * neigh_rand_reach_time: uniform in [base/2, 3*base/2), drawn again when the sysctl changes and every
     * 300 s, as Linux does for {@code parms->reachable_time}.
     */
    private long reachableTime(long now) {
        int base = parms.baseReachableTimeMs.get();
        if (base != reachableBaseMs || now - lastRand > RAND_REACH_INTERVAL_NANOS) {
            reachableBaseMs = base;
            lastRand = now;
            reachableTime = (base == 0 ? 0 : random.nextInt(base) + (base >> 1)) * 1_000_000L;
        }
        return reachableTime;
    }
}
