package io.inet4j.stack.javanet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The socket factories' {@code java.net.Socket} and {@code ServerSocket} against the JDK's own: each scenario
 * runs once on the JDK's sockets over the host's loopback and once on inet4j between two threaded stacks, and
 * expects the same outcome from both (states, return values, exception types and messages).
 */
@Timeout(30)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketAdaptorTest {
    /** Where a scenario runs: a client factory, a server factory, and the address the server is reached at. */
    record World(String name, SocketFactory client, ServerSocketFactory server, InetAddress serverAddress) {
        @Override
        public String toString() { return name; }
    }

    private final ThreadedStacks t = new ThreadedStacks();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterAll
    void tearDown() {
        pool.shutdownNow();
        t.close();
    }

    Stream<World> worlds() throws IOException {
        return Stream.of(
                new World("jdk", SocketFactory.getDefault(), ServerSocketFactory.getDefault(), InetAddress.getByName("127.0.0.1")),
                new World("inet4j", t.a.socketFactory(), t.b.serverSocketFactory(), InetAddress.getByName(TwoStacks.B)));
    }

    private static ServerSocket listen(World w) throws IOException {
        return w.server().createServerSocket(0, 50, w.serverAddress());
    }

    /** A listener of {@code w}'s, a client connected to it, and the accepted end; closing closes all three. */
    private record Conn(ServerSocket server, Socket client, Socket accepted) implements AutoCloseable {
        static Conn open(World w) throws IOException {
            ServerSocket server = listen(w);
            Socket client = w.client().createSocket(w.serverAddress(), server.getLocalPort());
            return new Conn(server, client, server.accept());
        }

        @Override
        public void close() throws IOException {
            client.close();
            accepted.close();
            server.close();
        }
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void anUnconnectedSocketAnswersAsTheJdks(World w) throws Exception {
        try (Socket s = w.client().createSocket()) {
            assertThat(s.isConnected()).isFalse();
            assertThat(s.isBound()).isFalse();
            assertThat(s.isClosed()).isFalse();
            assertThat(s.getLocalPort()).isEqualTo(-1);
            assertThat(s.getPort()).isZero();
            assertThat(s.getInetAddress()).isNull();
            assertThat(s.getLocalAddress().getHostAddress()).isEqualTo("0.0.0.0");
            assertThat(s.getRemoteSocketAddress()).isNull();
            assertThat(s.getLocalSocketAddress()).isNull();
            assertThat(s.getChannel()).isNull();
            assertThat(s.getSoTimeout()).isZero();
            assertThat(s).hasToString("Socket[unconnected]");
            assertThatThrownBy(s::getInputStream).isInstanceOf(SocketException.class).hasMessage("Socket is not connected");
            assertThatThrownBy(s::getOutputStream).isInstanceOf(SocketException.class).hasMessage("Socket is not connected");
            assertThatThrownBy(s::shutdownInput).isInstanceOf(SocketException.class).hasMessage("Socket is not connected");
            assertThatThrownBy(() -> s.connect(null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.connect(new InetSocketAddress(w.serverAddress(), 1), -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("connect: timeout can't be negative");
        }
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void connectedSocketsKnowBothEndsAndAvailableCountsWhatArrived(World w) throws Exception {
        try (ServerSocket server = listen(w)) {
            int port = server.getLocalPort();
            Future<Socket> accepted = pool.submit(server::accept);
            try (Socket c = w.client().createSocket()) {
                c.connect(new InetSocketAddress(w.serverAddress(), port), 5000);
                try (Socket a = accepted.get(10, TimeUnit.SECONDS)) {
                    assertThat(c.isConnected()).isTrue();
                    assertThat(c.isBound()).isTrue();
                    assertThat(c.getInetAddress()).isEqualTo(w.serverAddress());
                    assertThat(c.getPort()).isEqualTo(port);
                    assertThat(c.getRemoteSocketAddress()).isEqualTo(new InetSocketAddress(w.serverAddress(), port));
                    assertThat(c.getLocalPort()).isPositive();
                    assertThat(a.getPort()).isEqualTo(c.getLocalPort());
                    assertThat(a.getInetAddress()).isEqualTo(c.getLocalAddress());
                    assertThat(a.getLocalSocketAddress()).isEqualTo(c.getRemoteSocketAddress());
                    assertThat(a.isBound()).isTrue();
                    assertThat(a.isConnected()).isTrue();
                    assertThat(c.toString()).isEqualTo("Socket[addr=" + w.serverAddress() + ",port=" + port + ",localport="
                            + c.getLocalPort() + "]");

                    a.getOutputStream().write("hello".getBytes());
                    InputStream in = c.getInputStream();
                    assertThat(in.read()).isEqualTo('h');
                    assertThat(in.available()).isEqualTo(4);
                    assertThat(in.readNBytes(4)).isEqualTo("ello".getBytes());
                    assertThat(in.available()).isZero();

                    // JDK 17 spells it "already connected", later JDKs "Already connected".
                    assertThatThrownBy(() -> c.connect(new InetSocketAddress(w.serverAddress(), port)))
                            .isInstanceOf(SocketException.class).message().isEqualToIgnoringCase("Already connected");
                    assertThatThrownBy(() -> c.bind(null)).isInstanceOf(SocketException.class).hasMessage("Already bound");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void soTimeoutEndsAReadWithSocketTimeoutExceptionAndTheSocketStaysUsable(World w) throws Exception {
        try (Conn x = Conn.open(w)) {
            Socket c = x.client();
            Socket a = x.accepted();
            c.setSoTimeout(100);
            assertThat(c.getSoTimeout()).isEqualTo(100);
            assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
            assertThat(c.isClosed()).isFalse();
            a.getOutputStream().write(7);
            assertThat(c.getInputStream().read()).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void halfCloseEachWay(World w) throws Exception {
        try (Conn x = Conn.open(w)) {
            Socket c = x.client();
            Socket a = x.accepted();
            OutputStream out = c.getOutputStream();
            out.write(1);
            c.shutdownOutput();
            assertThatThrownBy(() -> out.write(2)).isInstanceOf(SocketException.class).hasMessage("Broken pipe"); // Linux's EPIPE
            assertThat(c.isOutputShutdown()).isTrue();
            assertThatThrownBy(c::getOutputStream).isInstanceOf(SocketException.class).hasMessage("Socket output is shutdown");
            assertThatThrownBy(c::shutdownOutput).isInstanceOf(SocketException.class).hasMessage("Socket output is already shutdown");
            assertThat(a.getInputStream().readAllBytes()).containsExactly(1);

            a.getOutputStream().write(2);
            InputStream in = c.getInputStream();
            c.shutdownInput();
            assertThat(c.isInputShutdown()).isTrue();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.available()).isZero();
            assertThatThrownBy(c::getInputStream).isInstanceOf(SocketException.class).hasMessage("Socket input is shutdown");
            assertThatThrownBy(c::shutdownInput).isInstanceOf(SocketException.class).hasMessage("Socket input is already shutdown");
        }
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void closeFromAnotherThreadEndsABlockedReadAndLeavesTheJdksClosedState(World w) throws Exception {
        try (Conn x = Conn.open(w)) {
            Socket c = x.client();
            Socket a = x.accepted();
            int localPort = c.getLocalPort();
            // The stream is taken here: a reader thread slow to start would otherwise meet the JDK's "Socket is
            // closed" from getInputStream instead of the read's "Socket closed".
            InputStream in = c.getInputStream();
            Future<Integer> reader = pool.submit(() -> in.read());
            Thread.sleep(100); // mostly lets the reader block first; either way the read must fail as closed
            c.close();
            assertThatThrownBy(() -> reader.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(SocketException.class).hasMessage("Socket closed");
            assertThat(c.isClosed()).isTrue();
            assertThat(c.isConnected()).isTrue();
            assertThat(c.isBound()).isTrue();
            assertThat(c.getLocalPort()).isEqualTo(localPort);
            assertThat(c.getLocalAddress().getHostAddress()).isEqualTo("0.0.0.0");
            assertThat(c.getPort()).isEqualTo(x.server().getLocalPort());
            assertThatThrownBy(c::getInputStream).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
            assertThatThrownBy(() -> c.setSoTimeout(1)).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
            assertThatThrownBy(() -> c.setTcpNoDelay(true)).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
            assertThatThrownBy(() -> c.getOption(StandardSocketOptions.SO_KEEPALIVE))
                    .isInstanceOf(SocketException.class).hasMessage("Socket is closed");
            assertThatThrownBy(() -> c.connect(new InetSocketAddress(w.serverAddress(), 1)))
                    .isInstanceOf(SocketException.class).hasMessage("Socket is closed");
            c.close(); // idempotent
            assertThat(a.getInputStream().read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void aPeerThatAbortsIsAConnectionResetForTheReader(World w) throws Exception {
        try (ServerSocket server = listen(w); Socket c = w.client().createSocket(w.serverAddress(), server.getLocalPort())) {
            try (Socket a = server.accept()) {
                a.setSoLinger(true, 0); // close sends a RST
            }
            assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketException.class).hasMessage("Connection reset");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void aRefusedConnectIsAConnectExceptionAndClosesTheSocket(World w) throws Exception {
        int port;
        try (ServerSocket gone = listen(w)) {
            port = gone.getLocalPort();
        }
        Socket s = w.client().createSocket();
        assertThatThrownBy(() -> s.connect(new InetSocketAddress(w.serverAddress(), port), 5000))
                .isInstanceOf(ConnectException.class).hasMessageStartingWith("Connection refused");
        assertThat(s.isClosed()).isEqualTo(closesAfterFailedConnect(w));
        assertThat(s.isConnected()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void anUnresolvedAddressIsAnUnknownHostExceptionAndClosesTheSocket(World w) throws Exception {
        Socket s = w.client().createSocket();
        assertThatThrownBy(() -> s.connect(InetSocketAddress.createUnresolved("example.invalid", 80)))
                .isInstanceOf(UnknownHostException.class).hasMessageContaining("example.invalid");
        assertThat(s.isClosed()).isEqualTo(closesAfterFailedConnect(w));
    }

    /** JDK 17's java.net.Socket leaves a socket whose connect failed open; JDK 25's closes it, as inet4j does. */
    private static boolean closesAfterFailedConnect(World w) {
        return !w.name().equals("jdk") || Runtime.version().feature() > 17;
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void optionsRoundTripAndRefuseWhatTheJdkRefuses(World w) throws Exception {
        try (Socket s = w.client().createSocket()) {
            assertThat(s.supportedOptions()).contains(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                    StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_LINGER,
                    StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS);
            s.setTcpNoDelay(true);
            assertThat(s.getTcpNoDelay()).isTrue();
            assertThat(s.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
            s.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            assertThat(s.getKeepAlive()).isTrue();
            assertThat(s.getSoLinger()).isEqualTo(-1);
            s.setSoLinger(true, 5);
            assertThat(s.getSoLinger()).isEqualTo(5);
            assertThat(s.getOption(StandardSocketOptions.SO_LINGER)).isEqualTo(5);
            s.setSoLinger(false, 0);
            assertThat(s.getSoLinger()).isEqualTo(-1);
            s.setReuseAddress(true);
            assertThat(s.getReuseAddress()).isTrue();
            // Linux doubles SO_RCVBUF/SO_SNDBUF for its bookkeeping; the JDK halves what it reads back.
            s.setReceiveBufferSize(65536);
            assertThat(s.getReceiveBufferSize()).isEqualTo(65536);
            assertThat(s.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(65536);
            s.setSendBufferSize(65536);
            assertThat(s.getSendBufferSize()).isEqualTo(65536);
            s.setOOBInline(true);
            assertThat(s.getOOBInline()).isTrue();

            assertThatThrownBy(() -> s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> s.setOption(StandardSocketOptions.SO_RCVBUF, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setOption(StandardSocketOptions.SO_RCVBUF, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setOption(null, 1)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> s.setReceiveBufferSize(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setSendBufferSize(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setSoLinger(true, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setTrafficClass(256)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setSoTimeout(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.sendUrgentData(1)).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void aServerSocketAnswersAsTheJdksThroughItsLife(World w) throws Exception {
        ServerSocket s = w.server().createServerSocket();
        assertThat(s.isBound()).isFalse();
        assertThat(s.getLocalPort()).isEqualTo(-1);
        assertThat(s.getInetAddress()).isNull();
        assertThat(s.getLocalSocketAddress()).isNull();
        assertThat(s.getChannel()).isNull();
        assertThat(s).hasToString("ServerSocket[unbound]");
        assertThat(s.getReuseAddress()).isTrue();
        assertThat(s.supportedOptions()).contains(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
                StandardSocketOptions.IP_TOS);
        assertThatThrownBy(s::accept).isInstanceOf(SocketException.class).hasMessage("Socket is not bound yet");
        assertThatThrownBy(() -> s.bind(InetSocketAddress.createUnresolved("example.invalid", 0)))
                .isInstanceOf(SocketException.class).hasMessage("Unresolved address");
        s.setReceiveBufferSize(65536);
        assertThat(s.getReceiveBufferSize()).isEqualTo(65536);
        assertThatThrownBy(() -> s.setReceiveBufferSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.setOption(StandardSocketOptions.TCP_NODELAY, true)).isInstanceOf(UnsupportedOperationException.class);

        s.bind(new InetSocketAddress(w.serverAddress(), 0));
        int port = s.getLocalPort();
        assertThat(s.isBound()).isTrue();
        assertThat(port).isPositive();
        assertThat(s.getInetAddress()).isEqualTo(w.serverAddress());
        assertThat(s).hasToString("ServerSocket[addr=" + w.serverAddress() + ",localport=" + port + "]");
        assertThatThrownBy(() -> s.bind(null)).isInstanceOf(SocketException.class).hasMessage("Already bound");

        s.setSoTimeout(100);
        assertThat(s.getSoTimeout()).isEqualTo(100);
        assertThatThrownBy(s::accept).isInstanceOf(SocketTimeoutException.class).hasMessage("Accept timed out");
        assertThatThrownBy(() -> s.setSoTimeout(-1)).isInstanceOf(IllegalArgumentException.class);

        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(s.getLocalPort()).isEqualTo(port);
        assertThatThrownBy(s::accept).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
        assertThatThrownBy(() -> s.setSoTimeout(1)).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void aPortAListenerHoldsIsABindExceptionAndClosingAStreamClosesItsSocket(World w) throws Exception {
        try (ServerSocket first = listen(w)) {
            assertThatThrownBy(() -> w.server().createServerSocket(first.getLocalPort(), 50, w.serverAddress()))
                    .isInstanceOf(java.net.BindException.class).hasMessageStartingWith("Address already in use");
            try (Socket c = w.client().createSocket(w.serverAddress(), first.getLocalPort()); Socket a = first.accept()) {
                a.getInputStream().close();
                assertThat(a.isClosed()).isTrue();
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void closeFromAnotherThreadEndsABlockedAccept(World w) throws Exception {
        ServerSocket s = listen(w);
        Future<Socket> acceptor = pool.submit(s::accept);
        Thread.sleep(100); // mostly lets accept block first: then "Socket closed"; if not, the JDK's "Socket is closed"
        s.close();
        assertThatThrownBy(() -> acceptor.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(SocketException.class).message().isIn("Socket closed", "Socket is closed");
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void theConnectingFactoryOverloadsBindAndConnect(World w) throws Exception {
        try (ServerSocket server = listen(w)) {
            int port = server.getLocalPort();
            try (Socket c = w.client().createSocket(w.serverAddress().getHostAddress(), port); Socket a = server.accept()) {
                assertThat(a.getPort()).isEqualTo(c.getLocalPort());
            }
            try (Socket c = w.client().createSocket(w.serverAddress(), port, null, 0); Socket a = server.accept()) {
                assertThat(c.isConnected()).isTrue();
            }
            int local = freePort(w);
            try (Socket c = w.client().createSocket(w.serverAddress().getHostAddress(), port, null, local); Socket a = server.accept()) {
                assertThat(c.getLocalPort()).isEqualTo(local);
                assertThat(a.getPort()).isEqualTo(local);
            }
        }
    }

    /** A local port the client side may bind: one a listener just had on the client's own address. */
    private static int freePort(World w) throws IOException {
        try (Socket s = w.client().createSocket()) {
            s.bind(null);
            return s.getLocalPort();
        }
    }

    @Test
    void aNameIsAnUnknownHostExceptionAndAnIpv4LiteralOrNullConnects() throws Exception {
        SocketFactory f = t.a.socketFactory();
        assertThatThrownBy(() -> f.createSocket("example.com", 80)).isInstanceOf(UnknownHostException.class)
                .hasMessageStartingWith("example.com");
        try (ServerSocket local = t.a.serverSocketFactory().createServerSocket(0);
             Socket c = f.createSocket((String) null, local.getLocalPort()); Socket a = local.accept()) {
            assertThat(c.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(a.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aConnectThatOutlastsItsTimeoutIsASocketTimeoutExceptionAndClosesTheSocket() throws Exception {
        Socket s = t.a.socketFactory().createSocket();
        // Nobody answers ARP for 10.0.0.3: the SYN waits seconds for a neighbour, far past the connect timeout.
        assertThatThrownBy(() -> s.connect(new InetSocketAddress("10.0.0.3", 80), 200))
                .isInstanceOf(SocketTimeoutException.class).hasMessage("Connect timed out");
        assertThat(s.isClosed()).isTrue();
        assertThat(s.isConnected()).isFalse();
    }

    @Test
    void anIpv6AddressIsRefusedAndClosesTheSocket() throws Exception {
        Socket s = t.a.socketFactory().createSocket();
        assertThatThrownBy(() -> s.connect(new InetSocketAddress(InetAddress.getByName("::1"), 80)))
                .isInstanceOf(SocketException.class).hasMessage("Address family not supported by protocol");
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void trafficClassAndKeepaliveTimingGoToTheStack() throws Exception {
        try (Socket s = t.a.socketFactory().createSocket()) {
            s.setTrafficClass(0x10);
            assertThat(s.getTrafficClass()).isEqualTo(0x10);
            s.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 30);
            s.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, 5);
            s.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
            assertThat(s.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(30);
            assertThat(s.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(5);
            assertThat(s.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(3);
        }
    }

    @Test
    void tcpInfoReadsTheConnectionsState() throws Exception {
        try (ServerSocket server = t.b.serverSocketFactory().createServerSocket(0);
             Socket c = t.a.socketFactory().createSocket(TwoStacks.B, server.getLocalPort()); Socket a = server.accept()) {
            c.getOutputStream().write(new byte[10]);
            assertThat(a.getInputStream().readNBytes(10)).hasSize(10);
            io.inet4j.socket.TcpInfo info = c.getOption(io.inet4j.stack.InetSocketOptions.TCP_INFO);
            assertThat(info.state()).as("TCP_ESTABLISHED").isEqualTo(1);
            assertThat(info.get(io.inet4j.socket.TcpInfo.Field.TCPI_BYTES_SENT)).isEqualTo(10);
            assertThat(info.get(io.inet4j.socket.TcpInfo.Field.TCPI_SND_MSS)).isPositive();
            assertThat(a.getOption(io.inet4j.stack.InetSocketOptions.TCP_INFO).bytesReceived()).isEqualTo(10);
            assertThatThrownBy(() -> c.setOption(io.inet4j.stack.InetSocketOptions.TCP_INFO, info))
                    .isInstanceOf(SocketException.class);
        }
    }

    @Test
    void fourMegabytesEachWayThroughTheFactories() throws Exception {
        int size = 4 << 20;
        try (ServerSocket server = t.b.serverSocketFactory().createServerSocket(0);
             Socket c = t.a.socketFactory().createSocket(TwoStacks.B, server.getLocalPort()); Socket a = server.accept()) {
            Future<byte[]> up = pool.submit(() -> send(c.getOutputStream(), c, 1, size));
            Future<byte[]> down = pool.submit(() -> send(a.getOutputStream(), a, 2, size));
            Future<byte[]> atServer = pool.submit(() -> sha256(a.getInputStream()));
            Future<byte[]> atClient = pool.submit(() -> sha256(c.getInputStream()));
            assertThat(atServer.get(20, TimeUnit.SECONDS)).isEqualTo(up.get());
            assertThat(atClient.get(20, TimeUnit.SECONDS)).isEqualTo(down.get());
        }
    }

    private static byte[] send(OutputStream out, Socket s, long seed, int size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] buf = new byte[50_000];
        for (int left = size; left > 0; ) {
            int n = Math.min(left, 1 + rnd.nextInt(buf.length));
            rnd.nextBytes(buf);
            out.write(buf, 0, n);
            md.update(buf, 0, n);
            left -= n;
        }
        s.shutdownOutput();
        return md.digest();
    }

    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[32768];
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        return md.digest();
    }
}
