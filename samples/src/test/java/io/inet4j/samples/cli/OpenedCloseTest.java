package io.inet4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetStack;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A command that sends exits 0 only when its data was acknowledged: {@link TapOptions.Opened#closeChecked} turns
 * data the stack abandoned at close into the failure exit code (here on an in-memory link; no TAP needed).
 */
@Timeout(30)
class OpenedCloseTest {
    @Test
    void acknowledgedDataKeepsTheExitCodeAndAbandonedDataFailsIt() throws Exception {
        assertThat(sendThenCloseChecked(false)).isEqualTo(0);
        assertThat(sendThenCloseChecked(true)).isEqualTo(1);
    }

    /** Sends 10 kB to a second stack, closes the socket, then closes the stack through closeChecked. */
    private static int sendThenCloseChecked(boolean cutTheCable) throws Exception {
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        InetStack a = InetStack.builder().name("a").seed(1).closeTimeout(Duration.ofMillis(500))
                .link(wire[0], TwoStacks.A + "/24").build();
        try (InetStack b = InetStack.builder().name("b").seed(2).closeTimeout(Duration.ZERO)
                .link(wire[1], TwoStacks.B + "/24").build();
             InetServerSocket server = b.serverSocket(80)) {
            InetSocket c = a.socket();
            c.connect(TwoStacks.B, 80, 5000);
            server.accept();
            if (cutTheCable) {
                b.call(() -> {
                    b.device("veth-b").close();
                    return null;
                });
            }
            c.getOutputStream().write(new byte[10_000]);
            c.close();
            return new TapOptions.Opened(a, null, null).closeChecked("nc", 0, 1);
        } finally {
            a.close();
        }
    }
}
