package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.InetSocket;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Path MTU discovery against Linux (issue 7, item 9): the TAP's kernel side (10.91.1.1) is a Linux router whose
 * hop to a second namespace (10.91.2.2) takes only 1200 bytes. The stack's full-sized DF segments make the
 * router answer with ICMP "fragmentation needed"; the upload must still arrive whole, over a route that learned
 * MTU 1200.
 */
@RequiresTap
@Timeout(120) // without path MTU discovery the upload black-holes: fail, don't hang
class PmtuInteropTest {
    private static final String STACK = "10.91.1.2";
    private static final String ROUTER = "10.91.1.1";
    private static final String HOST = "10.91.2.2";
    private static final long SIZE = 4L << 20;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("mtu", STACK, ROUTER);
    private static String hostNs;

    @BeforeAll
    static void narrowHop() throws Exception {
        String router = lab.peer().name();
        hostNs = TapNames.namespace("mtu");
        String routerEnd = TapNames.unique("mtu");
        String hostEnd = TapNames.unique("mtu");
        ip("netns", "add", hostNs);
        ip("-n", router, "link", "add", routerEnd, "mtu", "1200", "type", "veth", "peer", "name", hostEnd, "netns", hostNs);
        ip("-n", router, "addr", "add", "10.91.2.1/24", "dev", routerEnd);
        ip("-n", router, "link", "set", "dev", routerEnd, "up");
        ip("netns", "exec", router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        // The far host's own link is 1500: its MSS option (1460) does not give the narrow hop away.
        ip("-n", hostNs, "link", "set", "dev", hostEnd, "mtu", "1500", "up");
        ip("-n", hostNs, "link", "set", "dev", "lo", "up");
        ip("-n", hostNs, "addr", "add", HOST + "/24", "dev", hostEnd);
        ip("-n", hostNs, "route", "add", "10.91.1.0/24", "via", "10.91.2.1");
        lab.stack().addRoute("10.91.2.0/24", ROUTER);
    }

    @AfterAll
    static void removeHost() throws Exception {
        if (hostNs != null) ip("netns", "del", hostNs);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(concat("ip", args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("ip " + String.join(" ", args) + ": " + out);
    }

    private static List<String> concat(String first, String... rest) {
        List<String> l = new java.util.ArrayList<>(List.of(first));
        l.addAll(List.of(rest));
        return l;
    }

    @Test
    void anUploadThroughANarrowerHopLearnsItsMtuAndArrivesWhole() throws Exception {
        Path file = Interop.randomFile(dir, "up.bin", SIZE, 91);
        Path got = dir.resolve("got.bin");
        Process nc = new ProcessBuilder("ip", "netns", "exec", hostNs, "sh", "-c", "exec nc -l 5001 > " + got + " < /dev/null")
                .redirectErrorStream(true).start();
        try {
            Interop.awaitListening(hostNs, 5001);
            InetSocket s = lab.stack().socket();
            s.connect(HOST, 5001, 2000);
            try (OutputStream out = s.getOutputStream()) {
                Files.copy(file, out);
            }
            assertThat(nc.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Interop.sha256(got)).isEqualTo(Interop.sha256(file));
            assertThat(lab.stack().call(() -> lab.stack().ipv4().routeMtu(SockAddrIn.parseAddress(HOST)))).isEqualTo(1200);
        } finally {
            nc.destroy();
        }
    }
}
