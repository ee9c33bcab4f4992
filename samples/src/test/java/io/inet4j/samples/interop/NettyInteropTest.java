package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.stack.InetSelectorProvider;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.testing.RequiresTap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty's NIO transport on inet4j ({@link InetSelectorProvider} handed to {@code NioIoHandler} and the channels),
 * talking to the Linux kernel over a TAP device: an echo server that Linux's {@code nc} uses, an HTTP server
 * (netty-codec-http) that {@code curl} fetches from over a kept-alive connection, and a Netty client reading from
 * Linux's {@code nc -l}. The kernel side sits in a fresh namespace (10.84.1.1/24), the stack is 10.84.1.2/24.
 */
@RequiresTap
class NettyInteropTest {
    private static final String STACK = "10.84.1.2";
    private static final String LINUX = "10.84.1.1";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("ni", STACK, LINUX);
    private static EventLoopGroup group;
    private static InetSelectorProvider provider;

    @BeforeAll
    static void up() {
        provider = lab.stack().selectorProvider();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(provider));
    }

    @AfterAll
    static void down() throws Exception {
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static Channel serve(int port, ChannelInitializer<SocketChannel> init) throws InterruptedException {
        return new ServerBootstrap().group(group)
                .channelFactory((ChannelFactory<ServerChannel>) () -> new NioServerSocketChannel(provider))
                .childHandler(init).bind(port).sync().channel();
    }

    /**
     * Echoes what it reads; after the peer's FIN (half-closure allowed) it closes once everything it echoed is
     * written, which Netty's default (close at end of input) would cut short when the send buffer is full.
     */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) { ctx.write(msg); }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Test
    void linuxNcGetsEveryByteEchoedByANettyServer() throws Exception {
        Channel server = serve(7, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.config().setAllowHalfClosure(true);
                ch.pipeline().addLast(new Echo());
            }
        });
        try {
            Path sent = Interop.randomFile(dir, "echo.bin", 4 << 20, 84);
            Path got = dir.resolve("echo-got.bin");
            PeerNamespace.Result r = lab.peer().exec(Duration.ofSeconds(30), "sh", "-c",
                    "exec nc -N -w 10 " + STACK + " 7 < " + sent + " > " + got);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(Files.size(got)).isEqualTo(Files.size(sent));
            assertThat(Interop.sha256(got)).isEqualTo(Interop.sha256(sent));
        } finally {
            server.close().sync();
        }
    }

    @Test
    void curlFetchesFromANettyHttpServerOverOneKeptAliveConnection() throws Exception {
        Channel server = serve(8080, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                ByteBuf body = Unpooled.copiedBuffer("netty on inet4j: " + req.uri() + "\n", StandardCharsets.US_ASCII);
                                FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK, body);
                                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                                HttpUtil.setContentLength(res, body.readableBytes());
                                boolean keepAlive = HttpUtil.isKeepAlive(req);
                                HttpUtil.setKeepAlive(res, keepAlive);
                                var f = ctx.writeAndFlush(res);
                                if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
                            }
                        });
            }
        });
        try {
            PeerNamespace.Result r = lab.peer().exec(Duration.ofSeconds(30), "curl", "-sS", "-w", "%{http_code} %{num_connects}\\n",
                    "http://" + STACK + ":8080/one", "http://" + STACK + ":8080/two");
            assertThat(r.stderr()).isEmpty();
            assertThat(r.stdout()).isEqualTo("netty on inet4j: /one\n200 1\nnetty on inet4j: /two\n200 0\n");
        } finally {
            server.close().sync();
        }
    }

    @Test
    void aNettyClientOnInet4jTalksToLinuxNc() throws Exception {
        Path got = dir.resolve("from-netty.txt");
        Process nc = lab.peer().start("sh", "-c", "echo from-linux | exec nc -l 5002 > " + got);
        try {
            Interop.awaitListening(lab.peer().name(), 5002);
            CompletableFuture<String> heard = new CompletableFuture<>();
            Channel c = new Bootstrap().group(group)
                    .channelFactory((ChannelFactory<io.netty.channel.Channel>) () -> new NioSocketChannel(provider))
                    .handler(new ChannelInboundHandlerAdapter() {
                        private final StringBuilder in = new StringBuilder();

                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(Unpooled.copiedBuffer("from-netty\n", StandardCharsets.US_ASCII));
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            in.append(b.toString(StandardCharsets.US_ASCII));
                            b.release();
                            if (in.indexOf("\n") >= 0) {
                                heard.complete(in.toString());
                                ctx.close();
                            }
                        }
                    })
                    .connect(LINUX, 5002).sync().channel();
            assertThat(heard.get(10, TimeUnit.SECONDS)).isEqualTo("from-linux\n");
            c.closeFuture().sync();
            assertThat(nc.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(got)).isEqualTo("from-netty\n");
        } finally {
            nc.destroyForcibly();
        }
    }
}
