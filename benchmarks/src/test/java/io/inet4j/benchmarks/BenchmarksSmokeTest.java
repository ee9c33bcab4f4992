package io.inet4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each benchmark method runs once per parameter value, untimed: the suite stays runnable as the stack changes. */
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

    @ParameterizedTest
    @ValueSource(ints = {64, 1500, 65536})
    void checksumFoldsToSixteenBits(int size) {
        ChecksumBenchmark b = new ChecksumBenchmark();
        b.size = size;
        b.setUp();
        assertThat(b.checksum()).isBetween(0, 0xffff);
    }

    @Test
    void tcpHeaderParsesWhatItBuilt() {
        TcpHeaderBenchmark b = new TcpHeaderBenchmark();
        b.setUp();
        assertThat(b.build()).isEqualTo(32);
        assertThat(b.parse()).as("a valid header parses").isNotEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1448})
    void segmentsEchoWhole(int payload) throws Exception {
        SegmentBenchmark b = new SegmentBenchmark();
        b.payload = payload;
        b.setUp();
        try {
            for (int i = 0; i < 3; i++) assertThat(b.echo()).isEqualTo(payload);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10_000, 100_000})
    void timerWheelKeepsItsTimersArmed(int armed) {
        TimerWheelBenchmark b = new TimerWheelBenchmark();
        b.armed = armed;
        b.setUp();
        assertThat(b.rearm()).isEqualTo(armed);
        assertThat(b.armAndCancel()).isTrue();
        assertThat(b.advance()).isNotNegative();
        assertThat(b.nextWakeup()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 900, 990})
    void aPortIsFoundInTheRange(int occupied) throws Exception {
        PortChoiceBenchmark b = new PortChoiceBenchmark();
        b.occupied = occupied;
        b.setUp();
        try {
            assertThat(b.bind()).isBetween(40_000, 40_999);
            assertThat(b.connect()).isBetween(40_000, 40_999);
        } finally {
            b.tearDown();
        }
    }
}
