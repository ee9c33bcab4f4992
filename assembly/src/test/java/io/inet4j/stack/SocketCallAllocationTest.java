package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Steady-state socket calls allocate nothing of their own: a read or a write reuses its direction's header and the
 * buffer wrapping the caller's array, asks the security modules without a lambda when none is loaded, and, with
 * the stack's state free, runs in the caller's thread without a queued call object. Counted on the calling thread
 * with {@code ThreadMXBean#getThreadAllocatedBytes}, over a 1-byte ping-pong in which that thread also runs most of
 * both stacks' packet path.
 */
@Timeout(60)
class SocketCallAllocationTest {
    private final ThreadedStacks t = new ThreadedStacks();

    @AfterEach
    void tearDown() { t.close(); }

    @Test
    void aPingPongOfOneByteAllocatesAlmostNothingPerRound() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(7); InetSocket c = t.a.socket()) {
            c.connect(new InetSocketAddress(TwoStacks.B, 7), 2000);
            try (InetSocket s = server.accept()) {
                c.setTcpNoDelay(true);
                s.setTcpNoDelay(true);
                InputStream cin = c.getInputStream(), sin = s.getInputStream();
                OutputStream cout = c.getOutputStream(), sout = s.getOutputStream();
                byte[] one = new byte[1];
                com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                // The first batches run while the JIT compiles the path (interpreted code allocates what compiled
                // code keeps in registers): the best batch is the steady state.
                long best = Long.MAX_VALUE;
                int rounds = 20_000;
                for (int batch = 0; batch < 8; batch++) {
                    long before = mx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < rounds; i++) {
                        cout.write(one, 0, 1);
                        int n = sin.read(one, 0, 1);
                        sout.write(one, 0, 1);
                        n += cin.read(one, 0, 1);
                        if (n != 2) throw new AssertionError("round " + i + " moved " + n + " bytes, not 2");
                    }
                    best = Math.min(best, (mx.getCurrentThreadAllocatedBytes() - before) / rounds);
                }
                assertThat(best).as("bytes allocated per round of four calls, best batch").isLessThan(128);
            }
        }
    }
}
