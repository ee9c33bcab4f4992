package io.inet4j.ipv4.route;

import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.IfAddr;
import io.inet4j.socket.Errno;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The IPv4 forwarding information base ({@code net/ipv4/fib_frontend.c}, {@code fib_trie.c}) and output route
 * lookup ({@code route.c}'s {@code ip_route_output_key}).
 *
 * <p>Two tables, as with Linux's default rules: {@code local} (priority 0) holds a {@link Route.Type#LOCAL}
 * host route per address of this host, {@code main} (priority 32766) everything {@code ip route} shows. Both
 * follow {@link DevInet}: adding {@code 10.1.2.3/24} on device X adds {@code local 10.1.2.3 dev X} and the
 * prefix route {@code 10.1.2.0/24 dev X scope link src 10.1.2.3}, as {@code fib_add_ifaddr} does; removing the
 * address removes them, or hands them to another address that still needs them.
 *
 * <p>Longest-prefix match uses one open-addressing hash table per prefix length and a 33-bit mask of the
 * lengths in use, searched from /32 down. Lookup is then a handful of probes into flat int arrays (a host has
 * routes of few distinct lengths) and never more than 33, allocates nothing, and chases no pointers; Linux's
 * LC-trie earns its complexity with hundreds of thousands of routes, which a user-space stack does not hold.
 *
 * <p>Lookups may run on any thread. Tables are copy-on-write: a change rebuilds the one length it touches and
 * publishes it with a volatile write (the RCU analog), so changes are O(routes of that length) and rare.
 *
 * <p>Not modelled: RTN_BROADCAST/MULTICAST routes (callers classify broadcast with {@link DevInet#isBroadcast}),
 * multipath, and Linux's "assume on-link" answer when a lookup bound to an output device finds nothing.
 */
public final class Fib implements DevInet.Listener {
    private final DevInet devinet;
    private final Table local = new Table();
    private final Table main = new Table();
    /** Addresses in the order they came, so routes that follow them can pass to the next owner. */
    private final List<IfAddr> ifaddrs = new ArrayList<>();
    /** Whether TCP has an algorithm of a name ({@code tcp_ca_get_key_by_name} finding it in {@code tcp_cong_list}). */
    private final Predicate<String> congctlKnown;

    /** A FIB that follows {@code devinet}'s addresses, present and future, on a host without TCP algorithms. */
    public Fib(DevInet devinet) { this(devinet, name -> false); }

    /**
     * A FIB that follows {@code devinet}'s addresses, present and future; a route's {@code congctl} must name an
     * algorithm {@code congctlKnown} accepts.
     */
    public Fib(DevInet devinet, Predicate<String> congctlKnown) {
        this.devinet = devinet;
        this.congctlKnown = congctlKnown;
        for (IfAddr a : devinet.all()) added(a);
        devinet.addListener(this);
    }

    /**
     * {@code ip route add}: LOCAL routes go to the local table, others to main. IllegalArgumentException
     * ("EEXIST") when the table already has a route with the same destination, length and metric; ("EINVAL")
     * when its {@code congctl} names no algorithm, as {@code ip_metrics_convert} refuses it.
     */
    public synchronized void add(Route r) {
        String ca = r.metrics().congctl();
        if (ca != null && !congctlKnown.test(ca)) {
            throw new IllegalArgumentException("EINVAL: Unknown tcp congestion algorithm '" + ca + "'");
        }
        tableFor(r).insert(r);
    }

    /** {@code ip route del} of exactly {@code r}; false when the table does not hold it. */
    public synchronized boolean remove(Route r) { return tableFor(r).remove(r.dst(), r.prefixLen(), r.metric(), r) != null; }

    /** {@code ip route del dst/len metric m} in the main table; the removed route, or null. */
    public synchronized Route remove(int dst, int prefixLen, int metric) {
        return main.remove(dst, prefixLen, metric, null);
    }

    /** The best route to {@code daddr} (longest prefix, then lowest metric, local table first), or null. */
    public Route lookup(int daddr) { return fibLookup(daddr, 0); }

    /**
     * fib_lookup: as {@link #lookup}, but when {@code oif != 0} only routes through that device qualify (reject
     * routes always do), the way a socket bound to a device sees the table.
     */
    public Route fibLookup(int daddr, int oif) {
        Route r = local.lookup(daddr, oif);
        return r != null ? r : main.lookup(daddr, oif);
    }

    /** The main table sorted as {@code ip route} lists it. */
    public List<Route> routes() { return main.routes(); }

    /** The local table ({@code ip route show table local}). */
    public List<Route> localRoutes() { return local.routes(); }

    /**
     * The source address for traffic to {@code daddr} over {@code r}: its preferred source, else
     * {@code inet_select_addr} on the output device towards the next hop; 0 when the host has no address.
     */
    public static int selectSource(Route r, int daddr, DevInet devinet) {
        if (r.prefSrc() != 0) return r.prefSrc();
        return devinet.selectAddr(r.ifindex(), r.gateway() != 0 ? r.gateway() : daddr);
    }

    /**
     * ip_route_output_key: routes a locally generated datagram to {@code daddr} and fills {@code res}. A non-zero
     * {@code saddrHint} (a bound address) must be an address of this host; a non-zero {@code oifHint} (a bound
     * device) restricts the lookup to it. Destination 0.0.0.0 means this host, as in Linux; with no loopback
     * device it resolves to the hinted or first local address.
     *
     * @return 0, or {@code -EINVAL} for a bad source, {@code -ENETUNREACH} when no route matches, and a reject
     *     route's error: {@code -EINVAL} (blackhole), {@code -EHOSTUNREACH} (unreachable), {@code -EACCES}
     *     (prohibit). Callers count OutNoRoutes, as {@code ip_queue_xmit} and {@code tcp_v4_connect} do.
     */
    public int ipRouteOutput(int daddr, int saddrHint, int oifHint, RouteResult res) {
        if (saddrHint != 0 && (!isUnicast(saddrHint) || !devinet.isLocal(saddrHint))) return Errno.EINVAL.neg();
        if (daddr == 0) {
            daddr = saddrHint != 0 ? saddrHint : devinet.selectAddr(0, 0);
            if (daddr == 0) return Errno.ENETUNREACH.neg();
        }
        Route r = fibLookup(daddr, oifHint);
        if (r == null) return Errno.ENETUNREACH.neg();
        if (r.type().error() < 0) return r.type().error();
        int saddr = saddrHint != 0 ? saddrHint : selectSource(r, daddr, devinet);
        res.set(r, daddr, saddr, r.gateway() != 0 ? r.gateway() : daddr);
        return 0;
    }

    /** Neither multicast, limited broadcast nor in 0.0.0.0/8 (what {@code ip_route_output_key} accepts as source). */
    private static boolean isUnicast(int addr) {
        return (addr & 0xf000_0000) != 0xe000_0000 && addr != -1 && (addr & 0xff00_0000) != 0;
    }

    @Override
    public synchronized void added(IfAddr a) {
        ifaddrs.add(a);
        adopt(local, localRoute(a));
        adopt(main, prefixRoute(a));
    }

    @Override
    public synchronized void removed(IfAddr a) {
        ifaddrs.remove(a);
        release(local, localRoute(a), Fib::localRoute);
        release(main, prefixRoute(a), Fib::prefixRoute);
    }

    private static Route localRoute(IfAddr a) { return Route.local(a.local(), a.ifindex()); }

    /**
     * The prefix route fib_add_ifaddr adds for {@code a}, or null: a /32 has no prefix, and 0.0.0.0/8 is no
     * network. Its metric is 0, Linux's default {@code ifa_rt_priority}.
     */
    private static Route prefixRoute(IfAddr a) {
        if (a.prefixLen() == 32 || (a.network() & 0xff00_0000) == 0) return null;
        return Route.dev(a.network(), a.prefixLen(), a.ifindex()).withPrefSrc(a.local());
    }

    /**
     * Adds an address's route unless its slot is taken: by the route of an earlier address in the same subnet
     * (Linux's secondary addresses add no prefix route), or by one the administrator added.
     */
    private static void adopt(Table t, Route r) {
        if (r != null && t.find(r.dst(), r.prefixLen(), r.metric()) == null) t.insert(r);
    }

    /**
     * Removes an address's route if the table still holds it as made, then gives the slot to the first remaining
     * address that wants the same one (Linux promotes a secondary address when the primary goes).
     */
    private void release(Table t, Route r, Function<IfAddr, Route> routeOf) {
        if (r == null || t.remove(r.dst(), r.prefixLen(), r.metric(), r) == null) return;
        for (IfAddr b : ifaddrs) {
            Route heir = routeOf.apply(b);
            if (heir != null && heir.dst() == r.dst() && heir.prefixLen() == r.prefixLen()) {
                t.insert(heir);
                return;
            }
        }
    }

    private Table tableFor(Route r) { return r.type() == Route.Type.LOCAL ? local : main; }

    /** One routing table: per-length hash tables behind one volatile reference. Writers hold the Fib's lock. */
    private static final class Table {
        private static final Comparator<Route> LISTING = Comparator
                .comparingLong((Route r) -> r.dst() & 0xffff_ffffL)
                .thenComparingInt(Route::prefixLen)
                .thenComparingInt(Route::metric);

        private volatile Snapshot snapshot = new Snapshot(new Level[33]);

        Route lookup(int daddr, int oif) {
            Snapshot s = snapshot;
            long lengths = s.populated;
            while (lengths != 0) {
                int len = 63 - Long.numberOfLeadingZeros(lengths);
                Route r = s.levels[len].find(daddr & IfAddr.mask(len), oif);
                if (r != null) return r;
                lengths &= ~(1L << len);
            }
            return null;
        }

        /** The route stored under exactly this key, or null. */
        Route find(int dst, int prefixLen, int metric) {
            Level level = snapshot.levels[prefixLen];
            Route[] group = level == null ? null : level.group(dst);
            if (group == null) return null;
            for (Route r : group) if (r.metric() == metric) return r;
            return null;
        }

        void insert(Route r) {
            Level level = snapshot.levels[r.prefixLen()];
            Route[] group = level == null ? null : level.group(r.dst());
            Route[] grown;
            if (group == null) grown = new Route[] {r};
            else {
                for (Route x : group) {
                    if (x.metric() == r.metric()) throw new IllegalArgumentException("EEXIST: " + x);
                }
                grown = Arrays.copyOf(group, group.length + 1);
                grown[group.length] = r;
                Arrays.sort(grown, Comparator.comparingInt(Route::metric));
            }
            publish(r.prefixLen(), Level.replace(level, r.dst(), grown));
        }

        /** Removes the route at the key if it equals {@code expect} (or whatever it is, when null). */
        Route remove(int dst, int prefixLen, int metric, Route expect) {
            Route victim = find(dst, prefixLen, metric);
            if (victim == null || (expect != null && !victim.equals(expect))) return null;
            Level level = snapshot.levels[prefixLen];
            Route[] rest = Arrays.stream(level.group(dst)).filter(x -> x != victim).toArray(Route[]::new);
            publish(prefixLen, Level.replace(level, dst, rest.length == 0 ? null : rest));
            return victim;
        }

        private void publish(int prefixLen, Level level) {
            Level[] levels = snapshot.levels.clone();
            levels[prefixLen] = level;
            snapshot = new Snapshot(levels);
        }

        List<Route> routes() {
            List<Route> all = new ArrayList<>();
            for (Level level : snapshot.levels) if (level != null) level.forEachGroup(g -> all.addAll(Arrays.asList(g)));
            all.sort(LISTING);
            return all;
        }
    }

    /** An immutable table state: the levels and the mask of prefix lengths that have any route. */
    private static final class Snapshot {
        final Level[] levels;
        final long populated;

        Snapshot(Level[] levels) {
            this.levels = levels;
            long mask = 0;
            for (int len = 0; len < levels.length; len++) if (levels[len] != null) mask |= 1L << len;
            this.populated = mask;
        }
    }

    /**
     * The routes of one prefix length: an immutable open-addressing table from network to its routes sorted by
     * metric, at most half full, probed linearly from a Fibonacci hash of the network.
     */
    private static final class Level {
        private final int[] keys;
        private final Route[][] groups;
        private final int shift;

        private Level(List<Route[]> content) {
            int capacity = Math.max(2, Integer.highestOneBit(2 * content.size() - 1) << 1);
            keys = new int[capacity];
            groups = new Route[capacity][];
            shift = Integer.numberOfLeadingZeros(capacity) + 1;
            for (Route[] g : content) {
                int i = slot(g[0].dst());
                while (groups[i] != null) i = (i + 1) & (capacity - 1);
                keys[i] = g[0].dst();
                groups[i] = g;
            }
        }

        /** A copy of {@code old} (which may be null) with the routes of {@code dst} set to {@code group}, or removed. */
        static Level replace(Level old, int dst, Route[] group) {
            List<Route[]> content = new ArrayList<>();
            if (old != null) old.forEachGroup(g -> { if (g[0].dst() != dst) content.add(g); });
            if (group != null) content.add(group);
            return content.isEmpty() ? null : new Level(content);
        }

        private int slot(int key) { return (key * 0x9e37_79b9) >>> shift; }

        Route[] group(int key) {
            int mask = keys.length - 1;
            for (int i = slot(key); groups[i] != null; i = (i + 1) & mask) {
                if (keys[i] == key) return groups[i];
            }
            return null;
        }

        /** The lowest-metric route for {@code key} usable through {@code oif} (0: any device), or null. */
        Route find(int key, int oif) {
            Route[] group = group(key);
            if (group == null) return null;
            for (Route r : group) {
                if (oif == 0 || r.ifindex() == oif || r.type().error() < 0) return r;
            }
            return null;
        }

        void forEachGroup(Consumer<Route[]> action) {
            for (Route[] g : groups) if (g != null) action.accept(g);
        }
    }
}
