package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.Errno;
import io.inet4j.tcp.Tcp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocking Java API between two threaded stacks on an in-memory wire: data, end of stream, timeouts, close. */
@Timeout(30)
class InetSocketTest {
    private final ThreadedStacks t = new ThreadedStacks();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        t.close();
    }

    @Test
    void echoServerAndClient() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(7)) {
            Future<?> echo = pool.submit(() -> {
                try (InetSocket s = server.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                }
                return null;
            });
            try (InetSocket c = t.a.socket()) {
                c.connect(new InetSocketAddress(TwoStacks.B, 7), 2000);
                assertThat(c.isConnected()).isTrue();
                assertThat(c.getInetAddress().getHostAddress()).isEqualTo(TwoStacks.B);
                assertThat(c.getPort()).isEqualTo(7);
                assertThat(c.getLocalAddress().getHostAddress()).isEqualTo(TwoStacks.A);
                assertThat(c.getLocalPort()).isBetween(32768, 60999);
                c.setOption(InetSocketOptions.TCP_CONGESTION, "reno"); // tcp_set_congestion_control on a live connection
                assertThat(c.getOption(InetSocketOptions.TCP_CONGESTION)).isEqualTo("reno");
                assertThatThrownBy(() -> c.setOption(InetSocketOptions.TCP_CONGESTION, "bbr"))
                        .isInstanceOf(java.net.SocketException.class).hasMessageContaining("No such file or directory");
                c.getOutputStream().write("hello, stack".getBytes(StandardCharsets.US_ASCII));
                c.shutdownOutput();
                assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello, stack");
            }
            echo.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void tenMegabytesBothWaysAtOnce() throws Exception {
        int size = 10 << 20;
        try (Connection x = Connection.open(t, 5001)) {
            InetSocket c = x.client();
            InetSocket s = x.accepted();
            Future<byte[]> toServer = pool.submit(() -> sendRandom(c, 1, size));
            Future<byte[]> toClient = pool.submit(() -> sendRandom(s, 2, size));
            Future<byte[]> atServer = pool.submit(() -> sha256(s.getInputStream()));
            Future<byte[]> atClient = pool.submit(() -> sha256(c.getInputStream()));
            assertThat(atServer.get(20, TimeUnit.SECONDS)).isEqualTo(toServer.get());
            assertThat(atClient.get(20, TimeUnit.SECONDS)).isEqualTo(toClient.get());
        }
    }

    /** Writes {@code size} seeded random bytes in odd-sized pieces, half-closes, returns their SHA-256. */
    private static byte[] sendRandom(InetSocket s, long seed, int size) throws Exception {
        OutputStream out = s.getOutputStream();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] buf = new byte[100_003];
        for (int sent = 0; sent < size; ) {
            int n = Math.min(size - sent, 1 + rnd.nextInt(buf.length));
            rnd.nextBytes(buf);
            out.write(buf, 0, n);
            md.update(buf, 0, n);
            sent += n;
        }
        s.shutdownOutput();
        return md.digest();
    }

    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) != -1; ) md.update(buf, 0, n);
        return md.digest();
    }

    @Test
    void endOfStreamAfterThePeerShutsDownOutputWhileTheOtherWayStillWorks() throws Exception {
        try (Connection x = Connection.open(t, 80)) {
            InetSocket c = x.client();
            InetSocket s = x.accepted();
            s.getOutputStream().write('x');
            s.shutdownOutput();
            assertThat(s.isOutputShutdown()).isTrue();
            // send(2) after shutdown(SHUT_WR) is EPIPE on Linux, which the JDK's socket reports as "Broken pipe".
            Throwable afterShutdown = catchThrowable(() -> s.getOutputStream().write(1));
            assertThat(afterShutdown).isInstanceOf(SocketException.class).hasMessage("Broken pipe");
            assertThat(SocketErrors.errno(afterShutdown)).isEqualTo(Errno.EPIPE);
            InputStream in = c.getInputStream();
            assertThat(in.read()).isEqualTo('x');
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(new byte[10])).isEqualTo(-1); // and again: end of stream stays
            c.getOutputStream().write("still open".getBytes(StandardCharsets.US_ASCII));
            c.close();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("still open");
        }
    }

    @Test
    void shutdownInputMakesReadsReturnEndOfStream() throws Exception {
        try (Connection x = Connection.open(t, 80)) {
            InetSocket c = x.client();
            c.shutdownInput();
            assertThat(c.isInputShutdown()).isTrue();
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void readTimesOutAfterSoTimeoutAndTheSocketStaysUsable() throws Exception {
        try (Connection x = Connection.open(t, 80)) {
            InetSocket c = x.client();
            InetSocket s = x.accepted();
            c.setSoTimeout(100);
            assertThat(c.getSoTimeout()).isEqualTo(100);
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("Read timed out")
                    .satisfies(e -> assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EAGAIN));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            s.getOutputStream().write(42);
            assertThat(c.getInputStream().read()).isEqualTo(42);
        }
    }

    @Test
    void acceptTimesOutAfterSoTimeout() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80)) {
            server.setSoTimeout(100);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class).hasMessage("Accept timed out")
                    .satisfies(e -> assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EAGAIN));
            assertThat(server.isClosed()).isFalse();
        }
    }

    @Test
    void closeUnblocksAReaderAndAnAcceptor() throws Exception {
        try (Connection x = Connection.open(t, 80)) {
            InetSocket c = x.client();
            Future<Throwable> reader = pool.submit(() -> catchThrowable(() -> c.getInputStream().read()));
            Future<Throwable> acceptor = pool.submit(() -> catchThrowable(x.server()::accept));
            Thread.sleep(100);
            assertThat(reader).isNotDone();
            assertThat(acceptor).isNotDone();
            c.close();
            x.server().close();
            assertClosedUnderneath(reader.get(5, TimeUnit.SECONDS));
            assertClosedUnderneath(acceptor.get(5, TimeUnit.SECONDS));
            assertThat(c.isClosed()).isTrue();
            assertClosedUnderneath(catchThrowable(() -> c.getInputStream()));
        }
    }

    @Test
    void closeUnblocksAWriterStuckOnAFullWindow() throws Exception {
        try (Connection x = Connection.open(t, 80)) {
            InetSocket c = x.client();
            Future<Throwable> writer = pool.submit(() -> catchThrowable(() -> c.getOutputStream().write(new byte[4 << 20])));
            Thread.sleep(300); // nobody reads at b: the window closes and the send buffer fills
            assertThat(writer).isNotDone();
            c.close();
            assertClosedUnderneath(writer.get(5, TimeUnit.SECONDS));
        }
    }

    private static void assertClosedUnderneath(Throwable thrown) {
        assertThat(thrown).isInstanceOf(SocketException.class).hasMessage("Socket closed");
        assertThat(SocketErrors.errno(thrown)).isEqualTo(Errno.EBADF);
    }

    @Test
    void theStacksTcpTableIsEmptyOnceBothSidesClosed() throws Exception {
        try (Connection x = Connection.open(t, 80)) {
            x.client().close();
            assertThat(x.accepted().getInputStream().read()).isEqualTo(-1);
            x.accepted().close();
            Thread.sleep(200);
            assertThat(t.a.call(() -> Tcp.of(t.a.inet()).sockets())).isEmpty();
            assertThat(t.a.call(() -> Tcp.of(t.a.inet()).timewaitCount())).isEqualTo(1);
            assertThat(t.b.call(() -> Tcp.of(t.b.inet()).sockets())).hasSize(1); // the listener
        }
        assertThat(t.b.call(() -> Tcp.of(t.b.inet()).sockets())).isEmpty();
    }
}
