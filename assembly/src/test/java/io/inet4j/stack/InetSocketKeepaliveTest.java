package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.Errno;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SO_KEEPALIVE finds a peer that vanished without a word: b's link goes dark, a's probes go unanswered, and a
 * reader blocked on a gets "Connection timed out". Keepalive sysctls are cut to 1 s idle, 1 s between probes, one
 * probe, so it takes about 2 s.
 */
@Timeout(20)
class InetSocketKeepaliveTest {
    private final ThreadedStacks t = new ThreadedStacks(b -> b.sysctl("net.ipv4.tcp_keepalive_time", "1")
            .sysctl("net.ipv4.tcp_keepalive_intvl", "1").sysctl("net.ipv4.tcp_keepalive_probes", "1")
            .closeTimeout(Duration.ZERO)); // the tests cut the wire: nothing left to deliver at close

    @AfterEach
    void tearDown() { t.close(); }

    @Test
    void keepaliveSetBeforeConnectingDetectsAVanishedPeer() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80); InetSocket c = t.a.socket()) {
            c.setKeepAlive(true);
            c.connect(TwoStacks.B, 80, 2000);
            server.accept();
            assertReaderTimesOutWhenThePeerVanishes(c);
        }
    }

    /**
     * Linux arms the keepalive timer when SO_KEEPALIVE is switched on for a live connection
     * ({@code sock_setsockopt} -> {@code tcp_set_keepalive}), which is how Java programs use it
     * ({@code socket.setKeepAlive(true)} after connect or accept); so does inet4j through {@code Proto.keepalive}.
     */
    @Test
    void keepaliveSwitchedOnAfterConnectingDetectsAVanishedPeer() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80); InetSocket c = t.a.socket()) {
            c.connect(TwoStacks.B, 80, 2000);
            server.accept();
            c.setKeepAlive(true);
            assertReaderTimesOutWhenThePeerVanishes(c);
        }
    }

    private void assertReaderTimesOutWhenThePeerVanishes(InetSocket c) throws Exception {
        assertThat(c.getKeepAlive()).isTrue();
        t.b.call(() -> {
            t.b.device("veth-b").close();
            return null;
        });
        c.setSoTimeout(8000);
        Throwable e = catchThrowable(() -> c.getInputStream().read());
        assertThat(e).isInstanceOf(SocketException.class).hasMessage("Connection timed out");
        assertThat(SocketErrors.errno(e)).isEqualTo(Errno.ETIMEDOUT);
    }
}
