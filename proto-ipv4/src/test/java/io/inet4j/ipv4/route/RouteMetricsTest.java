package io.inet4j.ipv4.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.socket.SockAddrIn;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A route's metrics as {@code ip route} reads and prints them, and the FIB's check of {@code congctl}. */
class RouteMetricsTest {
    private static int ip(String s) { return SockAddrIn.parseAddress(s); }

    @Test
    void parsesCongctlWithAndWithoutLock() {
        assertThat(RouteMetrics.parse("congctl reno")).isEqualTo(RouteMetrics.congctl("reno"));
        assertThat(RouteMetrics.parse("  congctl   lock  cubic ")).isEqualTo(RouteMetrics.congctlLocked("cubic"));
        assertThat(RouteMetrics.parse("")).isSameAs(RouteMetrics.NONE);
        assertThat(RouteMetrics.parse("congctl reno congctl cubic")).as("the last one counts, as ip_metrics_convert takes them")
                .isEqualTo(RouteMetrics.congctl("cubic"));
    }

    @Test
    void printsAsIpRouteDoes() {
        assertThat(RouteMetrics.congctl("reno")).hasToString("congctl reno");
        assertThat(RouteMetrics.congctlLocked("reno")).hasToString("congctl lock reno");
        assertThat(RouteMetrics.NONE).hasToString("");
        Route r = Route.via(ip("10.9.0.0"), 16, ip("10.0.0.1"), 2).withMetrics(RouteMetrics.congctlLocked("reno"));
        assertThat(r).hasToString("10.9.0.0/16 via 10.0.0.1 dev#2 congctl lock reno");
        assertThat(Route.dev(ip("10.9.0.0"), 16, 2)).hasToString("10.9.0.0/16 dev#2 scope link");
    }

    @Test
    void malformedMetricsAreEinval() {
        assertThatThrownBy(() -> RouteMetrics.parse("congctl")).hasMessageStartingWith("EINVAL");
        assertThatThrownBy(() -> RouteMetrics.parse("congctl lock")).hasMessageStartingWith("EINVAL");
        assertThatThrownBy(() -> RouteMetrics.parse("initcwnd 10")).hasMessageStartingWith("EINVAL");
        assertThatThrownBy(() -> RouteMetrics.congctl("a-name-of-16-chr")).hasMessageStartingWith("EINVAL");
        assertThatThrownBy(() -> RouteMetrics.congctl("")).hasMessageStartingWith("EINVAL");
        assertThatThrownBy(() -> new RouteMetrics(null, true)).hasMessageStartingWith("EINVAL");
    }

    @Test
    void theFibRefusesAnAlgorithmTcpDoesNotHave() {
        Fib fib = new Fib(new DevInet(), Set.of("cubic", "reno")::contains);
        Route base = Route.dev(ip("10.9.0.0"), 16, 2);
        assertThatThrownBy(() -> fib.add(base.withMetrics(RouteMetrics.congctl("vegas"))))
                .hasMessage("EINVAL: Unknown tcp congestion algorithm 'vegas'");
        assertThat(fib.routes()).isEmpty();
        fib.add(base.withMetrics(RouteMetrics.congctl("reno")));
        assertThat(fib.lookup(ip("10.9.1.1")).metrics()).isEqualTo(RouteMetrics.congctl("reno"));
        assertThat(fib.lookup(ip("10.9.1.1")).withMetrics(RouteMetrics.NONE)).isEqualTo(base);
    }

    @Test
    void withoutTcpNoAlgorithmIsKnown() {
        Fib fib = new Fib(new DevInet());
        assertThatThrownBy(() -> fib.add(Route.dev(ip("10.9.0.0"), 16, 2).withMetrics(RouteMetrics.congctl("reno"))))
                .hasMessageStartingWith("EINVAL");
    }
}
