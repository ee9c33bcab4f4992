package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link InetDatagramChannel} behaves as the JDK's {@code DatagramChannel} on Linux: datagrams both ways with the
 * sender reported, blocking and non-blocking, selector readiness, connected read/write with scatter/gather,
 * truncation to the buffer, PortUnreachableException after an ICMP port unreachable, options, close semantics.
 * Two threaded stacks on an in-memory wire.
 */
@Timeout(30)
class InetDatagramChannelTest {
    private final ThreadedStacks t = new ThreadedStacks();
    private final InetSelectorProvider pa = t.a.selectorProvider();
    private final InetSelectorProvider pb = t.b.selectorProvider();
    private static final InetSocketAddress B53 = new InetSocketAddress(TwoStacks.B, 53);

    @AfterEach
    void tearDown() { t.close(); }

    private DatagramChannel server() throws IOException { return pb.openDatagramChannel().bind(new InetSocketAddress(53)); }

    private static ByteBuffer text(String s) { return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)); }

    private static String text(ByteBuffer b) {
        b.flip();
        return StandardCharsets.US_ASCII.decode(b).toString();
    }

    @Test
    void blockingSendAndReceiveBothWaysReportTheSender() throws Exception {
        try (DatagramChannel s = server(); DatagramChannel c = pa.openDatagramChannel()) {
            assertThat(c.send(text("query"), B53)).isEqualTo(5);
            InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
            assertThat(local.getPort()).isNotZero();

            ByteBuffer in = ByteBuffer.allocate(100);
            SocketAddress from = s.receive(in);
            assertThat(text(in)).isEqualTo("query");
            assertThat(from).isEqualTo(new InetSocketAddress(TwoStacks.A, local.getPort()));

            assertThat(s.send(text("answer"), from)).isEqualTo(6);
            in.clear();
            assertThat(c.receive(in)).isEqualTo(B53);
            assertThat(text(in)).isEqualTo("answer");
        }
    }

    @Test
    void aSteadySenderIsReportedByOneAddressObjectAndANewSenderByItsOwn() throws Exception {
        try (DatagramChannel s = server(); DatagramChannel c = pa.openDatagramChannel();
             DatagramChannel other = pa.openDatagramChannel()) {
            ByteBuffer in = ByteBuffer.allocate(10);
            c.send(text("1"), B53);
            SocketAddress first = s.receive(in);
            in.clear();
            c.send(text("2"), B53);
            SocketAddress second = s.receive(in);
            in.clear();
            other.send(text("3"), B53);
            SocketAddress third = s.receive(in);
            // As the JDK's channel keeps its last sender: no address is made per datagram while the peer stays.
            assertThat(second).isSameAs(first);
            assertThat(first).isEqualTo(new InetSocketAddress(TwoStacks.A, ((InetSocketAddress) c.getLocalAddress()).getPort()));
            assertThat(third).isEqualTo(new InetSocketAddress(TwoStacks.A, ((InetSocketAddress) other.getLocalAddress()).getPort()));
        }
    }

    @Test
    void aNonBlockingChannelReceivesNullUntilTheSelectorSaysReadable() throws Exception {
        try (DatagramChannel s = server(); DatagramChannel c = pa.openDatagramChannel(); Selector sel = pb.openSelector()) {
            s.configureBlocking(false);
            assertThat(s.receive(ByteBuffer.allocate(10))).isNull();
            SelectionKey key = s.register(sel, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            assertThat(sel.selectNow()).isEqualTo(1);
            assertThat(key.readyOps()).isEqualTo(SelectionKey.OP_WRITE);
            sel.selectedKeys().clear();
            key.interestOps(SelectionKey.OP_READ);

            c.send(text("one"), B53);
            c.send(text("two"), B53);
            assertThat(sel.select(5000)).isEqualTo(1);
            assertThat(key.readyOps()).isEqualTo(SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(10);
            assertThat(s.receive(in)).isNotNull();
            assertThat(text(in)).isEqualTo("one");
            in.clear();
            sel.selectedKeys().clear();
            assertThat(sel.selectNow()).as("level-triggered: the second datagram still waits").isEqualTo(1);
            assertThat(s.receive(in)).isNotNull();
            assertThat(text(in)).isEqualTo("two");
            sel.selectedKeys().clear();
            assertThat(sel.selectNow()).isZero();
            assertThat(s.receive(in)).isNull();
        }
    }

    @Test
    void aDatagramLongerThanTheBufferIsCutAndTheRestDiscarded() throws Exception {
        try (DatagramChannel s = server(); DatagramChannel c = pa.openDatagramChannel()) {
            c.send(text("0123456789"), B53);
            c.send(text("next"), B53);
            ByteBuffer small = ByteBuffer.allocate(4);
            assertThat(s.receive(small)).isNotNull();
            assertThat(text(small)).isEqualTo("0123");
            ByteBuffer in = ByteBuffer.allocate(100);
            s.receive(in);
            assertThat(text(in)).isEqualTo("next");
        }
    }

    @Test
    void aConnectedChannelReadsAndWritesWithScatterGatherAndOnlyHearsItsPeer() throws Exception {
        try (DatagramChannel s = server(); DatagramChannel c = pa.openDatagramChannel()) {
            assertThatThrownBy(() -> c.read(ByteBuffer.allocate(1))).isInstanceOf(NotYetConnectedException.class);
            assertThatThrownBy(() -> c.write(text("x"))).isInstanceOf(NotYetConnectedException.class);
            c.connect(B53);
            assertThat(c.isConnected()).isTrue();
            assertThat(c.getRemoteAddress()).isEqualTo(B53);
            assertThat(c.getLocalAddress()).isNotNull();
            assertThatThrownBy(() -> c.connect(B53)).isInstanceOf(AlreadyConnectedException.class);
            assertThatThrownBy(() -> c.send(text("x"), new InetSocketAddress(TwoStacks.B, 54)))
                    .isInstanceOf(AlreadyConnectedException.class);

            assertThat(c.write(new ByteBuffer[] {text("gath"), text("ered")})).isEqualTo(8);
            ByteBuffer in = ByteBuffer.allocate(100);
            SocketAddress client = s.receive(in);
            assertThat(text(in)).isEqualTo("gathered");
            assertThat(client).isEqualTo(new InetSocketAddress(TwoStacks.A, ((InetSocketAddress) c.getLocalAddress()).getPort()));

            s.send(text("scattered"), client);
            ByteBuffer a = ByteBuffer.allocate(3), b = ByteBuffer.allocate(10);
            assertThat(c.read(new ByteBuffer[] {a, b})).isEqualTo(9);
            assertThat(text(a) + text(b)).isEqualTo("scattered");

            // A datagram from anyone else is not for a connected channel (udp4_lib_lookup matches the peer).
            try (DatagramChannel stranger = pb.openDatagramChannel()) {
                stranger.send(text("nope"), new InetSocketAddress(TwoStacks.A, ((InetSocketAddress) c.getLocalAddress()).getPort()));
            }
            s.send(text("mine"), client);
            ByteBuffer one = ByteBuffer.allocate(10);
            assertThat(c.read(one)).isEqualTo(4);
            assertThat(text(one)).isEqualTo("mine");
        }
    }

    @Test
    void connectDiscardsWhatWasQueuedBeforeAsTheJdkDoes() throws Exception {
        try (DatagramChannel s = server(); DatagramChannel c = pa.openDatagramChannel(); Selector sel = pa.openSelector()) {
            c.bind(new InetSocketAddress(4000)).configureBlocking(false);
            SelectionKey key = c.register(sel, SelectionKey.OP_READ);
            s.send(text("early"), new InetSocketAddress(TwoStacks.A, 4000));
            assertThat(sel.select(5000)).isEqualTo(1);
            sel.selectedKeys().clear();
            c.connect(B53);
            assertThat(c.read(ByteBuffer.allocate(10))).as("the early datagram is gone").isZero();
            s.send(text("late"), new InetSocketAddress(TwoStacks.A, 4000));
            assertThat(sel.select(5000)).isEqualTo(1);
            assertThat(key.readyOps()).isEqualTo(SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(10);
            assertThat(c.read(in)).isEqualTo(4);
            assertThat(text(in)).isEqualTo("late");
        }
    }

    @Test
    void disconnectKeepsTheLocalPortAndReceivesFromAnyoneAgain() throws Exception {
        try (DatagramChannel s = server(); DatagramChannel c = pa.openDatagramChannel()) {
            c.connect(B53);
            SocketAddress local = c.getLocalAddress();
            c.disconnect();
            assertThat(c.isConnected()).isFalse();
            assertThat(c.getRemoteAddress()).isNull();
            assertThat(((InetSocketAddress) c.getLocalAddress()).getPort()).isEqualTo(((InetSocketAddress) local).getPort());
            try (DatagramChannel x = pb.openDatagramChannel()) {
                x.bind(new InetSocketAddress(99));
                x.send(text("hi"), new InetSocketAddress(TwoStacks.A, ((InetSocketAddress) local).getPort()));
                ByteBuffer in = ByteBuffer.allocate(10);
                assertThat(c.receive(in)).isEqualTo(new InetSocketAddress(TwoStacks.B, 99));
            }
        }
    }

    @Test
    void anIcmpPortUnreachableIsPortUnreachableExceptionOnAConnectedChannel() throws Exception {
        try (DatagramChannel c = pa.openDatagramChannel()) {
            c.connect(new InetSocketAddress(TwoStacks.B, 9)); // nobody listens: b answers ICMP port unreachable
            c.write(text("hello?"));
            assertThatThrownBy(() -> c.read(ByteBuffer.allocate(10))).isInstanceOf(PortUnreachableException.class);
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void theSelectorReportsTheIcmpErrorAsReadable() throws Exception {
        try (DatagramChannel c = pa.openDatagramChannel(); Selector sel = pa.openSelector()) {
            c.connect(new InetSocketAddress(TwoStacks.B, 9));
            c.configureBlocking(false);
            SelectionKey key = c.register(sel, SelectionKey.OP_READ);
            c.write(text("hello?"));
            assertThat(sel.select(5000)).isEqualTo(1);
            assertThat(key.readyOps()).isEqualTo(SelectionKey.OP_READ);
            assertThatThrownBy(() -> c.read(ByteBuffer.allocate(10))).isInstanceOf(PortUnreachableException.class);
            assertThat(c.read(ByteBuffer.allocate(10))).isZero();
        }
    }

    @Test
    void closeWakesABlockedReceiveWithAsynchronousCloseException() throws Exception {
        DatagramChannel s = server();
        CompletableFuture<Throwable> blocked = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            try {
                s.receive(ByteBuffer.allocate(10));
                blocked.complete(null);
            } catch (Throwable e) {
                blocked.complete(e);
            }
        });
        receiver.start();
        while (receiver.getState() != Thread.State.WAITING) Thread.onSpinWait(); // asleep on the wait queue
        s.close();
        assertThat(blocked.get()).isInstanceOf(AsynchronousCloseException.class);
        assertThatThrownBy(() -> s.receive(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> s.send(text("x"), B53)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> s.getLocalAddress()).isInstanceOf(ClosedChannelException.class);
        s.disconnect(); // the JDK's disconnect of a closed channel is a no-op
    }

    @Test
    void optionsAreTheJdksWithoutMulticast() throws Exception {
        try (DatagramChannel c = pa.openDatagramChannel(StandardProtocolFamily.INET)) {
            assertThat(c.getOption(StandardSocketOptions.SO_BROADCAST)).isFalse();
            assertThatThrownBy(() -> c.send(text("x"), new InetSocketAddress(InetAddress.getByName("10.0.0.255"), 53)))
                    .isInstanceOf(SocketException.class).hasMessageContaining("Permission denied");
            c.setOption(StandardSocketOptions.SO_BROADCAST, true);
            assertThat(c.getOption(StandardSocketOptions.SO_BROADCAST)).isTrue();
            c.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
            assertThat(c.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(16384); // Linux doubles it
            c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            assertThat(c.getOption(StandardSocketOptions.SO_REUSEADDR)).isTrue();
            c.setOption(StandardSocketOptions.IP_TOS, 0x10);
            assertThat(c.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(0x10);
            assertThatThrownBy(() -> c.setOption(StandardSocketOptions.IP_TOS, 256)).isInstanceOf(IllegalArgumentException.class);
            assertThat(c.supportedOptions()).doesNotContain(StandardSocketOptions.IP_MULTICAST_TTL);
            assertThatThrownBy(() -> c.getOption(StandardSocketOptions.IP_MULTICAST_TTL))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> c.join(InetAddress.getByName("239.1.1.1"), null))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThat(c.getLocalAddress()).as("the send bound the channel, as the JDK's does").isNotNull();
            assertThatThrownBy(() -> c.bind(null)).isInstanceOf(AlreadyBoundException.class);
        }
        assertThatThrownBy(() -> pa.openDatagramChannel(StandardProtocolFamily.INET6)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSocketAdaptorIsAWorkingDatagramSocket() throws Exception {
        try (DatagramChannel s = server(); DatagramChannel c = pa.openDatagramChannel()) {
            DatagramSocket ds = c.socket();
            assertThat(c.socket()).isSameAs(ds);
            assertThat(ds.getChannel()).isSameAs(c);
            assertThat(ds.isBound()).isFalse();
            assertThat(ds.getLocalPort()).isZero();
            ds.bind(new InetSocketAddress(4000));
            assertThat(ds.getLocalSocketAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 4000));
            ds.setBroadcast(true);
            assertThat(c.getOption(StandardSocketOptions.SO_BROADCAST)).isTrue();
            ds.setReceiveBufferSize(8192);
            assertThat(ds.getReceiveBufferSize()).isEqualTo(16384);

            byte[] q = "query".getBytes(StandardCharsets.US_ASCII);
            ds.send(new DatagramPacket(q, q.length, B53));
            ByteBuffer in = ByteBuffer.allocate(100);
            assertThat(s.receive(in)).isEqualTo(new InetSocketAddress(TwoStacks.A, 4000));
            s.send(text("answer!"), new InetSocketAddress(TwoStacks.A, 4000));
            DatagramPacket p = new DatagramPacket(new byte[20], 2, 10);
            ds.receive(p);
            assertThat(p.getSocketAddress()).isEqualTo(B53);
            assertThat(new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.US_ASCII)).isEqualTo("answer!");

            ds.setSoTimeout(50);
            assertThat(ds.getSoTimeout()).isEqualTo(50);
            assertThatThrownBy(() -> ds.receive(new DatagramPacket(new byte[10], 10))).isInstanceOf(SocketTimeoutException.class);

            ds.connect(B53);
            assertThat(ds.isConnected()).isTrue();
            assertThat(ds.getInetAddress()).isEqualTo(InetAddress.getByName(TwoStacks.B));
            assertThat(ds.getPort()).isEqualTo(53);
            assertThatThrownBy(() -> ds.send(new DatagramPacket(q, q.length, new InetSocketAddress(TwoStacks.B, 54))))
                    .isInstanceOf(IllegalArgumentException.class);
            ds.send(new DatagramPacket(q, q.length));
            in.clear();
            s.receive(in);
            assertThat(text(in)).isEqualTo("query");
            ds.disconnect();
            assertThat(ds.getPort()).isEqualTo(-1);
            assertThat(ds.getLocalPort()).isEqualTo(4000);

            c.configureBlocking(false);
            assertThatThrownBy(() -> ds.receive(new DatagramPacket(new byte[10], 10))).isInstanceOf(IllegalBlockingModeException.class);
            ds.close();
            assertThat(c.isOpen()).isFalse();
            assertThat(ds.isClosed()).isTrue();
            assertThat(ds.getLocalPort()).isEqualTo(-1);
        }
    }
}
