package io.inet4j.net;

import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.hook.Hooks;
import io.inet4j.hook.Scope;
import io.inet4j.loop.EventLoop;
import io.inet4j.mib.Mibs;
import io.inet4j.netdev.BusyPoll;
import io.inet4j.netdev.Link;
import io.inet4j.netdev.MacAddress;
import io.inet4j.netdev.NetDevice;
import io.inet4j.netdev.PacketTypes;
import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.Errno;
import io.inet4j.socket.NetProtoFamily;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.sysctl.CoreSysctls;
import io.inet4j.sysctl.Sysctls;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * One stack's world, the analog of {@code struct net} (a network namespace): its loop, buffers, sysctls, MIB
 * counters, devices, address families, and the per-stack state protocols keep with it ({@link #generic}, Linux's
 * {@code net_generic} slots filled by {@code pernet_operations}).
 */
@Singleton
public final class Net {
    private final NetConfig config;
    private final EventLoop loop;
    private final PacketBufferPool pool;
    private final Sysctls sysctls = new Sysctls();
    private final CoreSysctls core = new CoreSysctls(sysctls);
    private final Mibs mibs = new Mibs();
    private final PacketTypes packetTypes = new PacketTypes();
    private final List<NetDevice> devices = new CopyOnWriteArrayList<>();
    private final NetProtoFamily[] families = new NetProtoFamily[AddressFamily.AF_MAX];
    private final Map<Class<?>, Object> generic = new HashMap<>();
    private final Random random;
    private final Hooks hooks;

    @Inject
    public Net(NetConfig config, EventLoop loop, PacketBufferPool pool) {
        this.config = config;
        this.loop = loop;
        this.pool = pool;
        this.random = new Random(config.seed());
        this.hooks = new Hooks(loop.clock());
    }

    public String name() { return config.name(); }
    public NetConfig config() { return config; }
    public EventLoop loop() { return loop; }
    public PacketBufferPool pool() { return pool; }
    public Sysctls sysctls() { return sysctls; }
    public CoreSysctls coreSysctls() { return core; }
    public Mibs mibs() { return mibs; }
    public PacketTypes packetTypes() { return packetTypes; }
    /** The stack's hook layer: scopes with their attached hooks, security modules ({@code cgroup_bpf}, LSM). */
    public Hooks hooks() { return hooks; }

    /** The stack's seeded random source; loop thread only, so a seed replays the same choices. */
    public Random random() { return random; }

    /** Applies the configured sysctl overrides; called once all protocols have registered their tunables. */
    public void applyConfiguredSysctls() {
        config.sysctls().forEach(sysctls::set);
    }

    /** register_netdev: wraps {@code link} in a device with the next ifindex; it stays down until opened. */
    public NetDevice addDevice(Link link) {
        MacAddress mac = link.mac() != null ? link.mac() : MacAddress.random(random);
        NetDevice dev = new NetDevice(devices.size() + 1, link, mac, loop, pool, packetTypes,
                core.netdevMaxBacklog.get());
        devices.add(dev);
        return dev;
    }

    public List<NetDevice> devices() { return List.copyOf(devices); }

    /**
     * A thread is about to sleep on a socket without polling a device: each device that lets polling callers read
     * its frames is told ({@link BusyPoll#sleeperWithoutPoll}). Walks the devices without allocating.
     */
    public void sleeperWithoutPoll() {
        for (int i = 1; ; i++) {
            NetDevice dev = device(i);
            if (dev == null) return;
            BusyPoll bp = dev.link().busyPoll();
            if (bp != null) bp.sleeperWithoutPoll();
        }
    }

    /** The device with {@code ifindex}, or null. */
    public NetDevice device(int ifindex) {
        return ifindex >= 1 && ifindex <= devices.size() ? devices.get(ifindex - 1) : null;
    }

    /** sock_register. */
    public synchronized void registerFamily(NetProtoFamily family) {
        if (families[family.family()] != null) throw new IllegalStateException("family " + family.family() + " already registered");
        families[family.family()] = family;
    }

    /** {@link #socketCreate(Scope, int, int, int, Socket[])} in the root scope. */
    public int socketCreate(int family, int type, int protocol, Socket[] out) {
        return socketCreate(hooks.root(), family, type, protocol, out);
    }

    /**
     * __sock_create: a new socket of (family, type, protocol) belonging to {@code scope} in {@code out}, or
     * {@code -errno} as Linux answers (EAFNOSUPPORT for an unknown family, EINVAL for a bad type, what a security
     * module or an INET_SOCK_CREATE hook refuses with). Loop thread.
     */
    public int socketCreate(Scope scope, int family, int type, int protocol, Socket[] out) {
        loop.assertInLoop();
        if (family < 0 || family >= AddressFamily.AF_MAX) return Errno.EAFNOSUPPORT.neg();
        if (type < 0 || type >= SockType.SOCK_MAX) return Errno.EINVAL.neg();
        if (scope.hooks() != hooks) throw new IllegalArgumentException(scope + " is another stack's");
        int err = hooks.securitySocketCreate(scope, family, type, protocol, false);
        if (err != 0) return err;
        NetProtoFamily f = families[family];
        if (f == null) return Errno.EAFNOSUPPORT.neg();
        Socket sock = new Socket(type);
        err = f.create(this, sock, protocol, false, scope);
        if (err < 0) return err;
        out[0] = sock;
        return 0;
    }

    /**
     * net_generic with get-or-create: the stack's one instance of {@code key}, made by {@code create} on first
     * use. How a protocol keeps per-stack state that its socket side and receive side share (TCP's hash tables, a
     * plug-in's port table) without a start-up order: whichever side asks first creates it. {@code create} may
     * itself ask for other state. Not for services of other layers: those come typed through the protocol's
     * context.
     */
    public <T> T generic(Class<T> key, Supplier<? extends T> create) {
        // One monitor held across create: it is reentrant, so create may ask for other state, and a second caller
        // waits rather than building a twin (state such as TCP's registers sysctls and must exist once).
        synchronized (generic) {
            Object v = generic.get(key);
            if (v == null) {
                v = create.get();
                generic.put(key, v);
            }
            return key.cast(v);
        }
    }

    @Override
    public String toString() { return "net " + name(); }
}
