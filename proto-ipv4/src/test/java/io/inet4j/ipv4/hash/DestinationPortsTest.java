package io.inet4j.ipv4.hash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-destination port set: a list while small, a bitmap while crowded. */
class DestinationPortsTest {
    @Test
    void turnsDenseAtTheThresholdAndSparseAgainAtHalf() {
        DestinationPorts ports = new DestinationPorts(0, 0);
        for (int p = 0; p < DestinationPorts.DENSE; p++) ports.add(40000 + 2 * p);
        assertThat(ports.dense()).isNull();
        ports.add(50001);
        assertThat(ports.dense()).isNotNull();
        assertThat(ports.dense().nextClear(50001, 50003)).isEqualTo(50003);
        assertThat(ports.dense().nextClear(40000, 41000)).isEqualTo(40000 + 2 * DestinationPorts.DENSE);

        ports.remove(50001);
        int removed = 0;
        while (ports.count() >= DestinationPorts.DENSE / 2) {
            assertThat(ports.dense()).isNotNull();
            ports.remove(40000 + 2 * removed++);
        }
        assertThat(ports.dense()).isNull();
        assertThat(ports.count()).isEqualTo(DestinationPorts.DENSE / 2 - 1);
        while (removed < DestinationPorts.DENSE) ports.remove(40000 + 2 * removed++);
        assertThat(ports.count()).isZero();
    }
}
