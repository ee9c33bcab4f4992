package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.netdev.InMemoryLink;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7's acceptance line: 100 MB over 127.0.0.1 inside one stack, and to the stack's own address (both over
 * {@code lo}), arrive intact (SHA-256 of what was written equals that of what was read).
 */
@Timeout(120)
class LoopbackTransferTest {
    private static final long SIZE = 100L << 20;

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1"})
    void oneHundredMegabytesArriveIntact(String addr) throws Exception {
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        try (InetStack a = InetStack.builder().name("a").seed(1).link(wire[0], "10.0.0.1/24").build();
             InetServerSocket server = a.serverSocket(80)) {
            InetSocket c = a.socket();
            c.connect(addr, 80, 5000);
            InetSocket s = server.accept();
            s.setSoTimeout(20_000); // a stalled transfer fails instead of hanging
            FutureTask<byte[]> sent = new FutureTask<>(() -> {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                SplittableRandom rnd = new SplittableRandom(7);
                byte[] chunk = new byte[256 * 1024]; // every write far larger than one IPv4 datagram
                OutputStream out = c.getOutputStream();
                for (long n = 0; n < SIZE; n += chunk.length) {
                    rnd.nextBytes(chunk);
                    md.update(chunk);
                    out.write(chunk);
                }
                c.shutdownOutput();
                return md.digest();
            });
            new Thread(sent, "loopback-writer").start();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256 * 1024];
            long got = 0;
            for (int n; (n = in.read(buf)) > 0; got += n) md.update(buf, 0, n);
            assertThat(got).isEqualTo(SIZE);
            assertThat(md.digest()).isEqualTo(sent.get(20, TimeUnit.SECONDS));
            c.close();
            s.close();
        }
    }
}
