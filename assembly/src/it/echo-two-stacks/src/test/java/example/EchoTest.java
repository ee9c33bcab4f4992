package example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.inet4j.netdev.InMemoryLink;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetStack;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the README promises a user: two stacks on the in-memory link, an echo server on one, a client on the other. */
class EchoTest {
    @Test
    void echoesBetweenTwoStacks() throws Exception {
        byte[] sent = new byte[256 * 1024];
        new Random(7).nextBytes(sent);
        InMemoryLink[] wire = InMemoryLink.pair("a", "b", 1500);
        try (InetStack a = InetStack.builder().name("a").link(wire[0], "10.0.0.1/24").build();
             InetStack b = InetStack.builder().name("b").link(wire[1], "10.0.0.2/24").build();
             InetServerSocket server = b.serverSocket(7)) {
            Thread echo = new Thread(() -> {
                try (InetSocket s = server.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            echo.start();
            try (InetSocket c = a.socket()) {
                c.connect("10.0.0.2", 7, 5000);
                c.getOutputStream().write(sent);
                c.shutdownOutput();
                assertArrayEquals(sent, c.getInputStream().readAllBytes());
            }
            echo.join(10_000);
        }
    }
}
