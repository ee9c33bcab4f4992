package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.tap.testing.RequiresTap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RFC 7323 options against the Linux kernel over a TAP device, seen from Linux's side: tcpdump in its
 * namespace shows the stack's SYN (or SYN-ACK) carrying MSS, a timestamp and window scale 7 (the shift for the
 * stack's 6 MiB tcp_rmem[2]) and Linux answering with timestamps; {@code ss -tin} shows Linux scaling the
 * stack's windows by 7 ({@code wscale:7,N}, N being Linux's own shift for its tcp_rmem) and its send MSS the
 * stack's 1460 less the 12 bytes of timestamp every segment carries.
 */
@RequiresTap
class TcpOptionsInteropTest {
    private static final String STACK = "10.101.1.2";
    private static final String LINUX = "10.101.1.1";

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("wso", STACK, LINUX);

    @Test
    void theStacksSynAckToLinuxCarriesTimestampsAndWindowScale() throws Exception {
        try (InetServerSocket server = lab.stack().serverSocket(5101)) {
            Capture dump = Capture.start(5101);
            Process nc = lab.peer().start("sh", "-c", "sleep 5 | exec nc " + STACK + " 5101 > /dev/null");
            try (InetSocket s = server.accept()) {
                String ss = ssTin("dport = :5101");
                String wire = dump.packets();
                assertThat(wire).as(wire)
                        .containsPattern(STACK + ".5101 > " + LINUX + ".\\d+: Flags \\[S\\.\\].*options \\[mss 1460,sackOK,TS val \\d+ ecr \\d+,nop,wscale 7\\]")
                        .containsPattern(LINUX + ".\\d+ > " + STACK + ".5101: Flags \\[\\.\\].*options \\[nop,nop,TS val \\d+ ecr \\d+\\]");
                assertThat(ss).as(ss).contains("wscale:7,").contains(" mss:1448 ");
            } finally {
                stop(nc);
            }
        }
    }

    @Test
    void theStacksSynToALinuxListenerCarriesTimestampsAndWindowScale() throws Exception {
        Process nc = lab.peer().start("sh", "-c", "sleep 5 | exec nc -l 5102 > /dev/null");
        try {
            Interop.awaitListening(lab.peer().name(), 5102);
            Capture dump = Capture.start(5102);
            InetSocket s = lab.stack().socket();
            try (s) {
                s.connect(LINUX, 5102, 2000);
                String ss = ssTin("sport = :5102");
                String wire = dump.packets();
                assertThat(wire).as(wire)
                        .containsPattern(STACK + ".\\d+ > " + LINUX + ".5102: Flags \\[S\\].*options \\[mss 1460,sackOK,TS val \\d+ ecr 0,nop,wscale 7\\]")
                        .containsPattern(LINUX + ".5102 > " + STACK + ".\\d+: Flags \\[S\\.\\].*options \\[.*TS val \\d+ ecr \\d+.*wscale \\d+\\]")
                        .containsPattern(STACK + ".\\d+ > " + LINUX + ".5102: Flags \\[\\.\\].*options \\[nop,nop,TS val \\d+ ecr \\d+\\]");
                assertThat(ss).as(ss).contains("wscale:7,").contains(" mss:1448 ");
            }
        } finally {
            stop(nc);
        }
    }

    /** tcpdump of the first three segments to or from {@code port} (the handshake) in Linux's namespace. */
    private record Capture(Process p, BufferedReader out) {
        static Capture start(int port) throws IOException {
            Process p = lab.peer().start("sh", "-c", "exec timeout 10 tcpdump -i any -l -c 3 -nn -v tcp port " + port + " 2>&1");
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            // Only once tcpdump says it listens is the handshake sure to be captured.
            for (String line; (line = out.readLine()) != null; ) {
                if (line.contains("listening on")) return new Capture(p, out);
            }
            throw new IOException("tcpdump did not start");
        }

        /** The captured segments, one per line (tcpdump -v folds each over two). */
        String packets() throws IOException, InterruptedException {
            StringBuilder b = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) b.append(line.startsWith("    ") ? line.strip() + "\n" : "");
            p.waitFor(10, TimeUnit.SECONDS);
            return b.toString();
        }
    }

    /** Ends a shell pipeline and what it started ({@code nc} outlives its shell otherwise). */
    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
    }

    /** {@code ss -tinH} for the established connection matching {@code filter} in Linux's namespace. */
    private static String ssTin(String filter) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            String out = Interop.run("ip", "netns", "exec", lab.peer().name(), "ss", "-tinH", "state", "established", filter);
            if (out.contains("wscale") || System.nanoTime() > deadline) return out;
            Thread.sleep(20);
        }
    }
}
