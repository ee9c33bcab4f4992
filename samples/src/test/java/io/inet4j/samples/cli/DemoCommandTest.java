package io.inet4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code inet4j demo} runs without root and shows the protocol table, a traced ping, a traced HTTP exchange over
 * TCP (handshake, request, answer, close) and the counters.
 */
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
        assertThat(text).containsPattern("10\\.0\\.0\\.1\\.\\d+ > 10\\.0\\.0\\.2\\.80: Flags \\[S\\], seq \\d+, win \\d+, options \\[mss 1460,sackOK,TS val \\d+ ecr 0,nop,wscale 7\\], length 0")
                .containsPattern("10\\.0\\.0\\.2\\.80 > 10\\.0\\.0\\.1\\.\\d+: Flags \\[S\\.\\], seq \\d+, ack \\d+")
                .containsPattern("Flags \\[P\\.\\], seq \\d+:\\d+, ack \\d+, win \\d+, options \\[nop,nop,TS val \\d+ ecr \\d+\\], length \\d+")
                .contains("a got: HTTP/1.1 200 OK, 54 bytes: <html><body><h1>Hello from stack b</h1></body></html>",
                        "a Tcp: ActiveOpens=1", "b Tcp: PassiveOpens=1");
        // Two FINs close the connection, one from each side.
        assertThat(text.split("Flags \\[F", -1)).hasSize(3);
        assertThat(exit).isZero();
    }

    /** The hook options reach the demo's stacks: each traces its side of the HTTP connection to stderr. */
    @Test
    void demoTracesConnectionsWithTheHookOptions() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        int exit;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new Main()).execute("demo", "-c", "1", "--trace-connections", "--deny-connect", "10.9.0.0/16");
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        // Any retransmission count: even in memory, a tail loss probe may resend the server's FIN when the client's
        // FIN+ACK is slower than 2 * srtt + 2 ms (tcp_schedule_loss_probe with two segments out), as Linux's would
        // on a loaded host.
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("tcp ")).toList()).satisfiesExactlyInAnyOrder(
                l -> assertThat(l).matches("tcp 10\\.0\\.0\\.1:\\d+ > 10\\.0\\.0\\.2:80 active tx=\\d+ rx=\\d+ retrans=\\d+ ms=.*"),
                l -> assertThat(l).matches("tcp 10\\.0\\.0\\.2:80 < 10\\.0\\.0\\.1:\\d+ passive tx=\\d+ rx=\\d+ retrans=\\d+ ms=.*"));
    }
}
