package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import io.inet4j.di.CoreModule;
import io.inet4j.hook.AttachFlag;
import io.inet4j.hook.AttachType;
import io.inet4j.hook.Hook;
import io.inet4j.hook.HookBinding;
import io.inet4j.hook.HookFactory;
import io.inet4j.hook.InetHook;
import io.inet4j.hook.SockAddrContext;
import io.inet4j.hook.SocketSecurity;
import io.inet4j.hook.Verdict;
import io.inet4j.ipv4.di.Ipv4Module;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three ways a hook gets in, seen through a datagram (ping) socket's connect, which runs INET4_CONNECT from
 * {@code ping_pre_connect} as {@code inet_dgram_connect} calls it: attached in code, bound by a Dagger
 * multibinding, and named by a configuration line and found with ServiceLoader (the annotation processor lists
 * {@link DenyNet16} in this module's test {@code META-INF/services}).
 */
public class HookWaysInTest {
    private static final String BLOCKED = "10.9.1.1";
    private static final int BLOCKED_NET = SockAddrIn.parseAddress("10.9.0.0");

    private final SimulatedEventLoop loop = new SimulatedEventLoop();

    private InetStack.Builder builder() {
        return InetStack.builder().name("hk").loop(loop).link(InMemoryLink.pair("eth0", "peer", 1500)[0], "10.0.0.1/24")
                .route("10.9.0.0/16", "10.0.0.254");
    }

    private static SocketFd ping(StackScope in) throws ErrnoException { return in.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP); }

    private static SockAddrIn addr(String a) { return new SockAddrIn(SockAddrIn.parseAddress(a), 0); }

    private static Errno errno(ThrowingCall call) {
        try {
            call.run();
            return null;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws ErrnoException;
    }

    /** Denies destinations in {@code net}/16, the argument of its spec. */
    @InetHook("deny-net16")
    public static final class DenyNet16 implements HookFactory {
        @Override
        public Hook<?> create(AttachType<?> type, Map<String, String> args) {
            if (type != AttachType.INET4_CONNECT) throw new IllegalArgumentException("deny-net16 is a connect4 hook");
            int net = SockAddrIn.parseAddress(args.get("net"));
            Hook<SockAddrContext> h = ctx -> (ctx.userIp4() & 0xffff0000) == net ? Verdict.DENY : Verdict.ALLOW;
            return h;
        }
    }

    @Module
    interface PolicyModule {
        @Provides
        @IntoSet
        static HookBinding denyBlocked() {
            return HookBinding.of("/guarded", AttachType.INET4_CONNECT,
                    ctx -> (ctx.userIp4() & 0xffff0000) == BLOCKED_NET ? Verdict.DENY : Verdict.ALLOW, AttachFlag.ALLOW_MULTI);
        }

        @Provides
        @IntoSet
        static SocketSecurity noBindToPort7() {
            return new SocketSecurity() {
                @Override
                public int socketBind(Socket sock, SockAddr address) {
                    return ((SockAddrIn) address).port() == 7 ? Errno.EACCES.neg() : 0;
                }
            };
        }
    }

    /** A stack whose component also has {@link PolicyModule}, as an application's own assembly would. */
    @Singleton
    @Component(modules = {CoreModule.class, Ipv4Module.class, StackModule.class, PolicyModule.class})
    interface PolicyStackComponent extends StackComponent {
        @Component.Factory
        interface Factory {
            PolicyStackComponent create(@BindsInstance StackConfig config, @BindsInstance EventLoop loop);
        }
    }

    @Test
    void attachedInCodeARedirectShowsInGetpeername() throws Exception {
        try (InetStack stack = builder().build()) {
            stack.scope("/app").attach(AttachType.INET4_CONNECT, ctx -> {
                if (ctx.userIp4() == SockAddrIn.parseAddress("10.0.0.99")) ctx.setUserIp4(SockAddrIn.parseAddress("10.0.0.2"));
                return Verdict.ALLOW;
            });
            SocketFd redirected = ping(stack.in("/app"));
            redirected.connect(addr("10.0.0.99"));
            assertThat(redirected.getpeername()).isEqualTo(addr("10.0.0.2"));
            SocketFd outside = ping(stack.in("/"));
            outside.connect(addr("10.0.0.99"));
            assertThat(outside.getpeername()).isEqualTo(addr("10.0.0.99"));
        }
    }

    @Test
    void boundByADaggerMultibinding() throws Exception {
        StackAssembly policy = new StackAssembly() {
            @Override public String name() { return "policy"; }

            @Override public int rank() { return 0; }

            @Override
            public InetStack assemble(StackConfig config, EventLoop l) {
                return DaggerHookWaysInTest_PolicyStackComponent.factory().create(config, l).stack();
            }
        };
        try (InetStack stack = builder().assembly(policy).build()) {
            SocketFd guarded = ping(stack.in("/guarded/inner"));
            assertThat(errno(() -> guarded.connect(addr(BLOCKED)))).isEqualTo(Errno.EPERM);
            guarded.connect(addr("10.0.0.2"));
            ping(stack.in("/")).connect(addr(BLOCKED));
            assertThat(errno(() -> ping(stack.in("/")).bind(new SockAddrIn(0, 7)))).isEqualTo(Errno.EACCES);
            ping(stack.in("/")).bind(new SockAddrIn(0, 8));
        }
    }

    @Test
    void namedByASpecAndFoundWithServiceLoader(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("hooks.conf");
        Files.writeString(conf, "# the jail's policy\n/jail connect4 deny-net16 multi net=10.9.0.0\n");
        try (InetStack stack = builder().hooks(conf).build()) {
            assertThat(errno(() -> ping(stack.in("/jail/cell")).connect(addr(BLOCKED)))).isEqualTo(Errno.EPERM);
            ping(stack.in("/")).connect(addr(BLOCKED));
            assertThat(stack.scope("/jail").attached(AttachType.INET4_CONNECT)).hasSize(1);
        }
    }

    @Test
    void aSpecNoFactoryAnswersFailsTheBuild() {
        assertThatThrownBy(() -> builder().hook("/ connect4 nobody-has-this").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody-has-this");
        assertThatThrownBy(() -> builder().hook("/ connect4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SCOPE ATTACH_TYPE NAME");
    }
}
