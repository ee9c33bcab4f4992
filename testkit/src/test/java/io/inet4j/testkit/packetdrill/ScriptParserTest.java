package io.inet4j.testkit.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.tcp.wire.TcpHeader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lexer and grammar subset: times, packet fields, options, system calls, comments and what gets skipped. */
class ScriptParserTest {
    private static List<Event> parse(String text) { return ScriptParser.parse("t.pkt", text).events(); }

    private static Timing time(String line) { return ((Event.Syscall) parse(line + " close(3) = 0").get(0)).timing(); }

    @Test
    void times() {
        assertThat(time("+.2")).isEqualTo(new Timing(Timing.Type.RELATIVE, 200_000, 200_000, Timing.NON_BLOCKING));
        assertThat(time("0.100")).isEqualTo(new Timing(Timing.Type.ABSOLUTE, 100_000, 100_000, Timing.NON_BLOCKING));
        assertThat(time("+0...0.200")).isEqualTo(new Timing(Timing.Type.RELATIVE, 0, 0, 200_000));
        assertThat(time("0.1~0.25")).isEqualTo(new Timing(Timing.Type.ABSOLUTE_RANGE, 100_000, 250_000, Timing.NON_BLOCKING));
        assertThat(time("+1~+2").type()).isEqualTo(Timing.Type.RELATIVE_RANGE);
        assertThat(time("*").type()).isEqualTo(Timing.Type.ANY);
    }

    @Test
    void sackBlocksAreShiftedLikeAckNumbers() {
        byte[] o = TcpOptionList.encode("mss 1000,nop,nop,sack 1:1001 4294967295:5");
        assertThat(TcpOptionList.render(TcpOptionList.offsetSack(o, 1_000_000)))
                .isEqualTo("<mss 1000,nop,nop,sack 1000001:1001001 999999:1000005>");
        assertThat(TcpOptionList.render(o)).isEqualTo("<mss 1000,nop,nop,sack 1:1001 4294967295:5>");
    }

    @Test
    void packetFields() {
        Event.Packet p = (Event.Packet) parse("+0 > P. 1:1001(1000) ack 5 win 257 <nop,nop,sack 1:2 3:4>").get(0);
        assertThat(p.inbound()).isFalse();
        assertThat(p.flags()).isEqualTo(TcpHeader.PSH | TcpHeader.ACK);
        assertThat(p.seq()).isEqualTo(1);
        assertThat(p.length()).isEqualTo(1000);
        assertThat(p.ack()).isEqualTo(5);
        assertThat(p.window()).isEqualTo(257);
        assertThat(TcpOptionList.render(p.options())).isEqualTo("<nop,nop,sack 1:2 3:4>");
        Event.Packet any = (Event.Packet) parse("+0 > S 0:0(0) <...>").get(0);
        assertThat(any.options()).isNull();
        assertThat(any.window()).isEqualTo(-1);
    }

    @Test
    void inboundIcmpErrorsQuoteASegment() {
        Event.Icmp i = (Event.Icmp) parse("+0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]").get(0);
        assertThat(i.type()).isEqualTo(IcmpHeader.DEST_UNREACH);
        assertThat(i.code()).isEqualTo(IcmpHeader.FRAG_NEEDED);
        assertThat(i.mtu()).isEqualTo(1200);
        assertThat(i.seq()).isEqualTo(1);
        assertThat(i.length()).isEqualTo(1460);
        Event.Icmp t = (Event.Icmp) parse("+0 < icmp time_exceeded [0:0(0)]").get(0);
        assertThat(t.type()).isEqualTo(IcmpHeader.TIME_EXCEEDED);
        assertThat(parse("+0 < icmp unreachable frag_needed [1:1461(1460)]").get(0)).isInstanceOf(Event.Skipped.class);
        assertThat(parse("+0 < icmp unreachable port_unreachable").get(0)).isInstanceOf(Event.Skipped.class);
        assertThat(parse("+0 > icmp unreachable port_unreachable [1:2(1)]").get(0)).isInstanceOf(Event.Skipped.class);
    }

    @Test
    void systemCallsAndTheirResults() {
        Event.Syscall c = (Event.Syscall) parse("+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)").get(0);
        assertThat(c.name()).isEqualTo("connect");
        assertThat(c.args()).containsExactly("3", "...", "...");
        assertThat(c.result()).isEqualTo(-1);
        assertThat(c.errno()).isEqualTo("EINPROGRESS");
        Event.Syscall f = (Event.Syscall) parse("+0 fcntl(3, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)").get(0);
        assertThat(f.result()).isEqualTo(0x802);
        Event.Syscall p = (Event.Syscall) parse("+0 poll([{fd=3, events=POLLIN, revents=0}], 1, 0) = 0").get(0);
        assertThat(p.args()).containsExactly("[{fd=3, events=POLLIN, revents=0}]", "1", "0");
    }

    @Test
    void commentsOptionsAndSkippedLines() {
        Script s = ScriptParser.parse("t.pkt", """
                // a comment
                --tolerance_usecs=7000
                /* a block
                   comment */ 0 close(3) = 0
                `echo hi`
                +0 < udp 0:0(0)
                +0 < S 0:0(0) <...>
                +0 > Z 0:0(0)
                """);
        assertThat(s.toleranceUsecs()).isEqualTo(7000);
        assertThat(s.events()).hasSize(5);
        assertThat(s.events().get(0)).isInstanceOf(Event.Syscall.class);
        assertThat(s.events().get(0).line()).isEqualTo(4);
        assertThat(s.events().subList(1, 5)).allMatch(e -> e instanceof Event.Skipped);
        assertThat(((Event.Skipped) s.events().get(3)).reason()).contains("<...>");
        assertThat(((Event.Skipped) s.events().get(4)).reason()).contains("unknown TCP flag 'Z'");
    }

    @Test
    void bpftoolCgroupCommandsAreHooksOtherShellCommandsAreSkipped() {
        Event.Hook attach = (Event.Hook) parse("`bpftool cgroup attach /web connect4 name i4j_deny multi`").get(0);
        assertThat(attach.attach()).isTrue();
        assertThat(attach.spec()).isEqualTo("/web connect4 i4j_deny multi");
        Event.Hook detach = (Event.Hook) parse("` bpftool cgroup detach / sock_ops name x `").get(0);
        assertThat(detach.attach()).isFalse();
        assertThat(detach.spec()).isEqualTo("/ sock_ops x");
        assertThat(parse("`bpftool cgroup attach / connect4 pinned /sys/fs/bpf/p`").get(0)).isInstanceOf(Event.Skipped.class);
        assertThat(parse("`../common/defaults.sh`").get(0)).isInstanceOf(Event.Skipped.class);
    }

    @Test
    void sysctlWritesAreEventsOtherCommandsInTheLineMakeItSkipped() {
        Event.Sysctl one = (Event.Sysctl) parse("`sysctl -q net.ipv4.tcp_sack=0`").get(0);
        assertThat(one.settings()).containsExactly(Map.entry("net.ipv4.tcp_sack", "0"));
        Event.Sysctl many = (Event.Sysctl) parse(
                "`sysctl -q net.ipv4.tcp_timestamps=0; sysctl -w net/ipv4/tcp_rmem=\"4096 131072 6291456\" net.ipv4.tcp_syn_retries=2`")
                .get(0);
        assertThat(many.settings()).containsExactly(Map.entry("net.ipv4.tcp_timestamps", "0"),
                Map.entry("net.ipv4.tcp_rmem", "4096 131072 6291456"), Map.entry("net.ipv4.tcp_syn_retries", "2"));
        List<Event> lines = parse("`sysctl -q net.ipv4.tcp_sack=0\nsysctl -q net.ipv4.tcp_dsack=0`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
        assertThat(((Event.Sysctl) lines.get(0)).settings()).hasSize(2);
        assertThat(lines.get(0).line()).isEqualTo(1);
        assertThat(lines.get(1)).isInstanceOf(Event.Syscall.class);
        assertThat(parse("`../common/defaults.sh; sysctl -q net.ipv4.tcp_sack=0`").get(0)).isInstanceOf(Event.Skipped.class);
        assertThat(parse("`sysctl net.ipv4.tcp_sack`").get(0)).isInstanceOf(Event.Skipped.class);
        assertThat(parse("`sysctl -q net.ipv4.tcp_rmem=\"4096`").get(0)).isInstanceOf(Event.Skipped.class);
    }

    @Test
    void timestampOptionsOfTheScript() {
        Script s = ScriptParser.parse("t.pkt", "--tcp_ts_tick_usecs=1000\n--tcp_ts_ecr_scaled\n");
        assertThat(s.tsTickUsecs()).isEqualTo(1000);
        assertThat(s.tsEcrScaled()).isTrue();
        assertThat(s.events()).isEmpty();
        Script none = ScriptParser.parse("t.pkt", "");
        assertThat(none.tsTickUsecs()).isZero();
        assertThat(none.tsEcrScaled()).isFalse();
    }
}
