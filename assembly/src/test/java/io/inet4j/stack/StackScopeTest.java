package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inet4j.hook.AttachType;
import io.inet4j.hook.SockOp;
import io.inet4j.hook.Verdict;
import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.Errno;
import io.inet4j.socket.SockAddrIn;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedding API of scopes on two stacks with threaded loops: sockets made through {@link StackScope} run their
 * scope's hooks, hooks attached from the test thread take effect on the loop, and a denied connect is the
 * {@code SocketException} the JDK throws for EPERM.
 */
@Timeout(30)
class StackScopeTest {
    private final ThreadedStacks t = new ThreadedStacks();

    @AfterEach
    void tearDown() { t.close(); }

    @Test
    void aJailedSocketCannotConnectAndTheSocketIsClosed() throws Exception {
        t.a.scope("/jail").attach(AttachType.INET4_CONNECT, ctx -> Verdict.DENY);
        try (InetServerSocket server = t.b.serverSocket(80)) {
            InetSocket jailed = t.a.in("/jail").socket();
            Throwable e = catchThrowable(() -> jailed.connect(new InetSocketAddress(TwoStacks.B, 80), 2000));
            assertThat(e).isInstanceOf(SocketException.class).hasMessageContaining("Operation not permitted");
            assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EPERM);
            assertThat(jailed.isClosed()).isTrue();
            try (InetSocket free = t.a.socket()) {
                free.connect(new InetSocketAddress(TwoStacks.B, 80), 2000);
                assertThat(free.isConnected()).isTrue();
            }
        }
    }

    @Test
    void connectionsAServerOfAScopeAcceptsBelongToItsScope() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        t.b.scope("/web").attach(AttachType.SOCK_OPS, ctx -> {
            if (ctx.op() == SockOp.PASSIVE_ESTABLISHED_CB) {
                heard.add(ctx.scope().path() + " " + SockAddrIn.formatAddress(ctx.remoteIp4()) + " -> " + ctx.localPort());
            }
            return Verdict.ALLOW;
        });
        try (InetServerSocket server = t.b.in("/web").serverSocket(8080);
             InetServerSocket other = t.b.serverSocket(8081);
             InetSocket c1 = t.a.socket();
             InetSocket c2 = t.a.socket()) {
            c1.connect(new InetSocketAddress(TwoStacks.B, 8080), 2000);
            c2.connect(new InetSocketAddress(TwoStacks.B, 8081), 2000);
            try (InetSocket s1 = server.accept(); InetSocket s2 = other.accept()) {
                assertThat(heard).containsExactly("/web " + TwoStacks.A + " -> 8080");
            }
        }
    }

    /** NIO and the socket factories of a scope make that scope's sockets, and their calls meet the security modules. */
    @Test
    void scopedNioAndFactoriesRunTheScopesHooksAndTheSecurityModules() throws Exception {
        t.a.scope("/jail").attach(AttachType.INET4_CONNECT, ctx -> Verdict.DENY);
        try (InetServerSocket server = t.b.serverSocket(80)) {
            InetSocketAddress b80 = new InetSocketAddress(TwoStacks.B, 80);
            try (java.nio.channels.SocketChannel jailed = t.a.in("/jail").selectorProvider().openSocketChannel()) {
                assertThat(SocketErrors.errno(catchThrowable(() -> jailed.connect(b80)))).isEqualTo(Errno.EPERM);
            }
            assertThat(SocketErrors.errno(catchThrowable(() -> t.a.in("/jail").socketFactory().createSocket(TwoStacks.B, 80))))
                    .isEqualTo(Errno.EPERM);
            try (var noSend = t.a.hooks().addSecurity(new io.inet4j.hook.SocketSecurity() {
                    @Override
                    public int socketSendmsg(io.inet4j.socket.Socket sock, io.inet4j.socket.MsgHdr msg) {
                        return Errno.EACCES.neg();
                    }
                });
                 java.nio.channels.SocketChannel free = t.a.selectorProvider().openSocketChannel()) {
                free.connect(b80);
                Throwable e = catchThrowable(() -> free.write(java.nio.ByteBuffer.wrap(new byte[] {1})));
                assertThat(SocketErrors.errno(e)).isEqualTo(Errno.EACCES);
                server.accept().close();
            }
        }
    }
}
