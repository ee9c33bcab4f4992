package io.inet4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scale driver in miniature, both ways of calling: more connections from one address than the port range has
 * ports (100 ports, 3 server addresses, 300 connections), all accepted, and a report with the heap per end and its
 * classes. Untimed: the figures themselves are measured by hand (README.md here).
 */
class ScaleDriverTest {
    @ParameterizedTest
    @ValueSource(strings = {"loop", "app"})
    void opensMoreConnectionsThanPortsFromOneAddress(String calls) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ScaleDriver.Result r;
        try (ScaleDriver d = new ScaleDriver(Map.of("n", "300", "addrs", "3", "ports", "1", "batch", "64",
                "calls", calls, "port-range", "40000 40099", "top", "5"))) {
            r = d.run(new PrintStream(text, true, StandardCharsets.UTF_8));
        }
        assertThat(r.connected()).isEqualTo(300);
        assertThat(r.accepted()).isEqualTo(300);
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("opened 300 connections", "bytes per idle connection end", "io.inet4j.tcp.TcpSock");
    }

    /** With {@code --exchange}: every connection's bytes go there and back before the heap is measured. */
    @ParameterizedTest
    @ValueSource(strings = {"loop", "app"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyConnectionCarriesItsBytesBeforeItIsMeasuredIdle(String calls) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (ScaleDriver d = new ScaleDriver(Map.of("n", "300", "addrs", "3", "ports", "1", "batch", "64",
                "calls", calls, "port-range", "40000 40099", "exchange", "3"))) {
            d.run(new PrintStream(text, true, StandardCharsets.UTF_8));
        }
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("each connection carried 3 bytes each way", "bytes per idle connection end");
    }
}
