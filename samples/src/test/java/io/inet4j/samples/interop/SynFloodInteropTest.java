package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.MibCounters;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.samples.http.HttpServer;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.testing.RequiresTap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SYN flood against the stack's HTTP server from the Linux side of a TAP (10.104.1.1/24 in a namespace of its
 * own): {@code hping3} sends SYNs from a spoofed address of the subnet nobody owns, which fill the listener's SYN
 * queue for good, while {@code curl} fetches a page. With {@code tcp_syncookies} = 1 (Linux's default) the stack
 * answers curl's SYN with a cookie and the fetch succeeds. The SYN-ACKs to the spoofed address wait for an ARP
 * answer that never comes; nothing leaves the namespace.
 */
@RequiresTap
class SynFloodInteropTest {
    private static final String STACK = "10.104.1.2";
    private static final String LINUX = "10.104.1.1";
    private static final String SPOOFED = "10.104.1.77";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("syc", STACK, LINUX);
    private static HttpServer server;

    @BeforeAll
    static void up() throws Exception {
        Files.writeString(dir.resolve("page.txt"), "through the flood\n");
        // listen(fd, 16): a SYN queue of 32 requests, which the flood fills within milliseconds.
        server = HttpServer.open(lab.stack(), 80, 16, dir, null).start();
    }

    @AfterAll
    static void down() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void curlGetsThroughASpoofedSynFloodThanksToCookies() throws Exception {
        MibCounters<TcpExtMib> ext = lab.stack().net().mibs().tcpExt;
        // About three seconds of SYNs, one a millisecond, each from the next source port.
        Process flood = lab.peer().start("hping3", "-q", "-S", "-p", "80", "-a", SPOOFED, "-c", "3000", "-i", "u1000",
                STACK);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ext.get(TcpExtMib.SyncookiesSent) == 0 && flood.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ext.get(TcpExtMib.SyncookiesSent)).as("the flood fills the SYN queue").isPositive();
            long recv = ext.get(TcpExtMib.SyncookiesRecv);
            PeerNamespace.Result r = lab.peer().exec(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10",
                    "-w", "%{http_code}", "http://" + STACK + "/page.txt");
            assertThat(flood.isAlive()).as("curl ran during the flood").isTrue();
            assertThat(r.stderr()).isEmpty();
            assertThat(r.stdout()).isEqualTo("through the flood\n200");
            assertThat(ext.get(TcpExtMib.SyncookiesRecv) - recv).as("curl's connection came from a cookie").isEqualTo(1);
            assertThat(ext.get(TcpExtMib.TCPReqQFullDoCookies)).isPositive();
            assertThat(ext.get(TcpExtMib.TCPReqQFullDrop)).isZero();
            assertThat(flood.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            flood.destroy();
        }
        System.out.printf("[synflood] SyncookiesSent %d, SyncookiesRecv %d, SyncookiesFailed %d%n",
                ext.get(TcpExtMib.SyncookiesSent), ext.get(TcpExtMib.SyncookiesRecv),
                ext.get(TcpExtMib.SyncookiesFailed));
    }
}
