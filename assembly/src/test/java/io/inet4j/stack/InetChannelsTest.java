package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.loop.EventLoop;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The NIO channels and selector of {@link InetSelectorProvider} behave as the JDK's do on Linux: non-blocking
 * connect, partial and scatter/gather transfers, level-triggered readiness, wakeup, cancel and close, the JDK's
 * exceptions, blocking mode, options and the socket adaptors. Two threaded stacks on an in-memory wire.
 */
@Timeout(30)
class InetChannelsTest {
    private final ThreadedStacks t = new ThreadedStacks();
    private final InetSelectorProvider pa = t.a.selectorProvider();
    private final InetSelectorProvider pb = t.b.selectorProvider();
    private static final InetSocketAddress B80 = new InetSocketAddress(TwoStacks.B, 80);

    @AfterEach
    void tearDown() { t.close(); }

    private ServerSocketChannel listen() throws IOException {
        ServerSocketChannel ss = pb.openServerSocketChannel();
        ss.bind(new InetSocketAddress(80));
        return ss;
    }

    /** A connected pair: a's client channel and b's accepted one, both blocking. */
    private SocketChannel[] pair(ServerSocketChannel ss) throws IOException {
        SocketChannel c = pa.openSocketChannel();
        assertThat(c.connect(B80)).isTrue();
        return new SocketChannel[] {c, ss.accept()};
    }

    private static SelectionKey watchReads(SocketChannel c, Selector sel) throws IOException {
        c.configureBlocking(false);
        return c.register(sel, SelectionKey.OP_READ);
    }

    /** Selects until {@code key} is selected with all of {@code ops}. */
    private static void awaitReady(Selector sel, SelectionKey key, int ops) throws IOException {
        for (;;) {
            sel.select(5000);
            if (sel.selectedKeys().remove(key) && (key.readyOps() & ops) == ops) return;
        }
    }

    @Test
    void aNonBlockingConnectFinishesOnOpConnectAndEchoesThroughTheSelector() throws Exception {
        try (ServerSocketChannel ss = listen(); Selector sa = pa.openSelector(); Selector sb = pb.openSelector();
                SocketChannel c = pa.openSocketChannel()) {
            ss.configureBlocking(false);
            SelectionKey accept = ss.register(sb, SelectionKey.OP_ACCEPT);
            c.configureBlocking(false);
            assertThat(c.connect(B80)).as("the handshake is under way: EINPROGRESS").isFalse();
            assertThat(c.isConnectionPending()).isTrue();
            assertThatThrownBy(() -> c.connect(B80)).isInstanceOf(ConnectionPendingException.class);
            assertThatThrownBy(() -> c.read(ByteBuffer.allocate(1))).isInstanceOf(NotYetConnectedException.class);
            SelectionKey ck = c.register(sa, SelectionKey.OP_CONNECT);
            awaitReady(sa, ck, SelectionKey.OP_CONNECT);
            assertThat(c.finishConnect()).isTrue();
            assertThat(c.isConnected()).isTrue();
            assertThatThrownBy(() -> c.connect(B80)).isInstanceOf(AlreadyConnectedException.class);

            awaitReady(sb, accept, SelectionKey.OP_ACCEPT);
            SocketChannel s = ss.accept();
            assertThat(s.getRemoteAddress()).isEqualTo(c.getLocalAddress());
            assertThat(ss.accept()).as("nobody else waits: null, not a block").isNull();
            s.configureBlocking(false);
            SelectionKey sk = s.register(sb, SelectionKey.OP_READ);

            ck.interestOps(SelectionKey.OP_READ);
            c.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            awaitReady(sb, sk, SelectionKey.OP_READ);
            ByteBuffer buf = ByteBuffer.allocate(16);
            assertThat(s.read(buf)).isEqualTo(4);
            assertThat(s.read(buf)).as("nothing more yet").isZero();
            buf.flip();
            s.write(buf);
            awaitReady(sa, ck, SelectionKey.OP_READ);
            ByteBuffer back = ByteBuffer.allocate(16);
            assertThat(c.read(back)).isEqualTo(4);
            assertThat(new String(back.array(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("ping");
            s.close();
        }
    }

    @Test
    void readinessIsLevelTriggeredUntilTheDataIsRead() throws Exception {
        try (ServerSocketChannel ss = listen(); Selector sb = pb.openSelector()) {
            SocketChannel[] p = pair(ss);
            SelectionKey k = watchReads(p[1], sb);
            p[0].write(ByteBuffer.wrap(new byte[10]));
            awaitReady(sb, k, SelectionKey.OP_READ);
            assertThat(sb.selectNow()).as("still unread: selected again").isEqualTo(1);
            sb.selectedKeys().clear();
            ByteBuffer buf = ByteBuffer.allocate(100);
            assertThat(p[1].read(buf)).isEqualTo(10);
            assertThat(sb.selectNow()).as("read: no longer ready").isZero();
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void aPartialWriteWaitsForOpWriteAndScatterGatherMoveEveryByteInOrder() throws Exception {
        try (ServerSocketChannel ss = listen(); Selector sa = pa.openSelector()) {
            SocketChannel[] p = pair(ss);
            SocketChannel c = p[0];
            c.configureBlocking(false);
            byte[] data = new byte[8 << 20];
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + (i >>> 11));
            ByteBuffer[] srcs = {ByteBuffer.wrap(data, 0, 1000), ByteBuffer.wrap(data, 1000, data.length - 1000)};
            long first = c.write(srcs);
            assertThat(first).as("the send buffer takes part of 8 MB").isPositive().isLessThan(data.length);
            CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] got = new byte[data.length];
                    ByteBuffer a = ByteBuffer.wrap(got, 0, 7), b = ByteBuffer.allocateDirect(got.length - 7);
                    ByteBuffer[] dsts = {a, b};
                    while (b.hasRemaining()) assertThat(p[1].read(dsts)).isPositive();
                    b.flip().get(got, 7, got.length - 7);
                    return got;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            SelectionKey k = c.register(sa, SelectionKey.OP_WRITE);
            long sent = first;
            while (sent < data.length) {
                awaitReady(sa, k, SelectionKey.OP_WRITE);
                sent += c.write(srcs);
            }
            assertThat(reader.get(20, TimeUnit.SECONDS)).isEqualTo(data);
            c.close();
            p[1].close();
        }
    }

    @Test
    void thePeersFinIsReadableAndReadsEndOfStream() throws Exception {
        try (ServerSocketChannel ss = listen(); Selector sb = pb.openSelector()) {
            SocketChannel[] p = pair(ss);
            SelectionKey k = watchReads(p[1], sb);
            p[0].shutdownOutput();
            awaitReady(sb, k, SelectionKey.OP_READ);
            assertThat(p[1].read(ByteBuffer.allocate(1))).isEqualTo(-1);
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void aRefusedConnectThrowsConnectExceptionFromFinishConnectAndClosesTheChannel() throws Exception {
        try (Selector sa = pa.openSelector(); SocketChannel c = pa.openSocketChannel()) {
            c.configureBlocking(false);
            assertThat(c.connect(new InetSocketAddress(TwoStacks.B, 81))).isFalse();
            SelectionKey k = c.register(sa, SelectionKey.OP_CONNECT);
            awaitReady(sa, k, SelectionKey.OP_CONNECT);
            assertThatThrownBy(c::finishConnect).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
            assertThat(c.isOpen()).isFalse();
            assertThat(k.isValid()).isFalse();
        }
    }

    @Test
    void theSocketAdaptorsConnectTimesOutAndClosesTheChannel() throws Exception {
        SocketChannel c = pa.openSocketChannel();
        // Nobody has 10.0.0.3: ARP stays unanswered for seconds, far longer than the timeout.
        assertThatThrownBy(() -> c.socket().connect(new InetSocketAddress("10.0.0.3", 80), 200))
                .isInstanceOf(java.net.SocketTimeoutException.class).hasMessage("Connect timed out");
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void misuseGetsTheJdksExceptions() throws Exception {
        SocketChannel c = pa.openSocketChannel();
        assertThatThrownBy(c::finishConnect).isInstanceOf(NoConnectionPendingException.class);
        assertThatThrownBy(() -> c.write(ByteBuffer.allocate(1))).isInstanceOf(NotYetConnectedException.class);
        assertThatThrownBy(() -> c.connect(InetSocketAddress.createUnresolved("example.com", 80)))
                .isInstanceOf(UnresolvedAddressException.class);
        try (Selector sel = pa.openSelector(); Selector jdk = Selector.open()) {
            assertThatThrownBy(() -> c.register(sel, SelectionKey.OP_READ)).isInstanceOf(IllegalBlockingModeException.class);
            c.configureBlocking(false);
            assertThatThrownBy(() -> c.register(jdk, SelectionKey.OP_READ)).isInstanceOf(IllegalSelectorException.class);
            assertThatThrownBy(() -> c.register(sel, SelectionKey.OP_ACCEPT)).isInstanceOf(IllegalArgumentException.class);
            try (Selector other = pb.openSelector()) {
                assertThatThrownBy(() -> c.register(other, SelectionKey.OP_READ))
                        .as("another stack's selector").isInstanceOf(IllegalSelectorException.class);
            }
        }
        c.close();
        assertThatThrownBy(() -> c.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> c.connect(B80)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(c::getLocalAddress).isInstanceOf(ClosedChannelException.class);
        try (ServerSocketChannel ss = pb.openServerSocketChannel()) {
            assertThatThrownBy(ss::accept).isInstanceOf(NotYetBoundException.class);
        }
        Selector sel = pa.openSelector();
        sel.close();
        assertThatThrownBy(sel::selectNow).isInstanceOf(ClosedSelectorException.class);
        assertThatThrownBy(sel::keys).isInstanceOf(ClosedSelectorException.class);
    }

    @Test
    void wakeupBeforeSelectReturnsAtOnceAndFromAnotherThreadEndsAWait() throws Exception {
        try (Selector sel = pa.openSelector()) {
            sel.wakeup();
            assertThat(sel.select()).isZero();
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return sel.select();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            while (!waiting.isDone()) {
                sel.wakeup();
                Thread.sleep(10);
            }
            assertThat(waiting.get()).isZero();
            Thread.currentThread().interrupt();
            try {
                assertThat(sel.select()).as("an interrupted thread does not sleep").isZero();
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
        }
    }

    @Test
    void cancelAndCloseDeregisterAtTheNextSelect() throws Exception {
        try (ServerSocketChannel ss = listen(); Selector sb = pb.openSelector()) {
            SocketChannel[] p = pair(ss);
            p[1].configureBlocking(false);
            SelectionKey k = p[1].register(sb, SelectionKey.OP_READ, "attached");
            assertThat(k.attachment()).isEqualTo("attached");
            assertThat(sb.keys()).containsExactly(k);
            k.cancel();
            assertThat(k.isValid()).isFalse();
            assertThatThrownBy(k::interestOps).isInstanceOf(CancelledKeyException.class);
            p[0].write(ByteBuffer.wrap(new byte[1]));
            sb.selectNow();
            assertThat(sb.keys()).isEmpty();
            assertThat(p[1].isRegistered()).isFalse();
            SelectionKey k2 = p[1].register(sb, SelectionKey.OP_READ);
            awaitReady(sb, k2, SelectionKey.OP_READ);
            p[1].close();
            assertThat(k2.isValid()).isFalse();
            sb.selectNow();
            assertThat(sb.keys()).isEmpty();
            p[0].close();
        }
    }

    @Test
    void blockingModeConnectsAcceptsReadsAndWritesWholeBuffers() throws Exception {
        try (ServerSocketChannel ss = listen()) {
            SocketChannel[] p = pair(ss);
            byte[] big = new byte[1 << 20];
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    return p[0].write(ByteBuffer.wrap(big));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ByteBuffer in = ByteBuffer.allocate(big.length);
            while (in.hasRemaining()) assertThat(p[1].read(in)).isPositive();
            assertThat(writer.get(10, TimeUnit.SECONDS)).as("a blocking write takes everything").isEqualTo(big.length);
            CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return p[1].read(ByteBuffer.allocate(1));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(50);
            assertThat(blocked).as("a blocking read waits for data").isNotDone();
            p[1].close();
            assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RuntimeException.class).hasRootCauseInstanceOf(java.nio.channels.AsynchronousCloseException.class);
            p[0].close();
        }
    }

    @Test
    void optionsAndTheSocketAdaptorsReachTheKernelSocket() throws Exception {
        try (ServerSocketChannel ss = listen()) {
            assertThat(ss.getOption(StandardSocketOptions.SO_REUSEADDR)).as("on from the start, as the JDK's").isTrue();
            assertThat(ss.socket().getLocalPort()).isEqualTo(80);
            assertThat(ss.socket().isBound()).isTrue();
            SocketChannel[] p = pair(ss);
            Socket s = p[0].socket();
            assertThat(s.getChannel()).isSameAs(p[0]);
            s.setTcpNoDelay(true);
            assertThat(p[0].getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
            s.setKeepAlive(true);
            assertThat(s.getKeepAlive()).isTrue();
            assertThat(s.getSoLinger()).isEqualTo(-1);
            s.setSoLinger(true, 7);
            assertThat(p[0].getOption(StandardSocketOptions.SO_LINGER)).isEqualTo(7);
            p[0].setOption(StandardSocketOptions.SO_RCVBUF, 65536);
            assertThat(s.getReceiveBufferSize()).as("doubled, as Linux reports it").isEqualTo(131072);
            s.setSendBufferSize(32768);
            assertThat(s.getSendBufferSize()).isEqualTo(65536);
            assertThat(s.isConnected()).isTrue();
            assertThat(s.getPort()).isEqualTo(80);
            assertThat(s.getInetAddress().getHostAddress()).isEqualTo(TwoStacks.B);
            assertThat(s.getLocalPort()).isEqualTo(p[1].socket().getPort());
            assertThat(p[0].supportedOptions()).contains(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_REUSEADDR);
            assertThatThrownBy(() -> p[0].setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1))
                    .isInstanceOf(UnsupportedOperationException.class);
            s.getOutputStream().write(42);
            assertThat(p[1].socket().getInputStream().read()).isEqualTo(42);
            s.close();
            assertThat(p[0].isOpen()).isFalse();
            assertThat(s.isClosed()).isTrue();
            p[1].close();
        }
    }

    @Test
    void tcpCongestionChoosesTheAlgorithmByNameAndAListenersChoiceGoesToItsConnections() throws Exception {
        try (ServerSocketChannel ss = listen(); SocketChannel c = pa.openSocketChannel()) {
            assertThat(c.getOption(InetSocketOptions.TCP_CONGESTION)).as("net.ipv4.tcp_congestion_control").isEqualTo("cubic");
            c.setOption(InetSocketOptions.TCP_CONGESTION, "reno");
            assertThat(c.getOption(InetSocketOptions.TCP_CONGESTION)).isEqualTo("reno");
            assertThatThrownBy(() -> c.setOption(InetSocketOptions.TCP_CONGESTION, "bbr"))
                    .isInstanceOf(java.net.SocketException.class).hasMessageContaining("No such file or directory");
            assertThat(c.getOption(InetSocketOptions.TCP_CONGESTION)).as("unchanged by the refusal").isEqualTo("reno");
            ss.setOption(InetSocketOptions.TCP_CONGESTION, "reno");
            assertThat(c.connect(B80)).isTrue();
            try (SocketChannel s = ss.accept()) {
                assertThat(s.getOption(InetSocketOptions.TCP_CONGESTION)).as("tcp_ca_openreq_child").isEqualTo("reno");
            }
            assertThat(c.socket().getOption(InetSocketOptions.TCP_CONGESTION)).as("through the adaptor").isEqualTo("reno");
        }
    }

    @Test
    void aDeferringListenerAcceptsOnTheFirstDataNotOnTheBareAck() throws Exception {
        try (ServerSocketChannel ss = listen()) {
            ss.setOption(InetSocketOptions.TCP_DEFER_ACCEPT, 5);
            assertThat(ss.getOption(InetSocketOptions.TCP_DEFER_ACCEPT)).isEqualTo(7); // 1 + 2 + 4 s of SYN-ACK backoff
            SocketChannel c = pa.openSocketChannel();
            assertThat(c.connect(B80)).isTrue();
            c.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            SocketChannel s = ss.accept();
            ByteBuffer in = ByteBuffer.allocate(5);
            while (in.hasRemaining()) assertThat(s.read(in)).isPositive();
            assertThat(new String(in.array(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            // The handshake's ACK came first on the wire and was dropped; the data made the connection.
            assertThat(t.b.net().mibs().tcpExt.get(io.inet4j.mib.TcpExtMib.TCPDeferAcceptDrop)).isEqualTo(1);
            c.close();
            s.close();
        }
    }

    @Test
    void opWriteWaitsUntilTheUnsentBytesAreBelowHalfOfTcpNotsentLowat() throws Exception {
        try (ServerSocketChannel ss = listen(); Selector sa = pa.openSelector()) {
            SocketChannel[] p = pair(ss);
            SocketChannel c = p[0];
            c.setOption(InetSocketOptions.TCP_NOTSENT_LOWAT, 3000);
            assertThat(c.getOption(InetSocketOptions.TCP_NOTSENT_LOWAT)).isEqualTo(3000);
            c.configureBlocking(false);
            int total = 4 << 20;
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    long got = 0;
                    ByteBuffer in = ByteBuffer.allocate(64 << 10);
                    while (got < total) {
                        got += p[1].read(in.clear());
                    }
                    return got;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ByteBuffer out = ByteBuffer.allocate(total);
            SelectionKey k = c.register(sa, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                awaitReady(sa, k, SelectionKey.OP_WRITE);
                // Only ACKs change the unsent bytes while this thread does not write: they can only have shrunk.
                assertThat(c.getOption(InetSocketOptions.TCP_INFO).get(io.inet4j.socket.TcpInfo.Field.TCPI_NOTSENT_BYTES))
                        .isLessThan(1500);
                c.write(out);
                // A write starts no new segment once 3000 bytes wait unsent, so at most one more than that waits.
                assertThat(c.getOption(InetSocketOptions.TCP_INFO).get(io.inet4j.socket.TcpInfo.Field.TCPI_NOTSENT_BYTES))
                        .isLessThan(3000 + 1460);
            }
            assertThat(reader.get(20, TimeUnit.SECONDS)).isEqualTo(total);
            c.close();
            p[1].close();
        }
    }

    @Test
    void tcpInfoIsAReadOnlyOptionOfAConnectedChannel() throws Exception {
        try (ServerSocketChannel ss = listen()) {
            SocketChannel[] p = pair(ss);
            p[0].write(ByteBuffer.wrap(new byte[1000]));
            ByteBuffer in = ByteBuffer.allocate(1000);
            while (in.hasRemaining()) assertThat(p[1].read(in)).isPositive();
            io.inet4j.socket.TcpInfo ci = p[0].getOption(InetSocketOptions.TCP_INFO);
            assertThat(ci.state()).as("TCP_ESTABLISHED").isEqualTo(1);
            assertThat(ci.get(io.inet4j.socket.TcpInfo.Field.TCPI_BYTES_SENT)).isEqualTo(1000);
            assertThat(p[1].getOption(InetSocketOptions.TCP_INFO).bytesReceived()).isEqualTo(1000);
            assertThat(p[0].supportedOptions()).contains(InetSocketOptions.TCP_INFO);
            assertThatThrownBy(() -> p[0].setOption(InetSocketOptions.TCP_INFO, ci))
                    .isInstanceOf(java.net.SocketException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> ss.getOption(InetSocketOptions.TCP_INFO)).isInstanceOf(UnsupportedOperationException.class);
            p[0].close();
            assertThatThrownBy(() -> p[0].getOption(InetSocketOptions.TCP_INFO))
                    .isInstanceOf(java.nio.channels.ClosedChannelException.class);
            p[1].close();
        }
    }

    @Test
    void aSelectWokenByTheStatesOwnerSleepsUntilItLetsGo() throws Exception {
        // ep_poll_callback from the owner: woken at once, the select's trip to the loop would find the state held.
        try (ServerSocketChannel ss = listen(); Selector sb = pb.openSelector()) {
            SocketChannel[] p = pair(ss);
            SelectionKey key = watchReads(p[1], sb);
            CompletableFuture<Integer> selected = new CompletableFuture<>();
            Thread selecting = new Thread(() -> {
                try {
                    selected.complete(sb.select());
                } catch (Throwable e) {
                    selected.completeExceptionally(e);
                }
            }, "selecting");
            selecting.start();
            while (LockSupport.getBlocker(selecting) != sb) Thread.onSpinWait();
            EventLoop loop = t.b.loop();
            while (!loop.tryEnter()) Thread.onSpinWait();
            Object blockerWhileOwned;
            try {
                ((InetChannel) p[1]).handle().sock.wq().wakeUp(loop);
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() - end < 0) Thread.onSpinWait();
                blockerWhileOwned = LockSupport.getBlocker(selecting);
            } finally {
                loop.exit();
            }
            assertThat(blockerWhileOwned).as("still asleep in the select while the state is held").isSameAs(sb);
            p[0].write(ByteBuffer.wrap(new byte[] {1}));
            assertThat(selected.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(sb.selectedKeys()).containsExactly(key);
            p[0].close();
            p[1].close();
        }
    }
}
