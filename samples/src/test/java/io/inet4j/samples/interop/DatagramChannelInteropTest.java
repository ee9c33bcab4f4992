package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.testing.RequiresTap;
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
 * through a selector, Linux's datagrams echoed by the channel in blocking mode, and Linux's ICMP port unreachable
 * as a {@link PortUnreachableException} on a connected channel.
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
}
