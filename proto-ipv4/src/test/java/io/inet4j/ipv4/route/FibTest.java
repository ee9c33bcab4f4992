package io.inet4j.ipv4.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.IfAddr;
import io.inet4j.socket.Errno;
import io.inet4j.socket.SockAddrIn;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FibTest {
    private final DevInet devinet = new DevInet();
    private final Fib fib = new Fib(devinet);
    private final RouteResult res = new RouteResult();

    private static int ip(String s) { return SockAddrIn.parseAddress(s); }

    private Route lookup(String daddr) { return fib.lookup(ip(daddr)); }

    @Nested
    class LongestPrefixMatch {
        private final Route dflt = Route.via(0, 0, ip("192.168.0.1"), 1);
        private final Route net8 = Route.via(ip("10.0.0.0"), 8, ip("192.168.0.2"), 1);
        private final Route net16 = Route.via(ip("10.1.0.0"), 16, ip("192.168.0.3"), 1);
        private final Route net24 = Route.dev(ip("10.1.2.0"), 24, 2);
        private final Route host32 = Route.via(ip("10.1.2.3"), 32, ip("192.168.0.4"), 1);

        @Test
        void mostSpecificPrefixWins() {
            for (Route r : List.of(net24, dflt, host32, net8, net16)) fib.add(r);

            assertThat(lookup("10.1.2.3")).isEqualTo(host32);
            assertThat(lookup("10.1.2.4")).isEqualTo(net24);
            assertThat(lookup("10.1.3.4")).isEqualTo(net16);
            assertThat(lookup("10.2.0.1")).isEqualTo(net8);
            assertThat(lookup("11.0.0.1")).isEqualTo(dflt);
            assertThat(lookup("255.255.255.254")).isEqualTo(dflt);
        }

        @Test
        void noDefaultRouteMeansNoRoute() {
            fib.add(net8);
            assertThat(lookup("11.0.0.1")).isNull();
            assertThat(lookup("0.0.0.0")).isNull();
        }

        @Test
        void lowestMetricWinsAmongEqualPrefixes() {
            Route slow = Route.via(ip("10.1.0.0"), 16, ip("192.168.0.5"), 1).withMetric(100);
            Route fast = Route.via(ip("10.1.0.0"), 16, ip("192.168.0.6"), 1).withMetric(50);
            fib.add(slow);
            fib.add(fast);
            fib.add(net8.withMetric(1));

            assertThat(lookup("10.1.9.9")).isEqualTo(fast);
            assertThat(fib.remove(fast)).isTrue();
            assertThat(lookup("10.1.9.9")).isEqualTo(slow);
        }

        @Test
        void exactDuplicateIsEexistButAnotherMetricIsNot() {
            fib.add(net16);
            assertThatThrownBy(() -> fib.add(Route.dev(ip("10.1.0.0"), 16, 3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("EEXIST");
            fib.add(Route.dev(ip("10.1.0.0"), 16, 3).withMetric(10));
            assertThat(fib.routes()).hasSize(2);
        }

        @Test
        void removalFallsBackToShorterPrefixes() {
            for (Route r : List.of(dflt, net8, net16, net24)) fib.add(r);

            assertThat(fib.remove(ip("10.1.2.0"), 24, 0)).isEqualTo(net24);
            assertThat(lookup("10.1.2.4")).isEqualTo(net16);
            assertThat(fib.remove(net16.withMetric(7))).as("different metric, not in the table").isFalse();
            assertThat(fib.remove(Route.dev(ip("10.1.0.0"), 16, 9))).as("same key, other route").isFalse();
            assertThat(fib.remove(net16)).isTrue();
            assertThat(fib.remove(ip("10.1.0.0"), 16, 0)).isNull();
            assertThat(lookup("10.1.2.4")).isEqualTo(net8);
            fib.remove(net8);
            fib.remove(dflt);
            assertThat(lookup("10.1.2.4")).isNull();
            assertThat(fib.routes()).isEmpty();
        }

        @Test
        void listsLikeIpRoute() {
            for (Route r : List.of(host32, net24, net8.withMetric(5), dflt, Route.reject(Route.Type.PROHIBIT, ip("172.16.0.0"), 12))) {
                fib.add(r);
            }
            assertThat(fib.routes()).extracting(Route::toString).containsExactly(
                    "default via 192.168.0.1 dev#1",
                    "10.0.0.0/8 via 192.168.0.2 dev#1 metric 5",
                    "10.1.2.0/24 dev#2 scope link",
                    "10.1.2.3 via 192.168.0.4 dev#1",
                    "prohibit 172.16.0.0/12");
        }

        @Test
        void agreesWithALinearScanOnRandomTables() {
            Random rnd = new Random(42);
            List<Route> all = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int len = rnd.nextInt(33);
                // Few distinct high bits so prefixes nest and overlap often.
                int dst = (rnd.nextInt(4) << 30 | rnd.nextInt(4) << 20 | rnd.nextInt()) & IfAddr.mask(len);
                Route r = Route.dev(dst, len, 1 + rnd.nextInt(3)).withMetric(rnd.nextInt(4));
                if (all.stream().noneMatch(x -> x.dst() == dst && x.prefixLen() == len && x.metric() == r.metric())) {
                    fib.add(r);
                    all.add(r);
                }
            }
            Comparator<Route> best = Comparator.comparingInt((Route r) -> -r.prefixLen()).thenComparingInt(Route::metric);
            for (int i = 0; i < 20_000; i++) {
                int daddr = rnd.nextInt(4) << 30 | rnd.nextInt(4) << 20 | rnd.nextInt(1 << 20);
                int oif = rnd.nextInt(4);
                Route expected = all.stream().filter(r -> r.matches(daddr) && (oif == 0 || r.ifindex() == oif))
                        .min(best).orElse(null);
                assertThat(fib.fibLookup(daddr, oif)).as("lookup %08x oif %d", daddr, oif).isEqualTo(expected);
            }
        }

        @Test
        void lookupAllocatesNothing() {
            for (Route r : List.of(dflt, net8, net16, net24, host32)) fib.add(r);
            var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            int[] dsts = {ip("10.1.2.3"), ip("10.1.2.4"), ip("10.1.3.4"), ip("10.2.0.1"), ip("11.0.0.1")};
            int hits = 0;
            for (int i = 0; i < 100_000; i++) if (fib.lookup(dsts[i % 5]) != null) hits++;
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) if (fib.lookup(dsts[i % 5]) != null) hits++;
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;

            assertThat(hits).isEqualTo(200_000);
            assertThat(allocated).as("bytes allocated by 100k lookups").isLessThan(1024);
        }
    }

    @Nested
    class RouteValidation {
        @Test
        void hostBitsBeyondThePrefixAreRejected() {
            assertThatThrownBy(() -> Route.dev(ip("10.1.2.3"), 24, 1)).hasMessageContaining("invalid prefix");
        }

        @Test
        void rejectRoutesTakeNoDeviceAndUnicastNeedsOne() {
            assertThatThrownBy(() -> new Route(0, 0, 0, 1, 0, 0, Route.Type.BLACKHOLE, Route.Scope.UNIVERSE))
                    .hasMessageStartingWith("EINVAL");
            assertThatThrownBy(() -> Route.dev(0, 0, 0)).hasMessageStartingWith("ENODEV");
        }

        @Test
        void gatewayNeedsUniverseScope() {
            assertThatThrownBy(() -> new Route(0, 0, ip("10.0.0.1"), 1, 0, 0, Route.Type.UNICAST, Route.Scope.LINK))
                    .hasMessageContaining("scope");
        }
    }

    @Nested
    class FollowsAddresses {
        private final IfAddr a = IfAddr.parse(1, "10.1.2.3/24");

        @Test
        void addressAddsPrefixAndLocalRoutes() {
            devinet.add(a);

            assertThat(fib.routes()).extracting(Route::toString).containsExactly("10.1.2.0/24 dev#1 scope link src 10.1.2.3");
            assertThat(fib.localRoutes()).extracting(Route::toString).containsExactly("local 10.1.2.3 dev#1 scope host src 10.1.2.3");
            assertThat(lookup("10.1.2.3").type()).isEqualTo(Route.Type.LOCAL);
            assertThat(lookup("10.1.2.99")).isEqualTo(Route.dev(ip("10.1.2.0"), 24, 1).withPrefSrc(ip("10.1.2.3")));
        }

        @Test
        void removingTheAddressRemovesItsRoutes() {
            devinet.add(a);
            devinet.remove(a);

            assertThat(fib.routes()).isEmpty();
            assertThat(fib.localRoutes()).isEmpty();
            assertThat(lookup("10.1.2.3")).isNull();
        }

        @Test
        void hostAddressGetsNoPrefixRoute() {
            devinet.add(IfAddr.parse(1, "10.9.9.9/32"));
            assertThat(fib.routes()).isEmpty();
            assertThat(fib.localRoutes()).hasSize(1);
        }

        @Test
        void secondAddressInTheSubnetInheritsThePrefixRoute() {
            IfAddr b = IfAddr.parse(1, "10.1.2.4/24");
            devinet.add(a);
            devinet.add(b);
            assertThat(fib.routes()).extracting(Route::toString).containsExactly("10.1.2.0/24 dev#1 scope link src 10.1.2.3");

            devinet.remove(a);
            assertThat(fib.routes()).extracting(Route::toString).containsExactly("10.1.2.0/24 dev#1 scope link src 10.1.2.4");
            assertThat(fib.localRoutes()).extracting(Route::toString).containsExactly("local 10.1.2.4 dev#1 scope host src 10.1.2.4");
        }

        @Test
        void administratorsRouteOutlivesTheAddress() {
            Route mine = Route.dev(ip("10.1.2.0"), 24, 2);
            fib.add(mine);
            devinet.add(a);
            devinet.remove(a);
            assertThat(fib.routes()).containsExactly(mine);
        }

        @Test
        void addressesPresentBeforeTheFibAreFollowed() {
            DevInet other = new DevInet();
            other.add(a);
            Fib late = new Fib(other);
            assertThat(late.routes()).hasSize(1);
            other.remove(a);
            assertThat(late.routes()).isEmpty();
        }
    }

    @Nested
    class OutputRouting {
        private final IfAddr eth0 = IfAddr.parse(1, "192.168.0.10/24");
        private final IfAddr eth1a = IfAddr.parse(2, "10.1.2.3/24");
        private final IfAddr eth1b = IfAddr.parse(2, "10.5.0.7/16");

        private void addresses() {
            devinet.add(eth0);
            devinet.add(eth1a);
            devinet.add(eth1b);
        }

        @Test
        void selectSourcePrefersTheRoutesSource() {
            addresses();
            Route r = Route.via(ip("172.16.0.0"), 12, ip("10.5.0.1"), 2);
            assertThat(Fib.selectSource(r, ip("172.16.1.1"), devinet)).as("address in the gateway's subnet").isEqualTo(ip("10.5.0.7"));
            assertThat(Fib.selectSource(r.withPrefSrc(ip("10.1.2.3")), ip("172.16.1.1"), devinet)).isEqualTo(ip("10.1.2.3"));
            Route onLink = Route.dev(ip("10.1.2.0"), 24, 2);
            assertThat(Fib.selectSource(onLink, ip("10.1.2.9"), devinet)).as("address in the destination's subnet").isEqualTo(ip("10.1.2.3"));
            assertThat(Fib.selectSource(Route.dev(ip("20.0.0.0"), 8, 2), ip("20.0.0.1"), devinet)).as("device primary").isEqualTo(ip("10.1.2.3"));
        }

        @Test
        void viaGatewayTheNextHopIsTheGateway() {
            addresses();
            fib.add(Route.via(0, 0, ip("192.168.0.1"), 1));

            assertThat(fib.ipRouteOutput(ip("8.8.8.8"), 0, 0, res)).isZero();
            assertThat(res.nexthop()).isEqualTo(ip("192.168.0.1"));
            assertThat(res.saddr()).isEqualTo(ip("192.168.0.10"));
            assertThat(res.ifindex()).isEqualTo(1);
            assertThat(res.daddr()).isEqualTo(ip("8.8.8.8"));
        }

        @Test
        void onLinkTheNextHopIsTheDestination() {
            addresses();
            assertThat(fib.ipRouteOutput(ip("10.5.3.3"), 0, 0, res)).isZero();
            assertThat(res.nexthop()).isEqualTo(ip("10.5.3.3"));
            assertThat(res.saddr()).isEqualTo(ip("10.5.0.7"));
            assertThat(res.route().scope()).isEqualTo(Route.Scope.LINK);
        }

        @Test
        void boundSourceIsKeptAndMustBeLocal() {
            addresses();
            assertThat(fib.ipRouteOutput(ip("10.5.3.3"), ip("10.1.2.3"), 0, res)).isZero();
            assertThat(res.saddr()).isEqualTo(ip("10.1.2.3"));
            assertThat(fib.ipRouteOutput(ip("10.5.3.3"), ip("10.1.2.4"), 0, res)).isEqualTo(Errno.EINVAL.neg());
            assertThat(fib.ipRouteOutput(ip("10.5.3.3"), ip("224.0.0.1"), 0, res)).isEqualTo(Errno.EINVAL.neg());
        }

        @Test
        void ownAddressRoutesLocal() {
            addresses();
            assertThat(fib.ipRouteOutput(ip("10.1.2.3"), 0, 0, res)).isZero();
            assertThat(res.type()).isEqualTo(Route.Type.LOCAL);
            assertThat(res.saddr()).isEqualTo(ip("10.1.2.3"));
        }

        @Test
        void zeroDestinationMeansThisHost() {
            addresses();
            assertThat(fib.ipRouteOutput(0, 0, 0, res)).isZero();
            assertThat(res.type()).isEqualTo(Route.Type.LOCAL);
            assertThat(res.daddr()).isEqualTo(ip("192.168.0.10"));
            assertThat(fib.ipRouteOutput(0, ip("10.1.2.3"), 0, res)).isZero();
            assertThat(res.daddr()).isEqualTo(ip("10.1.2.3"));
        }

        @Test
        void boundDeviceRestrictsTheLookup() {
            addresses();
            fib.add(Route.via(0, 0, ip("192.168.0.1"), 1));
            assertThat(fib.ipRouteOutput(ip("10.1.2.9"), 0, 1, res)).as("/24 is on dev 2, default on dev 1").isZero();
            assertThat(res.nexthop()).isEqualTo(ip("192.168.0.1"));
            assertThat(fib.ipRouteOutput(ip("8.8.8.8"), 0, 2, res)).isEqualTo(Errno.ENETUNREACH.neg());
        }

        @Test
        void noRouteIsEnetunreach() {
            addresses();
            assertThat(fib.ipRouteOutput(ip("8.8.8.8"), 0, 0, res)).isEqualTo(Errno.ENETUNREACH.neg());
            assertThat(new Fib(new DevInet()).ipRouteOutput(0, 0, 0, res)).isEqualTo(Errno.ENETUNREACH.neg());
        }

        @Test
        void rejectRoutesGiveTheirErrorsWhateverTheDevice() {
            addresses();
            fib.add(Route.via(0, 0, ip("192.168.0.1"), 1));
            fib.add(Route.reject(Route.Type.BLACKHOLE, ip("20.0.0.0"), 8));
            fib.add(Route.reject(Route.Type.UNREACHABLE, ip("30.0.0.0"), 8));
            fib.add(Route.reject(Route.Type.PROHIBIT, ip("40.0.0.0"), 8));

            assertThat(fib.ipRouteOutput(ip("20.1.1.1"), 0, 0, res)).isEqualTo(Errno.EINVAL.neg());
            assertThat(fib.ipRouteOutput(ip("30.1.1.1"), 0, 0, res)).isEqualTo(Errno.EHOSTUNREACH.neg());
            assertThat(fib.ipRouteOutput(ip("40.1.1.1"), 0, 1, res)).isEqualTo(Errno.EACCES.neg());
            assertThat(fib.ipRouteOutput(ip("50.1.1.1"), 0, 0, res)).isZero();
        }
    }
}
