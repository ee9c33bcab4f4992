package io.inet4j.ipv4.route;

import io.inet4j.ipv4.ip.IfAddr;
import io.inet4j.socket.Errno;
import io.inet4j.socket.SockAddrIn;

/**
 * One route of the FIB (a {@code fib_alias} with its single-nexthop {@code fib_info}): what {@code ip route add}
 * describes. Addresses are ints in network order as elsewhere; {@code gateway == 0} means the destination is
 * on-link, {@code prefSrc == 0} means no preferred source; {@code metrics} are its {@code RTA_METRICS}
 * ({@link RouteMetrics#NONE} for none).
 *
 * <p>The constructor applies the checks {@code fib_create_info} does, so a {@code Route} that exists is valid.
 */
public record Route(int dst, int prefixLen, int gateway, int ifindex, int prefSrc, int metric, Type type,
                    Scope scope, RouteMetrics metrics) {

    /**
     * The route type ({@code RTN_*}). Reject types carry the error an output lookup that hits them returns, as
     * in the kernel's {@code fib_props} table.
     */
    public enum Type {
        /** RTN_UNICAST: a gateway or direct route. */
        UNICAST(0),
        /** RTN_LOCAL: the destination is an address of this host. */
        LOCAL(0),
        /** RTN_BLACKHOLE: silently discard. */
        BLACKHOLE(Errno.EINVAL.neg()),
        /** RTN_UNREACHABLE: ICMP host unreachable. */
        UNREACHABLE(Errno.EHOSTUNREACH.neg()),
        /** RTN_PROHIBIT: ICMP communication administratively prohibited. */
        PROHIBIT(Errno.EACCES.neg());

        private final int error;

        Type(int error) { this.error = error; }

        /** 0 for a usable route, else the negative errno of {@code fib_props[type].error}. */
        public int error() { return error; }
    }

    /** How far the destination is ({@code RT_SCOPE_*}). */
    public enum Scope {
        /** RT_SCOPE_UNIVERSE: anywhere, usually through a gateway. */
        UNIVERSE,
        /** RT_SCOPE_LINK: on a directly attached link. */
        LINK,
        /** RT_SCOPE_HOST: this host. */
        HOST
    }

    public Route {
        if (prefixLen < 0 || prefixLen > 32) throw new IllegalArgumentException("EINVAL: prefix length " + prefixLen);
        if ((dst & ~IfAddr.mask(prefixLen)) != 0) {
            throw new IllegalArgumentException("EINVAL: invalid prefix for given prefix length: "
                    + SockAddrIn.formatAddress(dst) + "/" + prefixLen);
        }
        if (metric < 0) throw new IllegalArgumentException("EINVAL: metric " + metric);
        if (type == null || scope == null) throw new IllegalArgumentException("EINVAL: type and scope are required");
        if (type.error() < 0) {
            if (gateway != 0 || ifindex != 0) {
                throw new IllegalArgumentException("EINVAL: gateway and device can not be specified for " + type);
            }
        } else if (ifindex <= 0) {
            throw new IllegalArgumentException("ENODEV: " + type + " route needs a device");
        }
        if (gateway != 0 && (type != Type.UNICAST || scope != Scope.UNIVERSE)) {
            throw new IllegalArgumentException("EINVAL: nexthop has invalid scope");
        }
        if (metrics == null) throw new IllegalArgumentException("EINVAL: metrics are required (RouteMetrics.NONE)");
    }

    /** A route without metrics. */
    public Route(int dst, int prefixLen, int gateway, int ifindex, int prefSrc, int metric, Type type, Scope scope) {
        this(dst, prefixLen, gateway, ifindex, prefSrc, metric, type, scope, RouteMetrics.NONE);
    }

    /** {@code ip route add dst/len via gateway dev ifindex}. */
    public static Route via(int dst, int prefixLen, int gateway, int ifindex) {
        if (gateway == 0) throw new IllegalArgumentException("EINVAL: gateway 0.0.0.0");
        return new Route(dst, prefixLen, gateway, ifindex, 0, 0, Type.UNICAST, Scope.UNIVERSE);
    }

    /** {@code ip route add dst/len dev ifindex}: on-link, so scope link as iproute2 defaults it. */
    public static Route dev(int dst, int prefixLen, int ifindex) {
        return new Route(dst, prefixLen, 0, ifindex, 0, 0, Type.UNICAST, Scope.LINK);
    }

    /** The local-table entry for an address of this host ({@code local A dev X scope host src A}). */
    public static Route local(int addr, int ifindex) {
        return new Route(addr, 32, 0, ifindex, addr, 0, Type.LOCAL, Scope.HOST);
    }

    /** {@code ip route add blackhole|unreachable|prohibit dst/len}. */
    public static Route reject(Type type, int dst, int prefixLen) {
        if (type.error() == 0) throw new IllegalArgumentException("EINVAL: " + type + " is not a reject type");
        return new Route(dst, prefixLen, 0, 0, 0, 0, type, Scope.UNIVERSE);
    }

    public Route withMetric(int m) { return new Route(dst, prefixLen, gateway, ifindex, prefSrc, m, type, scope, metrics); }

    public Route withPrefSrc(int src) { return new Route(dst, prefixLen, gateway, ifindex, src, metric, type, scope, metrics); }

    /** This route with {@code m} as its {@code RTA_METRICS} ({@code ip route add ... congctl NAME}). */
    public Route withMetrics(RouteMetrics m) { return new Route(dst, prefixLen, gateway, ifindex, prefSrc, metric, type, scope, m); }

    /** True when {@code addr} falls in this route's prefix. */
    public boolean matches(int addr) { return (addr & IfAddr.mask(prefixLen)) == dst; }

    /** The route as {@code ip route} prints it, with {@code dev#N} for the device. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (type != Type.UNICAST) sb.append(type.name().toLowerCase()).append(' ');
        if (prefixLen == 0) sb.append("default");
        else {
            sb.append(SockAddrIn.formatAddress(dst));
            if (prefixLen != 32) sb.append('/').append(prefixLen);
        }
        if (gateway != 0) sb.append(" via ").append(SockAddrIn.formatAddress(gateway));
        if (ifindex != 0) sb.append(" dev#").append(ifindex);
        if (scope != Scope.UNIVERSE) sb.append(" scope ").append(scope.name().toLowerCase());
        if (prefSrc != 0) sb.append(" src ").append(SockAddrIn.formatAddress(prefSrc));
        if (metric != 0) sb.append(" metric ").append(metric);
        if (metrics.congctl() != null) sb.append(' ').append(metrics);
        return sb.toString();
    }
}
