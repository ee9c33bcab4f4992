package io.inet4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code inet4j demo} runs without root and shows the protocol table, a traced ping and its statistics. */
class DemoCommandTest {
    @Test
    void demoShowsTableTraceAndReplies() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new Main()).execute("demo", "-c", "2");
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("io.inet4j.ipv4.icmp.PingProt", "io.inet4j.ipv4.icmp.IcmpRcv",
                "ARP, Request who-has 10.0.0.2 tell 10.0.0.1", "ICMP echo request, id", "ICMP echo reply",
                "2 packets transmitted, 2 received");
        assertThat(exit).isZero();
    }
}
