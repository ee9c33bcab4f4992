package io.inet4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each benchmark method runs once per hook set, untimed: the suite stays runnable as the stack changes. */
class BenchmarksSmokeTest {
    @ParameterizedTest
    @ValueSource(strings = {StackHooks.NONE, StackHooks.PACKET_ACCEPT, StackHooks.CGROUP_ALLOW})
    void eachBenchmarkRunsOnce(String hooks) throws Exception {
        PacketPathBenchmark echo = new PacketPathBenchmark();
        echo.hooks = hooks;
        echo.setUp();
        try {
            assertThat(echo.echo()).as("echo reply length").isEqualTo(64);
        } finally {
            echo.tearDown();
        }
        ConnectBenchmark connect = new ConnectBenchmark();
        connect.hooks = hooks;
        connect.setUp();
        try {
            for (int i = 0; i < 3; i++) assertThat(connect.connect()).as("accepted socket's poll mask").isPositive();
        } finally {
            connect.tearDown();
        }
    }
}
