package io.inet4j.stack;

import io.inet4j.hook.HookBinding;
import io.inet4j.hook.HookSpec;
import io.inet4j.hook.Hooks;
import io.inet4j.hook.Scope;
import io.inet4j.hook.SocketSecurity;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.af.InetFamily;
import io.inet4j.ipv4.af.InetInit;
import io.inet4j.ipv4.af.InetSwitch;
import io.inet4j.ipv4.icmp.Icmp;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.IfAddr;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.ipv4.neigh.Arp;
import io.inet4j.ipv4.route.Fib;
import io.inet4j.ipv4.route.Route;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.loop.ThreadEventLoop;
import io.inet4j.net.Net;
import io.inet4j.net.NetConfig;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.Link;
import io.inet4j.netdev.LoopbackLink;
import io.inet4j.netdev.NetDevice;
import io.inet4j.netdev.PcapWriter;
import io.inet4j.netfilter.NfHooks;
import io.inet4j.protocol.InetProtoswTable;
import io.inet4j.protocol.NetProtocolTable;
import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.LoopCall;
import io.inet4j.socket.Orphans;
import io.inet4j.socket.Proto;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.Socket;
import io.inet4j.stack.javanet.InetServerSocketFactory;
import io.inet4j.stack.javanet.InetSocketFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.inject.Inject;

/**
 * One running inet4j stack: the entry point for embedding. Built with {@link #builder()}; {@link #start}
 * does what the kernel's {@code inet_init()} and an {@code ip addr}/{@code ip route} script would: registers
 * the AF_INET family and every protocol table, brings up {@code lo} and the configured links, adds addresses
 * and routes.
 *
 * <p>Programs use it through {@link #socket()} and {@link #serverSocket(int)}, blocking sockets shaped like
 * {@code java.net.Socket} and {@code ServerSocket}; libraries written against the JDK's take real ones from
 * {@link #socketFactory()} and {@link #serverSocketFactory()}; tools and tests may drive the kernel-level
 * {@link #socket(int, int)} directly.
 */
public final class InetStack implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InetStack.class.getName());
    private static final long ORPHAN_POLL_MILLIS = 10;
    private final Net net;
    private final InetContext inet;
    private final StackConfig config;
    private final DevInet devinet;
    private final Fib fib;
    private final Arp arp;
    private final Ipv4 ipv4;
    private final InetSwitch inetsw;
    private final Icmp icmp;
    private final Set<NetProtocolTable> boundHandlers;
    private final Set<InetProtoswTable> boundSwitch;
    private final Set<HookBinding> boundHooks;
    private final Set<SocketSecurity> boundSecurity;
    /** The root scope's view: what {@link #socket()} and {@link #serverSocket} make sockets through. */
    private final StackScope root;
    private final InetInit inetInit = new InetInit();
    /**
     * Open {@link InetSocket}s and {@link InetServerSocket}s: closing the stack closes them, as exit closes fds. A
     * list through the handles themselves ({@link SocketHandle#prevOpen}, {@link SocketHandle#nextOpen}) under
     * {@link #handlesLock}, not a concurrent set, whose node per socket a million connections would pay for.
     */
    private final Object handlesLock = new Object();
    private SocketHandle handles;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InetSelectorProvider selectorProvider;
    private Runnable onClose = () -> {};
    private Duration closeTimeout = Builder.DEFAULT_CLOSE_TIMEOUT;
    private volatile Orphans abandoned = Orphans.NONE;

    @Inject
    InetStack(Net net, InetContext inet, StackConfig config, DevInet devinet, Fib fib, Arp arp, Ipv4 ipv4, Icmp icmp,
              InetSwitch inetsw, Set<NetProtocolTable> boundHandlers, Set<InetProtoswTable> boundSwitch,
              Set<HookBinding> boundHooks, Set<SocketSecurity> boundSecurity) {
        this.net = net;
        this.inet = inet;
        this.config = config;
        this.devinet = devinet;
        this.fib = fib;
        this.arp = arp;
        this.ipv4 = ipv4;
        this.inetsw = inetsw;
        this.icmp = icmp;
        this.boundHandlers = boundHandlers;
        this.boundSwitch = boundSwitch;
        this.boundHooks = boundHooks;
        this.boundSecurity = boundSecurity;
        this.root = new StackScope(this, net.hooks().root());
        this.selectorProvider = root.selectorProvider();
    }

    public static Builder builder() { return new Builder(); }

    /** inet_init plus the configured links, addresses and routes; runs on the loop. */
    void start() {
        call(() -> {
            net.registerFamily(new InetFamily(inetsw));
            net.packetTypes().add(EthernetHeader.ETH_P_IP, ipv4);
            net.packetTypes().add(EthernetHeader.ETH_P_ARP, arp);
            devinet.addListener(arp);
            // arp_error_report: a neighbour that never answered becomes a host-unreachable for the sender.
            arp.table().setErrorReport(pkt -> icmp.send(pkt, IcmpHeader.DEST_UNREACH, IcmpHeader.HOST_UNREACH, 0));
            inetInit.register(inet, inetsw, config.loader(), boundHandlers, boundSwitch);
            net.applyConfiguredSysctls();
            NetDevice lo = net.addDevice(new LoopbackLink());
            lo.open();
            ipv4.setLoopback(lo);
            devinet.add(new IfAddr(lo.ifindex(), SockAddrIn.parseAddress("127.0.0.1"), 8));
            for (StackConfig.LinkSpec spec : config.links()) addLink(spec);
            for (StackConfig.RouteSpec r : config.routes()) addRoute(r);
            return null;
        });
        attachConfiguredHooks();
    }

    /**
     * The hooks of the three ways in that exist before the first socket: security modules and hooks bound by
     * Dagger multibindings, then the configured specs, whose factories are found on the class path.
     */
    private void attachConfiguredHooks() {
        Hooks hooks = net.hooks();
        boundSecurity.forEach(hooks::addSecurity);
        try {
            for (HookBinding b : boundHooks) b.attach(hooks);
            for (HookSpec s : config.hooks()) s.attach(hooks, config.loader());
        } catch (ErrnoException e) {
            throw new IllegalStateException("configured hooks cannot be attached: " + e.getMessage(), e);
        }
    }

    private NetDevice addLink(StackConfig.LinkSpec spec) {
        NetDevice dev = net.addDevice(spec.link());
        if (spec.pcap() != null) {
            try {
                dev.setTap(PcapWriter.open(spec.pcap(), net.loop().clock()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        dev.open();
        for (String a : spec.addresses()) devinet.add(IfAddr.parse(dev.ifindex(), a));
        return dev;
    }

    /** Adds a route: {@code ip route add DEST [via GW]}; an on-link route needs exactly one non-lo device. */
    public void addRoute(String destination, String gateway) {
        addRoute(new StackConfig.RouteSpec(destination, gateway));
    }

    /**
     * Adds a route with its metrics: {@code ip route add DEST [via GW] [congctl [lock] NAME]}, as
     * {@link StackConfig.RouteSpec#parse} reads it. IllegalArgumentException ("EINVAL") when congctl names no
     * registered algorithm, ("EEXIST") when the route exists.
     */
    public void addRoute(StackConfig.RouteSpec spec) {
        String destination = spec.destination();
        String gateway = spec.gateway();
        IfAddr dst = IfAddr.parse(0, destination.contains("/") ? destination : destination + "/32");
        call(() -> {
            Route r;
            if (gateway == null) {
                NetDevice dev = net.devices().stream().filter(d -> !d.name().equals("lo")).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no device for " + destination));
                r = Route.dev(dst.network(), dst.prefixLen(), dev.ifindex());
            } else {
                int gw = SockAddrIn.parseAddress(gateway);
                IfAddr onLink = devinet.all().stream().filter(a -> a.contains(gw) && a.prefixLen() > 0 && a.ifindex() != 1)
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("gateway " + gateway + " is not on a connected network"));
                r = Route.via(dst.network(), dst.prefixLen(), gw, onLink.ifindex());
            }
            fib.add(r.withMetrics(spec.metrics()));
            return null;
        });
    }

    /**
     * Runs {@code task} on the stack's loop and returns its result (for tools and tests). What the task throws,
     * an Error included, is thrown here, to the caller who asked for it; the loop goes on.
     */
    public <T> T call(Supplier<T> task) {
        EventLoop loop = net.loop();
        if (loop.inEventLoop()) return task.get();
        AtomicReference<T> out = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LoopCall.call(loop, () -> {
            try {
                out.set(task.get());
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
            return 0;
        });
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error e) throw e;
        return out.get();
    }

    /**
     * socket(AF_INET, type, protocol) for any registered protocol, plug-ins included, as a {@link SocketFd} whose
     * methods are the system calls; {@link ErrnoException} as Linux answers (ESOCKTNOSUPPORT, EPROTONOSUPPORT).
     * The socket belongs to the root scope; {@link #in} makes sockets of another.
     */
    public SocketFd socket(int type, int protocol) throws ErrnoException { return root.socket(type, protocol); }

    /** __sock_create on the loop in {@code scope}: 0 with the socket in {@code out[0]}, or {@code -errno}. */
    int socketCreate(Scope scope, int type, int protocol, Socket[] out) {
        return LoopCall.call(net.loop(), () -> net.socketCreate(scope, AddressFamily.AF_INET, type, protocol, out));
    }

    /**
     * A new, unconnected stream socket ({@code java.net.Socket} style) of the root scope: TCP when it is on the
     * class path. Its blocking calls need the stack's loop on its own thread, which the builder gives by default.
     */
    public InetSocket socket() throws SocketException { return root.socket(); }

    /**
     * NIO on this stack: the {@link java.nio.channels.spi.SelectorProvider} whose socket channels, server socket
     * channels and selectors are this stack's, for NIO code and frameworks that take a provider (Netty:
     * {@code NioIoHandler.newFactory(provider)}, {@code new NioSocketChannel(provider)}).
     */
    public InetSelectorProvider selectorProvider() { return selectorProvider; }

    /** A TCP server socket listening on {@code port} (0: ephemeral) of every local address, backlog 50. */
    public InetServerSocket serverSocket(int port) throws IOException { return root.serverSocket(port); }

    public InetServerSocket serverSocket(int port, int backlog) throws IOException { return root.serverSocket(port, backlog); }

    /** A TCP server socket listening on {@code bindAddr} (an IPv4 literal, null for every address) and {@code port}. */
    public InetServerSocket serverSocket(int port, int backlog, String bindAddr) throws IOException {
        return root.serverSocket(port, backlog, bindAddr);
    }

    /** An unbound TCP server socket, for options that must be set before {@link InetServerSocket#bind}. */
    public InetServerSocket serverSocket() throws SocketException { return root.serverSocket(); }

    /**
     * The stack seen from scope {@code path} ({@code /services/web}, created if missing): the sockets it makes
     * belong to that scope and run its hooks, as a process's sockets belong to its cgroup.
     */
    public StackScope in(String path) { return in(net.hooks().scope(path)); }

    /** The stack seen from {@code scope}, one of this stack's. */
    public StackScope in(Scope scope) {
        if (scope.hooks() != net.hooks()) throw new IllegalArgumentException(scope + " is another stack's");
        return new StackScope(this, scope);
    }

    /** The stack's hook layer: its scopes, their hooks, the security modules (see {@link Hooks}). */
    public Hooks hooks() { return net.hooks(); }

    /** The scope at {@code path}, created with its missing ancestors; {@code hooks().scope(path)}. */
    public Scope scope(String path) { return net.hooks().scope(path); }

    /**
     * A {@link javax.net.SocketFactory} of {@code java.net.Socket}s on this stack, for libraries that take one
     * (OkHttp, Apache HttpClient).
     */
    public InetSocketFactory socketFactory() { return root.socketFactory(); }

    /** A {@link javax.net.ServerSocketFactory} of {@code java.net.ServerSocket}s listening on this stack. */
    public InetServerSocketFactory serverSocketFactory() { return root.serverSocketFactory(); }

    void track(SocketHandle h) {
        synchronized (handlesLock) {
            h.nextOpen = handles;
            if (handles != null) handles.prevOpen = h;
            handles = h;
        }
    }

    void untrack(SocketHandle h) {
        synchronized (handlesLock) {
            if (h.prevOpen == null && handles != h) return; // not on the list any more
            if (h.prevOpen != null) h.prevOpen.nextOpen = h.nextOpen;
            else handles = h.nextOpen;
            if (h.nextOpen != null) h.nextOpen.prevOpen = h.prevOpen;
            h.prevOpen = null;
            h.nextOpen = null;
        }
    }

    /** The open handles now, to close without holding the list's lock. */
    private List<SocketHandle> openHandles() {
        synchronized (handlesLock) {
            List<SocketHandle> open = new ArrayList<>();
            for (SocketHandle h = handles; h != null; h = h.nextOpen) open.add(h);
            return open;
        }
    }

    public Net net() { return net; }

    /** The IPv4 context protocols are handed; tools reach a protocol's per-stack state through it. */
    public InetContext inet() { return inet; }
    public EventLoop loop() { return net.loop(); }
    public Ipv4 ipv4() { return ipv4; }

    /** The stack's IPv4 packet hooks (netfilter's {@code nf_register_net_hook} for NFPROTO_IPV4). */
    public NfHooks netfilter() { return ipv4.netfilter(); }
    public DevInet devinet() { return devinet; }
    public Fib fib() { return fib; }
    public Arp arp() { return arp; }
    public InetSwitch inetsw() { return inetsw; }

    /** What was registered at start, and from which generated tables. */
    public List<InetInit.Registration> registrations() { return inetInit.registrations(); }

    /** The device named {@code name}; IllegalArgumentException when there is none. */
    public NetDevice device(String name) {
        return net.devices().stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + name));
    }

    /**
     * Closes the sockets of {@link #socket()} and {@link #serverSocket} still open (threads blocked in them get
     * "Socket closed"), waits for closed connections to deliver what they still hold, then closes every device
     * (flushing captures) and, if the builder created it, the loop. Idempotent.
     *
     * <p>As in Linux, where {@code close()} returns and the kernel finishes sending, connections the application
     * closed go on delivering their data and FIN after their sockets are gone (orphans). Closing the stack waits
     * for them, on the loop's clock, at most {@link Builder#closeTimeout}; what is still unacknowledged then is
     * abandoned, logged as a WARNING and reported by {@link #abandoned()}. A close made on the loop's own thread
     * cannot wait for that thread, so it abandons at once, unless the loop is a {@link SimulatedEventLoop}, which
     * it drives in virtual time.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (SocketHandle h : openHandles()) h.close();
        Orphans left = awaitOrphans();
        abandoned = left;
        if (!left.none()) {
            LOG.log(System.Logger.Level.WARNING, "stack " + config.net().name() + " closed after " + closeTimeout.toMillis()
                    + " ms with " + left.connections() + " connection(s) unfinished: " + left.bytes()
                    + " byte(s) never acknowledged are abandoned" + callOrHere(this::describeOrphans));
        }
        callOrHere(() -> {
            for (NetDevice d : net.devices()) d.close();
            return null;
        });
        onClose.run();
    }

    /**
     * What {@link #close} had to abandon: connections whose data or FIN the peer had not acknowledged when the
     * close timeout passed, and their unacknowledged bytes; {@link Orphans#NONE} before close or when all was
     * delivered.
     */
    public Orphans abandoned() { return abandoned; }

    /** Waits until no protocol has orphans left or the close timeout passes; returns what is left. */
    private Orphans awaitOrphans() {
        EventLoop loop = net.loop();
        long timeout = closeTimeout.toNanos();
        long start = loop.clock().nanoTime();
        if (loop.inEventLoop()) {
            if (loop instanceof SimulatedEventLoop sim) sim.runUntil(saturatedAdd(start, timeout), () -> orphans().none());
            return orphans();
        }
        for (;;) {
            Orphans left;
            try {
                left = call(this::orphans);
            } catch (RejectedExecutionException loopGone) {
                return orphans(); // nothing runs them any more: all of them are abandoned
            }
            long remaining = timeout - (loop.clock().nanoTime() - start);
            if (left.none() || remaining <= 0) return left;
            try {
                // Polling is enough: the wait is bounded and happens once per stack.
                Thread.sleep(Math.min(ORPHAN_POLL_MILLIS, Math.max(1, remaining / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return callOrHere(this::orphans);
            }
        }
    }

    /** {@link #call}, or on this thread once the loop is gone (failed or closed): then no thread owns the state. */
    private <T> T callOrHere(Supplier<T> task) {
        try {
            return call(task);
        } catch (RejectedExecutionException loopGone) {
            return task.get();
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** Each of {@link #orphans}'s connections on a line of its own, each line starting with a newline; loop thread. */
    private String describeOrphans() {
        StringBuilder sb = new StringBuilder();
        for (Proto p : protos()) for (String line : p.describeOrphans()) sb.append("\n  ").append(line);
        return sb.toString();
    }

    /** Every registered protocol's orphans; loop thread. */
    private Orphans orphans() {
        Orphans o = Orphans.NONE;
        for (Proto p : protos()) o = o.plus(p.orphans());
        return o;
    }

    private List<Proto> protos() {
        return inetsw.entries().stream().map(InetSwitch.Entry::prot).distinct().toList();
    }

    /** Collects a stack's configuration; {@link #build} assembles it with Dagger and starts it. */
    public static final class Builder {
        /** How long {@link InetStack#close} waits for closed connections to finish by default, like a typical linger. */
        public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

        private NetConfig net = NetConfig.named("inet4j");
        private final List<StackConfig.LinkSpec> links = new ArrayList<>();
        private final List<StackConfig.RouteSpec> routes = new ArrayList<>();
        private EventLoop loop;
        private StackAssembly assembly;
        private ClassLoader loader = Thread.currentThread().getContextClassLoader();
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private final List<HookSpec> hooks = new ArrayList<>();

        public Builder name(String name) {
            net = new NetConfig(name, net.seed(), net.sysctls());
            return this;
        }

        public Builder seed(long seed) {
            net = net.withSeed(seed);
            return this;
        }

        public Builder sysctl(String key, String value) {
            net = net.withSysctl(key, value);
            return this;
        }

        /** A link with its addresses ({@code 10.0.0.2/24}). */
        public Builder link(Link link, String... addresses) { return link(link, null, addresses); }

        /** A link whose frames are also written to {@code pcap}. */
        public Builder link(Link link, Path pcap, String... addresses) {
            links.add(new StackConfig.LinkSpec(link, Arrays.asList(addresses), pcap));
            return this;
        }

        public Builder route(String destination, String gateway) {
            routes.add(new StackConfig.RouteSpec(destination, gateway));
            return this;
        }

        /** A route with metrics, e.g. {@code route(RouteSpec.parse("10.9.0.0/16 via 10.0.0.1 congctl reno"))}. */
        public Builder route(StackConfig.RouteSpec spec) {
            routes.add(spec);
            return this;
        }

        public Builder defaultGateway(String gateway) { return route("0.0.0.0/0", gateway); }

        /** The loop to run on (a shared {@code SimulatedEventLoop} in tests); by default a new thread. */
        public Builder loop(EventLoop loop) {
            this.loop = loop;
            return this;
        }

        /** The assembly to build with; by default the highest-ranked one on the class path ({@link StackAssembly#find}). */
        public Builder assembly(StackAssembly assembly) {
            this.assembly = assembly;
            return this;
        }

        /** Where protocol tables and assemblies are looked up; the context class loader by default. */
        public Builder classLoader(ClassLoader loader) {
            this.loader = loader;
            return this;
        }

        /**
         * How long {@link InetStack#close} waits for connections the application closed to deliver their data and
         * FIN ({@link #DEFAULT_CLOSE_TIMEOUT} by default); {@link Duration#ZERO} abandons them at once.
         */
        public Builder closeTimeout(Duration timeout) {
            if (timeout.isNegative()) throw new IllegalArgumentException("close timeout can't be negative: " + timeout);
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * A hook to attach at start, found by its {@link io.inet4j.hook.InetHook} name on the class path:
         * {@code SCOPE ATTACH_TYPE NAME [multi|override] [KEY=VALUE ...]} ({@link HookSpec}), e.g.
         * {@code /services/web connect4 deny-connect multi deny=10.9.0.0/16}. IllegalArgumentException for a
         * malformed spec; a name no factory has fails {@link #build}.
         */
        public Builder hook(String spec) {
            hooks.add(HookSpec.parse(spec));
            return this;
        }

        /** The hook specs of {@code file}, one a line ({@code #} comments and blank lines skipped). */
        public Builder hooks(Path file) throws IOException {
            hooks.addAll(HookSpec.parseFile(file));
            return this;
        }

        public InetStack build() {
            EventLoop l = loop;
            ThreadEventLoop owned = null;
            if (l == null) {
                owned = new ThreadEventLoop("inet4j-" + net.name());
                l = owned;
            }
            StackAssembly a = assembly != null ? assembly : StackAssembly.find(loader);
            InetStack stack = a.assemble(new StackConfig(net, links, routes, loader, hooks), l);
            if (owned != null) stack.onClose = owned::close;
            stack.closeTimeout = closeTimeout;
            stack.start();
            return stack;
        }
    }
}
