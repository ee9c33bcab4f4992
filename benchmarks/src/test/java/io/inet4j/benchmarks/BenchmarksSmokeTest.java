package io.inet4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each benchmark method runs once per hook set, untimed: the suite stays runnable as the stack changes. */
class BenchmarksSmokeTest {
    @ParameterizedTest
    @ValueSource(strings = {StackHooks.NONE, StackHooks.PACKET_ACCEPT})
    void echoComesBack(String hooks) throws Exception {
        PacketPathBenchmark b = new PacketPathBenchmark();
        b.hooks = hooks;
        b.setUp();
        try {
            assertThat(b.echo()).isEqualTo(64);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StackHooks.NONE, StackHooks.PACKET_ACCEPT})
    void connectIsAccepted(String hooks) throws Exception {
        ConnectBenchmark b = new ConnectBenchmark();
        b.hooks = hooks;
        b.setUp();
        try {
            for (int i = 0; i < 3; i++) assertThat(b.connect()).as("accepted socket writable").isPositive();
        } finally {
            b.tearDown();
        }
    }
}
