package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.IpMib;
import io.inet4j.samples.ping.Pinger;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux kernel as the peer: a TAP device whose kernel side lives in a fresh network namespace
 * (10.77.1.1/24) and the stack on the JVM side (10.77.1.2/24). Linux's own ping and arping talk to the stack,
 * and the stack's ping talks to Linux.
 */
@RequiresTap
class Ipv4InteropTest {
    private static final String STACK = "10.77.1.2";
    private static final String LINUX = "10.77.1.1";

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("ip", STACK, LINUX);

    @Test
    void linuxPingsTheStack() throws Exception {
        PeerNamespace.Result r = lab.peer().exec("ping", "-c", "5", "-i", "0.2", "-W", "2", STACK);
        assertThat(r.stdout()).contains("5 packets transmitted, 5 received");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void linuxPingsTheStackWithFragmentsBothWays() throws Exception {
        long reasm = lab.stack().net().mibs().ip.get(IpMib.ReasmOKs);
        long frags = lab.stack().net().mibs().ip.get(IpMib.FragCreates);
        PeerNamespace.Result r = lab.peer().exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "-s", "8000", STACK);
        assertThat(r.stdout()).contains("3 packets transmitted, 3 received").contains("8008 bytes from " + STACK);
        assertThat(lab.stack().net().mibs().ip.get(IpMib.ReasmOKs) - reasm).isEqualTo(3);
        assertThat(lab.stack().net().mibs().ip.get(IpMib.FragCreates) - frags).isEqualTo(18);
    }

    @Test
    void arpingGetsReplies() throws Exception {
        PeerNamespace.Result r = lab.peer().exec("arping", "-c", "3", "-w", "5", "-I", lab.tap().name(), STACK);
        assertThat(r.stdout()).contains("Received 3 response(s)");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void stackPingsLinux() throws Exception {
        Pinger.Result r = new Pinger(lab.stack(), quiet()).ping(SockAddrIn.parseAddress(LINUX), 3, 56, 100, 2000);
        assertThat(r.received()).isEqualTo(3);
    }

    @Test
    void stackPingsLinuxWithFragments() throws Exception {
        Pinger.Result r = new Pinger(lab.stack(), quiet()).ping(SockAddrIn.parseAddress(LINUX), 2, 8000, 100, 2000);
        assertThat(r.received()).isEqualTo(2);
    }

    @Test
    void pingCommandSetsUpItsOwnPeerNamespaceAndCaptures(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("ping.pcap");
        String out = runCli("ping", "-c", "2", "-i", "0.1", "--tap", TapNames.unique("cli"), "--addr", "10.78.1.2/24",
                "--peer-netns", TapNames.namespace("cli"), "--peer-addr", "10.78.1.1/24", "--pcap", pcap.toString(),
                "10.78.1.1");
        assertThat(out).contains("2 packets transmitted, 2 received");
        // The capture holds the ARP exchange and both echo pairs, and tcpdump reads it.
        Process p = new ProcessBuilder("tcpdump", "-n", "-r", pcap.toString()).redirectErrorStream(true).start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(dump).contains("ARP, Request who-has 10.78.1.1", "ICMP echo request", "ICMP echo reply");
    }

    @Test
    void pingCommandThroughAFaultyLinkStillGetsReplies() {
        String out = runCli("ping", "-c", "20", "-i", "0.02", "-W", "0.5", "--tap", TapNames.unique("flt"),
                "--addr", "10.79.1.2/24", "--peer-netns", TapNames.namespace("flt"), "--peer-addr", "10.79.1.1/24",
                "--fault", "loss=0.2,delay=1ms,seed=3", "10.79.1.1");
        assertThat(out).contains("20 packets transmitted").doesNotContain(" 0 received").doesNotContain("20 received");
    }

    private static String runCli(String... args) { return Interop.cli(args).out(); }

    private static PrintStream quiet() { return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8); }
}
