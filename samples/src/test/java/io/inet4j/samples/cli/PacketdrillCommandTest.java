package io.inet4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code inet4j packetdrill}: exit 0 when every script passes, 1 when one fails, 2 when one cannot be read. */
class PacketdrillCommandTest {
    private static final Path PASSING = Path.of("../testkit/src/test/resources/packetdrill/passive-open-mss.pkt");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void passingScriptExitsZero() {
        assertThat(run("packetdrill", PASSING.toString())).isZero();
        assertThat(out.toString()).contains("PASS  " + PASSING + " (0.200 s of virtual time)").contains("1 scripts: 1 passed, 0 failed");
    }

    @Test
    void aFailingScriptMakesItExitOne(@TempDir Path dir) throws Exception {
        Path wrong = dir.resolve("wrong.pkt");
        Files.writeString(wrong, Files.readString(PASSING).replace("> S. 0:0(0) ack 1 win 65160 <mss 1460,", "> S. 0:0(0) ack 1 win 65160 <mss 536,"));
        assertThat(run("packetdrill", "--tolerance-usecs", "10000", PASSING.toString(), wrong.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("PASS  " + PASSING)
                .contains("FAIL  " + wrong)
                .contains("line 11: expected > S. 0:0(0) ack 1 win 65160 <mss 536,")
                .contains("2 scripts: 1 passed, 1 failed, 0 with skipped lines");
    }

    @Test
    void aMissingFileIsOneLineOnStderrAndExitTwo(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pkt");
        assertThat(run("packetdrill", PASSING.toString(), missing.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("inet4j packetdrill: cannot read " + missing + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    /** The hook options reach each script's stack: a denied connect is the script's EPERM, not its success. */
    @Test
    void hookOptionsApplyToTheScriptsStack() {
        Path connect = Path.of("../testkit/src/test/resources/packetdrill/active-open-blocking.pkt");
        assertThat(run("packetdrill", connect.toString())).isZero();
        assertThat(run("packetdrill", "--deny-connect", "192.0.2.0/24", connect.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("FAIL  " + connect).contains("EPERM");
    }
}
