package io.inet4j.testkit.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The runner fails a wrong script at the line that is wrong, saying what it expected and what the stack did. */
class PacketdrillRunnerTest {
    /** A passive open; line 6 is the SYN-ACK, line 9 the accept. */
    private static final String OPEN = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
               +0 bind(3, ..., ...) = 0
               +0 listen(3, 1) = 0

              +.1 < S 0:0(0) win 32792 <mss 1000>
               +0 > S. 0:0(0) ack 1 win 64240 <mss 1460>
              +.1 < . 1:1(0) ack 1 win 32792
               +0 accept(3, ..., ...) = 4
            """;

    private static ScriptResult run(String text) {
        return new PacketdrillRunner(PacketdrillRunner.DEFAULT_TOLERANCE_USECS).run(ScriptParser.parse("test.pkt", text));
    }

    private static void assertFails(String script, String... fragments) {
        ScriptResult r = run(script);
        assertThat(r.status()).as(String.join("\n", r.messages())).isEqualTo(ScriptResult.Status.FAIL);
        assertThat(r.messages().get(0)).contains(fragments);
    }

    @Test
    void theRightScriptPasses() {
        ScriptResult r = run(OPEN);
        assertThat(r.messages()).isEmpty();
        assertThat(r.status()).isEqualTo(ScriptResult.Status.PASS);
    }

    @Test
    void wrongFlags() {
        assertFails(OPEN.replace("> S. 0:0(0)", "> S 0:0(0)"), "line 6:", "flags S != S.", "the stack sent > S. 0:0(0) ack 1");
    }

    @Test
    void wrongSeq() {
        String s = OPEN + """
               +0 write(4, ..., 10) = 10
               +0 > P. 2:12(10) ack 1
            """;
        assertFails(s, "line 10:", "seq 2 != 1");
    }

    @Test
    void wrongAck() {
        assertFails(OPEN.replace("> S. 0:0(0) ack 1", "> S. 0:0(0) ack 7"), "line 6:", "ack 7 != 1");
    }

    @Test
    void wrongWindow() {
        assertFails(OPEN.replace("win 64240", "win 1000"), "line 6:", "win 1000 != 64240");
    }

    @Test
    void wrongUrgentPointer() {
        assertFails(OPEN.replace("ack 1 win 64240", "ack 1 urg 5 win 64240"), "line 6:", "urg 5 != 0");
    }

    @Test
    void wrongOption() {
        assertFails(OPEN.replace("<mss 1460>", "<mss 1460,nop,wscale 7>"), "line 6:", "options <mss 1460,nop,wscale 7> != <mss 1460>");
    }

    @Test
    void wrongEcnField() {
        assertFails(OPEN.replace("> S. 0:0(0)", "> [ect0] S. 0:0(0)"), "line 6:", "ecn ect0 != noecn");
        assertFails(OPEN.replace("> S. 0:0(0)", "> [ect01] S. 0:0(0)"), "line 6:", "ecn ect01 != noecn");
        assertThat(run(OPEN.replace("> S. 0:0(0)", "> [noecn] S. 0:0(0)")).status()).isEqualTo(ScriptResult.Status.PASS);
    }

    @Test
    void optionsNotCheckedWithEllipsis() {
        assertThat(run(OPEN.replace("<mss 1460>", "<...>")).status()).isEqualTo(ScriptResult.Status.PASS);
    }

    @Test
    void wrongErrno() {
        assertFails(OPEN.replace("listen(3, 1) = 0", "listen(3, 1) = -1 EADDRINUSE (Address already in use)"),
                "line 3:", "listen returned 0, expected -1 EADDRINUSE");
        assertFails(OPEN + "   +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n   +0 accept(3, ..., ...) = -1 EINVAL (Invalid argument)\n", "line 10:",
                "accept returned -1 EAGAIN (Resource temporarily unavailable), expected -1 EINVAL");
    }

    @Test
    void aClosedDescriptorIsEbadf() {
        String s = OPEN + """
               +0 close(4) = 0
               +0 > F. 1:1(0) ack 1
               +0 read(4, ..., 10) = 0
            """;
        assertFails(s, "line 11:", "read returned -1 EBADF");
        assertThat(run(s.replace("read(4, ..., 10) = 0", "read(4, ..., 10) = -1 EBADF (Bad file descriptor)")).status())
                .isEqualTo(ScriptResult.Status.PASS);
    }

    @Test
    void wrongReturnValue() {
        assertFails(OPEN.replace("accept(3, ..., ...) = 4", "accept(3, ..., ...) = 5"), "line 8:", "accept returned 4, expected 5");
    }

    @Test
    void packetTooEarly() {
        assertFails(OPEN.replace("   +0 > S. 0:0(0)", "  +.2 > S. 0:0(0)"), "line 6:",
                "outbound packet sent at 0.100000 s, expected at 0.300000 s (tolerance 4000 us)");
    }

    @Test
    void packetTooLateOrNever() {
        String data = OPEN + """
               +0 write(4, ..., 1000) = 1000
               +0 > P. 1:1001(1000) ack 1
               +0 > P. 1:1001(1000) ack 1
            """;
        assertFails(data, "line 11:", "expected > P. 1:1001(1000) ack 1 by 0.204000 s, the stack sent nothing");
    }

    @Test
    void toleranceWidensTheWindow() {
        String late = OPEN.replace("   +0 > S. 0:0(0)", "+.003 > S. 0:0(0)");
        assertThat(run(late).status()).isEqualTo(ScriptResult.Status.PASS);
        assertThat(run(OPEN.replace("   +0 > S. 0:0(0)", "+.005 > S. 0:0(0)")).status()).isEqualTo(ScriptResult.Status.FAIL);
        assertThat(run("--tolerance_usecs=6000\n" + OPEN.replace("   +0 > S. 0:0(0)", "+.005 > S. 0:0(0)")).status())
                .isEqualTo(ScriptResult.Status.PASS);
    }

    @Test
    void timeRangesAndAnyTime() {
        assertThat(run(OPEN.replace("   +0 > S. 0:0(0)", "0.05~0.2 > S. 0:0(0)")).status()).isEqualTo(ScriptResult.Status.PASS);
        assertThat(run(OPEN.replace("   +0 > S. 0:0(0)", "+0.01~+0.2 > S. 0:0(0)")).status()).isEqualTo(ScriptResult.Status.FAIL);
        assertThat(run(OPEN.replace("   +0 > S. 0:0(0)", "    * > S. 0:0(0)")).status()).isEqualTo(ScriptResult.Status.PASS);
    }

    /** packetdrill's adjust_relative_event_times: after an outbound packet in a range, "+" counts from when it went. */
    @Test
    void relativeTimesFollowAPacketInARangeFromWhenItWent() {
        ScriptResult r = run(OPEN + """
                   +0 write(4, ..., 1000) = 1000
             0.15~0.3 > P. 1:1001(1000) ack 1
                   +0 write(4, ..., 10) = 10
                """);
        assertThat(r.status()).as(String.join("\n", r.messages())).isEqualTo(ScriptResult.Status.PASS);
    }

    @Test
    void aPacketNoLineExpectsFails() {
        assertFails(OPEN.replace("   +0 > S. 0:0(0) ack 1 win 64240 <mss 1460>\n", ""), "line 6:",
                "the stack sent > S. ", "but the script expects no packet before this line");
    }

    @Test
    void blockingCallMustReturnOnTime() {
        String s = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
               +0 bind(3, ..., ...) = 0
               +0 listen(3, 1) = 0
               +0...0.100 accept(3, ..., ...) = 4
              +.1 < S 0:0(0) win 32792 <mss 1000>
               +0 > S. 0:0(0) ack 1 <mss 1460>
              +.1 < . 1:1(0) ack 1 win 32792
            """;
        assertFails(s, "line 4:", "accept returned at 0.200000 s, expected at 0.100000 s");
        assertThat(run(s.replace("+0...0.100", "+0...0.200")).status()).isEqualTo(ScriptResult.Status.PASS);
        assertFails(s.replace("+0...0.100", "+0...0.200").replace("  +.1 < . 1:1(0)", "  +.1 < R 1:1(0)"),
                "line 4:", "accept still blocked");
    }

    @Test
    void linesItCannotRunAreReportedAsSkipped() {
        String s = """
            `../common/defaults.sh`
            %{
            print("hello")
            }%
            --ip_version=ipv4
            """ + OPEN.replace("   +0 bind(3, ..., ...) = 0\n", """
               +0 setsockopt(3, IPPROTO_TCP, TCP_CONGESTION, "reno", 4) = 0
               +0 bind(3, ..., ...) = 0
               +0 ioctl(3, SIOCOUTQ, [0]) = 0
            """);
        ScriptResult r = run(s);
        assertThat(r.status()).isEqualTo(ScriptResult.Status.SKIP);
        assertThat(r.messages()).hasSize(5);
        assertThat(r.messages().get(0)).startsWith("line 1: skipped (shell command not run)");
        assertThat(r.messages().get(1)).startsWith("line 2: skipped (Python block not run)");
        assertThat(r.messages().get(2)).startsWith("line 5: skipped (option not supported)");
        assertThat(r.messages().get(3)).startsWith("line 7: skipped (socket option IPPROTO_TCP TCP_CONGESTION not supported)");
        assertThat(r.messages().get(4)).startsWith("line 9: skipped (ioctl SIOCOUTQ not supported)");
    }

    @Test
    void relativeSequenceNumbersOnBothSides() {
        String s = OPEN + """
              +.1 < . 1:1001(1000) ack 1 win 32792
               +0 > . 1:1(0) ack 1001
               +0 < P. 1001:2001(1000) ack 1 win 32792
               +0 > . 1:1(0) ack 2001
               +0 write(4, ..., 10) = 10
               +0 > P. 1:11(10) ack 2001
            """;
        assertThat(run(s).status()).isEqualTo(ScriptResult.Status.PASS);
    }

    @Test
    void sysctlLinesSetTheStacksTable() {
        String s = """
            `sysctl -q net.ipv4.tcp_syn_retries=2; sysctl -w net.ipv4.tcp_synack_retries=3`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
               +0 getsockopt(3, SOL_TCP, TCP_SYNCNT, [2], [4]) = 0
            """;
        ScriptResult r = run(s);
        assertThat(r.messages()).isEmpty();
        assertThat(r.status()).isEqualTo(ScriptResult.Status.PASS);
        assertFails(s.replace("[2], [4]", "[6], [4]"), "line 3:");
    }

    @Test
    void aSysctlTheTableRefusesFailsTheScriptNamingIt() {
        assertFails("`sysctl -q net.ipv4.tcp_no_such_thing=1`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
                "line 1:", "sysctl net.ipv4.tcp_no_such_thing=1 refused (ENOENT)");
        assertFails("`sysctl -q net.ipv4.tcp_sack=0; sysctl -q net.ipv4.tcp_syn_retries=0`\n",
                "line 1:", "sysctl net.ipv4.tcp_syn_retries=0 refused (EINVAL)");
    }

    @Test
    void timestampMappingFromScriptToLiveValues() {
        TsMapping m = new TsMapping();
        assertThat(m.inboundEcr(100, true)).as("nothing learned yet").isEqualTo(-1);
        assertThat(m.outbound(100, 0xffff_fff0L)).isEqualTo(100);
        assertThat(m.outbound(150, 0x10L)).as("the live clock wrapped 32 ticks later").isEqualTo(132);
        assertThat(m.inboundEcr(100, false)).isEqualTo(0xffff_fff0L);
        assertThat(m.inboundEcr(150, false)).isEqualTo(0x10L);
        assertThat(m.inboundEcr(120, false)).as("no outbound packet had TS val 120").isEqualTo(-1);
        assertThat(m.inboundEcr(120, true)).as("--tcp_ts_ecr_scaled interpolates").isEqualTo(0x4L);
        m.reset();
        assertThat(m.inboundEcr(100, false)).as("a new connection forgets").isEqualTo(-1);
    }

    @Test
    void anInboundEcrNamingNoOutboundTsValFails() {
        assertFails(OPEN.replace("+.1 < . 1:1(0) ack 1 win 32792", "+.1 < . 1:1(0) ack 1 win 32792 <nop,nop,TS val 200 ecr 5>"),
                "line 7:", "unable to infer live TS ecr for script TS ecr 5");
    }

    @Test
    void tcpInfoChecksTheFieldsNamedAndOnlyThose() {
        String ok = OPEN + "   +0 getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_state=TCP_ESTABLISHED, tcpi_snd_mss=1000}, [...]) = 0\n";
        assertThat(run(ok).status()).isEqualTo(ScriptResult.Status.PASS);
        assertFails(ok.replace("tcpi_snd_mss=1000", "tcpi_snd_mss=1460"), "line 9:",
                "getsockopt TCP_INFO tcpi_snd_mss was 1000, expected 1460");
        ScriptResult r = run(ok.replace("tcpi_snd_mss", "tcpi_no_such_field"));
        assertThat(r.messages().get(0)).startsWith("line 9: skipped (tcp_info field tcpi_no_such_field=1000 not known)");
    }
}
