package io.inet4j.ipv4.route;

import io.inet4j.socket.SockAddrIn;

/**
 * What an output route lookup decided ({@code struct rtable} plus the {@code flowi4} fields
 * {@code ip_route_output_key} fills in): the route, the source address to use and the next hop to resolve with
 * ARP. Owned by the caller and refilled by every {@link Fib#ipRouteOutput} that returns 0, so the lookup
 * allocates nothing; its contents are meaningless after a lookup that failed.
 */
public final class RouteResult {
    private Route route;
    private int daddr;
    private int saddr;
    private int nexthop;

    void set(Route route, int daddr, int saddr, int nexthop) {
        this.route = route;
        this.daddr = daddr;
        this.saddr = saddr;
        this.nexthop = nexthop;
    }

    public Route route() { return route; }

    /** The destination looked up: the one asked for, or a local address when 0.0.0.0 meant "this host". */
    public int daddr() { return daddr; }

    /** The source address: the caller's hint, the route's preferred source, or {@code inet_select_addr}'s pick. */
    public int saddr() { return saddr; }

    /** The address to resolve on the link ({@code rt_nexthop}): the gateway, or the destination when on-link. */
    public int nexthop() { return nexthop; }

    /** The output device. */
    public int ifindex() { return route.ifindex(); }

    public Route.Type type() { return route.type(); }

    @Override
    public String toString() {
        if (route == null) return "(none)";
        return route + " -> src " + SockAddrIn.formatAddress(saddr) + " nexthop " + SockAddrIn.formatAddress(nexthop);
    }
}
