package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.route.RouteMetrics;
import io.inet4j.stack.StackConfig.RouteSpec;
import org.junit.jupiter.api.Test;

/** {@code ip route add}'s arguments as {@link RouteSpec#parse} reads them. */
class RouteSpecTest {
    @Test
    void parsesDestinationGatewayAndCongctl() {
        assertThat(RouteSpec.parse("10.9.0.0/16 via 10.0.0.1 congctl reno"))
                .isEqualTo(new RouteSpec("10.9.0.0/16", "10.0.0.1", RouteMetrics.congctl("reno")));
        assertThat(RouteSpec.parse("default via 10.0.0.1"))
                .isEqualTo(new RouteSpec("0.0.0.0/0", "10.0.0.1"));
        assertThat(RouteSpec.parse("10.0.0.2 congctl lock cubic"))
                .isEqualTo(new RouteSpec("10.0.0.2", null, RouteMetrics.congctlLocked("cubic")));
        assertThat(RouteSpec.parse("10.9.0.0/16 via 10.0.0.1 congctl lock reno"))
                .hasToString("10.9.0.0/16 via 10.0.0.1 congctl lock reno");
    }

    @Test
    void malformedRoutesAreEinval() {
        assertThatThrownBy(() -> RouteSpec.parse("  ")).hasMessageStartingWith("EINVAL");
        assertThatThrownBy(() -> RouteSpec.parse("default via")).hasMessageStartingWith("EINVAL");
        assertThatThrownBy(() -> RouteSpec.parse("default via 10.0.0.1 mtu 1400")).hasMessageStartingWith("EINVAL");
        assertThatThrownBy(() -> RouteSpec.parse("default congctl")).hasMessageStartingWith("EINVAL");
    }
}
