package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.IpMib;
import io.inet4j.samples.cli.Main;
import io.inet4j.samples.ping.Pinger;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

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
    void pingCommandSetsUpItsOwnPeerNamespace() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new Main()).execute("ping", "-c", "2", "-i", "0.1", "--tap", TapNames.unique("cli"),
                    "--addr", "10.78.1.2/24", "--peer-netns", TapNames.namespace("cli"), "--peer-addr", "10.78.1.1/24",
                    "10.78.1.1");
        } finally {
            System.setOut(saved);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 packets transmitted, 2 received");
        assertThat(exit).isZero();
    }

    private static PrintStream quiet() { return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8); }
}
