package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.Errno;
import io.inet4j.stack.SocketErrors.Call;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failures of the blocking Java API, each the {@code java.net} exception the JDK throws on Linux, with the errno.
 * SYN retries are cut to one so a connect that gets no answer gives up after 3 s instead of 127 s, and ARP gives up
 * on a silent neighbour within a second.
 */
@Timeout(30)
class InetSocketErrorsTest {
    private final ThreadedStacks t = new ThreadedStacks(b -> b.sysctl("net.ipv4.tcp_syn_retries", "1")
            .sysctl("net.ipv4.neigh.default.retrans_time_ms", "300"));

    @AfterEach
    void tearDown() { t.close(); }

    @Test
    void connectToAClosedPortIsRefusedAndClosesTheSocket() throws Exception {
        InetSocket c = t.a.socket();
        Throwable e = catchThrowable(() -> c.connect(new InetSocketAddress(TwoStacks.B, 81), 2000));
        assertThat(e).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
        assertThat(SocketErrors.errno(e)).isEqualTo(Errno.ECONNREFUSED);
        assertThat(c.isClosed()).isTrue();
        assertThat(c.isConnected()).isFalse();
    }

    @Test
    void connectWithNoAnswerTimesOutWhenTheSynRetriesRunOut() throws Exception {
        try (InetServerSocket full = t.b.serverSocket(80, 1)) {
            // Linux drops a SYN while the accept queue is full, and it holds backlog + 1 connections.
            List<InetSocket> queued = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                InetSocket c = t.a.socket();
                c.connect(new InetSocketAddress(TwoStacks.B, 80), 2000);
                queued.add(c);
            }
            InetSocket c = t.a.socket();
            long start = System.nanoTime();
            Throwable e = catchThrowable(() -> c.connect(new InetSocketAddress(TwoStacks.B, 80)));
            assertThat(e).isInstanceOf(ConnectException.class).hasMessage("Connection timed out");
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.ETIMEDOUT);
            // tcp_syn_retries = 1: the SYN at 0 s, its retransmission at 1 s, given up at 3 s.
            assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(2900), TimeUnit.SECONDS.toNanos(5));
            for (InetSocket q : queued) q.close();
        }
    }

    @Test
    void connectTimesOutAfterItsOwnTimeout() throws Exception {
        try (InetServerSocket full = t.b.serverSocket(80, 1)) {
            for (int i = 0; i < 2; i++) t.a.socket().connect(new InetSocketAddress(TwoStacks.B, 80), 2000);
            InetSocket c = t.a.socket();
            Throwable e = catchThrowable(() -> c.connect(new InetSocketAddress(TwoStacks.B, 80), 200));
            assertThat(e).isInstanceOf(SocketTimeoutException.class).hasMessage("Connect timed out");
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EINPROGRESS);
            assertThat(c.isClosed()).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({"192.168.77.1, ENETUNREACH, Network is unreachable", // no route at all
            "10.0.0.99, EHOSTUNREACH, No route to host"}) // on the link, but ARP gets no answer
    void connectToAnUnreachableDestinationIsNoRouteToHost(String address, Errno errno, String message) throws Exception {
        InetSocket c = t.a.socket();
        Throwable e = catchThrowable(() -> c.connect(new InetSocketAddress(address, 80)));
        assertThat(e).isInstanceOf(NoRouteToHostException.class).hasMessage(message);
        assertThat(SocketErrors.errno(e)).isEqualTo(errno);
    }

    /**
     * Linux ends a connect the moment an ICMP error about its SYN arrives, soft or hard ({@code tcp_v4_err}, case
     * TCP_SYN_SENT: {@code tcp_done_with_error}); the host unreachable that {@code arp_error_report} sends after
     * three unanswered ARP probes makes {@code connect()} fail with EHOSTUNREACH after about 3 s, not after the
     * 127 s of SYN retries.
     */
    @Test
    void anAbsentNeighbourFailsTheConnectOnceArpGivesUp() throws Exception {
        try (ThreadedStacks defaults = new ThreadedStacks()) {
            InetSocket c = defaults.a.socket();
            Throwable e = catchThrowable(() -> c.connect(new InetSocketAddress("10.0.0.99", 80), 10_000));
            assertThat(e).isInstanceOf(NoRouteToHostException.class);
        }
    }

    @Test
    void bindingAPortInUseOrAnAddressNotOursIsABindException() throws Exception {
        try (InetServerSocket first = t.b.serverSocket(8080)) {
            Throwable e = catchThrowable(() -> t.b.serverSocket(8080));
            assertThat(e).isInstanceOf(BindException.class).hasMessage("Address already in use");
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EADDRINUSE);

            InetSocket client = t.b.socket();
            e = catchThrowable(() -> client.bind(new InetSocketAddress(8080)));
            assertThat(e).isInstanceOf(BindException.class);
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EADDRINUSE);
            client.close();

            e = catchThrowable(() -> t.b.serverSocket(8081, 5, TwoStacks.A));
            assertThat(e).isInstanceOf(BindException.class).hasMessage("Cannot assign requested address");
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EADDRNOTAVAIL);
        }
    }

    @Test
    void aPeerClosingWithUnreadDataResetsTheReaderAfterWhatItSent() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(81); InetSocket c = t.a.socket()) {
            c.connect(new InetSocketAddress(TwoStacks.B, 81), 2000);
            c.setSoTimeout(5000);
            c.getOutputStream().write(new byte[37]); // left unread: the peer's close sends a RST (tcp_close)
            try (InetSocket s = server.accept()) {
                s.getOutputStream().write(0xff);
            }
            assertThat(c.getInputStream().read()).as("the byte sent before the reset").isEqualTo(0xff);
            // The RST must come from the connection's port, not from the port its close just gave back.
            Throwable e = catchThrowable(() -> c.getInputStream().read());
            assertThat(e).isInstanceOf(SocketException.class).hasMessage("Connection reset");
        }
    }

    @Test
    void anAbortingPeerResetsTheReaderAndThenTheWriteIsABrokenPipe() throws Exception {
        try (Connection x = Connection.open(t, 80)) {
            InetSocket c = x.client();
            x.accepted().setSoLinger(true, 0);
            assertThat(x.accepted().getSoLinger()).isZero();
            x.accepted().close(); // SO_LINGER 0: a RST instead of a FIN

            Throwable e = catchThrowable(() -> c.getInputStream().read());
            assertThat(e).isInstanceOf(SocketException.class).hasMessage("Connection reset");
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.ECONNRESET);
            e = catchThrowable(() -> c.getOutputStream().write(1));
            assertThat(e).isInstanceOf(SocketException.class).hasMessage("Broken pipe");
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EPIPE);
        }
    }

    @Test
    void usingAnUnconnectedSocketIsNotConnected() throws Exception {
        try (InetSocket c = t.a.socket()) {
            Throwable e = catchThrowable(c::getInputStream);
            assertThat(e).isInstanceOf(SocketException.class).hasMessage("Socket is not connected");
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.ENOTCONN);
            assertThat(c.getLocalPort()).isEqualTo(-1);
            assertThat(c.getInetAddress()).isNull();
            assertThat(c.isBound()).isFalse();
        }
    }

    @Test
    void closingTheStackClosesItsSocketsAndWakesTheirThreads() throws Exception {
        try (ThreadedStacks own = new ThreadedStacks()) {
            InetServerSocket server = own.b.serverSocket(80);
            // Its own thread, not the common pool: with 2 cores that pool has a single worker.
            FutureTask<Throwable> acceptor = new FutureTask<>(() -> catchThrowable(server::accept));
            new Thread(acceptor, "acceptor").start();
            Thread.sleep(50);
            own.b.close();
            Throwable e = acceptor.get(5, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(SocketException.class).hasMessage("Socket closed");
            assertThat(server.isClosed()).isTrue();
        }
    }

    @Test
    void aBlockingCallOnTheLoopThreadIsRefused() throws Exception {
        try (InetServerSocket server = t.b.serverSocket(80)) {
            assertThatThrownBy(() -> t.b.call(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("loop thread");
        }
    }

    @Test
    void eachErrnoBecomesTheExceptionTheJdkThrows() {
        assertMapped(Errno.ECONNREFUSED, Call.CONNECT, ConnectException.class, "Connection refused");
        assertMapped(Errno.ETIMEDOUT, Call.CONNECT, ConnectException.class, "Connection timed out");
        assertMapped(Errno.ETIMEDOUT, Call.READ, SocketException.class, "Connection timed out");
        assertMapped(Errno.ENETUNREACH, Call.CONNECT, NoRouteToHostException.class, "Network is unreachable");
        assertMapped(Errno.EHOSTUNREACH, Call.CONNECT, NoRouteToHostException.class, "No route to host");
        assertMapped(Errno.EADDRINUSE, Call.OTHER, BindException.class, "Address already in use");
        assertMapped(Errno.EADDRNOTAVAIL, Call.CONNECT, BindException.class, "Cannot assign requested address");
        assertMapped(Errno.ECONNRESET, Call.READ, SocketException.class, "Connection reset");
        assertMapped(Errno.EPIPE, Call.OTHER, SocketException.class, "Broken pipe");
        assertMapped(Errno.EAGAIN, Call.READ, SocketTimeoutException.class, "Read timed out");
        assertMapped(Errno.EAGAIN, Call.ACCEPT, SocketTimeoutException.class, "Accept timed out");
        assertMapped(Errno.EINPROGRESS, Call.CONNECT, SocketTimeoutException.class, "Connect timed out");
        assertMapped(Errno.EAGAIN, Call.OTHER, SocketException.class, "Resource temporarily unavailable");
        assertMapped(Errno.EMSGSIZE, Call.OTHER, SocketException.class, "Message too long");
        assertThat(SocketErrors.errno(new IOException("not ours"))).isNull();
    }

    private static void assertMapped(Errno errno, Call call, Class<? extends IOException> type, String message) {
        IOException e = SocketErrors.exception(errno, call);
        assertThat(e).isExactlyInstanceOf(type).hasMessage(message);
        assertThat(SocketErrors.errno(e)).isEqualTo(errno);
    }
}
