package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.stack.InetSelectorProvider;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.testing.RequiresTap;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * inet4j's {@link DatagramChannel} against the Linux kernel over a TAP device (kernel in a fresh namespace at
 * 10.87.1.1/24, stack at 10.87.1.2/24), with socat as Linux's side: the channel's datagrams echoed by Linux
 * through a selector, Linux's datagrams echoed by the channel in blocking mode, Linux's ICMP port unreachable
 * as a {@link PortUnreachableException} on a connected channel, and Netty's {@link NioDatagramChannel} on the
 * stack's provider echoing Linux.
 */
@RequiresTap
class DatagramChannelInteropTest {
    private static final String STACK = "10.87.1.2";
    private static final String LINUX = "10.87.1.1";

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("dg", STACK, LINUX);

    private static DatagramChannel open() throws Exception { return lab.stack().selectorProvider().openDatagramChannel(); }

    @Test
    void linuxEchoesANonBlockingChannelsDatagramsThroughTheSelector() throws Exception {
        Process echo = lab.peer().start("socat", "-b", "65535", "UDP4-RECVFROM:6000,reuseaddr,fork", "SYSTEM:cat");
        try (DatagramChannel ch = open(); Selector sel = lab.stack().selectorProvider().openSelector()) {
            Interop.awaitUdpBound(lab.peer().name(), 6000);
            ch.configureBlocking(false);
            SelectionKey key = ch.register(sel, SelectionKey.OP_READ);
            InetSocketAddress linux = new InetSocketAddress(LINUX, 6000);
            for (int size : new int[] {5, 1472, 20000}) {
                byte[] sent = new byte[size];
                new SplittableRandom(size).nextBytes(sent);
                assertThat(ch.send(ByteBuffer.wrap(sent), linux)).isEqualTo(size);
                SocketAddress from = null;
                ByteBuffer in = ByteBuffer.allocate(65536);
                while (from == null) {
                    assertThat(sel.select(5000)).as("%d bytes echoed", size).isEqualTo(1);
                    assertThat(sel.selectedKeys().remove(key)).isTrue();
                    from = ch.receive(in);
                }
                assertThat(from).isEqualTo(linux);
                in.flip();
                byte[] got = new byte[in.remaining()];
                in.get(got);
                assertThat(got).as("%d bytes", size).isEqualTo(sent);
            }
        } finally {
            echo.destroy();
        }
    }

    @Test
    void aBlockingChannelEchoesLinuxsDatagrams() throws Exception {
        try (DatagramChannel ch = open()) {
            ch.bind(new InetSocketAddress(5000));
            CompletableFuture<SocketAddress> echoed = CompletableFuture.supplyAsync(() -> {
                try {
                    ByteBuffer in = ByteBuffer.allocate(2048);
                    SocketAddress from = ch.receive(in);
                    ch.send(in.flip(), from);
                    return from;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            PeerNamespace.Result r = lab.peer().exec(Duration.ofSeconds(10), "sh", "-c",
                    "(printf 'hello from linux'; sleep 2) | socat -T 3 - UDP4-CONNECT:" + STACK + ":5000,sourceport=5555");
            assertThat(r.stdout()).isEqualTo("hello from linux");
            assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo(new InetSocketAddress(LINUX, 5555));
        }
    }

    @Test
    void aConnectedChannelGetsPortUnreachableAfterLinuxRefuses() throws Exception {
        try (DatagramChannel ch = open()) {
            ch.connect(new InetSocketAddress(LINUX, 6999));
            ch.write(ByteBuffer.wrap("anyone?".getBytes(StandardCharsets.US_ASCII)));
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(100))).isInstanceOf(PortUnreachableException.class);
        }
    }

    /** Netty's NIO datagram transport on the stack's provider: an echo server that Linux's socat talks to. */
    @Test
    void nettysNioDatagramChannelEchoesLinux() throws Exception {
        InetSelectorProvider provider = lab.stack().selectorProvider();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(provider));
        try {
            new Bootstrap().group(group)
                    .channelFactory((ChannelFactory<Channel>) () -> new NioDatagramChannel(provider))
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                            ctx.writeAndFlush(new DatagramPacket(p.content().retain(), p.sender()));
                        }
                    })
                    .bind(7000).sync();
            PeerNamespace.Result r = lab.peer().exec(Duration.ofSeconds(10), "sh", "-c",
                    "(printf 'netty, echo'; sleep 2) | socat -T 3 - UDP4-CONNECT:" + STACK + ":7000");
            assertThat(r.stdout()).isEqualTo("netty, echo");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
