package io.inet4j.stack;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;
import io.inet4j.netdev.Link;
import io.inet4j.netdev.LinkHost;
import io.inet4j.netdev.MacAddress;
import io.inet4j.socket.Orphans;
import io.inet4j.sysctl.IntVectorSysctl;
import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Several {@link InetStack}s behind one multi-queue device, shared-nothing, one per queue: what Seastar and F-Stack
 * do with a NIC's RSS queues, and the user-space shape of Linux's per-CPU receive queues (RPS) with
 * {@code SO_REUSEPORT}. Each shard has its own event loop and its own state (sockets, tables, timers), so the
 * shards run on different cores without sharing a lock.
 *
 * <p>Each flow lives on exactly one shard, picked by its 4-tuple ({@link FlowSteering}): connections made through
 * {@link #socket()} take turns over the shards and use an ephemeral port from their shard's slice of
 * {@code ip_local_port_range}, so no two shards pick the same 4-tuple; a {@link #serverSocket listener} listens on
 * every shard and spreads its connections over them by the peer's address and port. Every queue's reader hands
 * each frame to the shard that owns its flow. The kernel's tun sends a flow's frames on the queue we last wrote it
 * on, which is the owner's, so that hand-off is rare; it keeps a flow whole when tun forgets it (a flow silent for
 * 3 s comes back on the queue of its hash).
 *
 * <p>What the shards agree on: the configuration (addresses, routes, sysctls: every shard is built the same way),
 * the port space (the slices), the neighbours (an ARP frame goes to every shard, each keeps its own table; a
 * request is answered by each, which the peer takes as repeats of one answer), ICMP (an error goes to the shard
 * of the flow it quotes, an echo request is answered by the shard whose queue it came in on).
 *
 * <p>Limits: a listener's port must be outside {@code ip_local_port_range}, and a socket that connects must let the
 * shard choose its port (bind to port 0 or not at all); UDP and raw sockets work per shard, through
 * {@link #shard(int)}, and IP fragments stay on the shard whose queue they came in on.
 */
public final class ShardedStack implements AutoCloseable {
    private static final String PORT_RANGE = "net.ipv4.ip_local_port_range";

    private final List<InetStack> shards;
    /** How the port range is sliced; null with one shard, which keeps the whole range. */
    private final FlowSteering steering;
    private final AtomicInteger nextShard = new AtomicInteger();

    private ShardedStack(List<InetStack> shards, FlowSteering steering) {
        this.shards = shards;
        this.steering = steering;
    }

    /**
     * One shard per queue of {@code queues} (the queues of one device, say {@code TapLink.openQueues}): for shard
     * {@code i}, a fresh {@link InetStack#builder()} that {@code configure} sets up as for a single stack (name,
     * sysctls, routes, hooks; it adds no link), then the queue as its link with {@code addresses}. Readers start
     * once every shard is up and owns its slice of the port range. With one queue, a plain stack on that link.
     *
     * @throws IllegalArgumentException when the port range has fewer ports than there are queues
     */
    public static ShardedStack build(List<? extends Link> queues, BiConsumer<Integer, InetStack.Builder> configure,
                                     String... addresses) {
        int n = queues.size();
        if (n == 0) throw new IllegalArgumentException("no queues");
        if (n == 1) {
            InetStack.Builder b = InetStack.builder();
            configure.accept(0, b);
            InetStack stack = b.link(queues.get(0), addresses).build();
            return new ShardedStack(List.of(stack), null);
        }
        SteeredQueues steered = new SteeredQueues(queues);
        List<InetStack> built = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                InetStack.Builder b = InetStack.builder();
                configure.accept(i, b);
                built.add(b.link(steered.queue(i), addresses).build());
            }
            IntVectorSysctl range = (IntVectorSysctl) built.get(0).net().sysctls().get(PORT_RANGE);
            FlowSteering steering = new FlowSteering(n, range.get(0), range.get(1));
            for (int i = 0; i < n; i++) {
                int[] slice = steering.range(i);
                InetStack s = built.get(i);
                s.call(() -> {
                    s.net().sysctls().set(PORT_RANGE, slice[0] + " " + slice[1]);
                    return null;
                });
            }
            steered.start(steering);
            return new ShardedStack(List.copyOf(built), steering);
        } catch (RuntimeException e) {
            built.forEach(InetStack::close);
            queues.forEach(Link::close);
            throw e;
        }
    }

    /** How many shards (queues). */
    public int size() { return shards.size(); }

    /** Shard {@code i}: its own stack, for what works per shard (statistics, UDP, tools). */
    public InetStack shard(int i) { return shards.get(i); }

    public List<InetStack> shards() { return shards; }

    /** A new, unconnected stream socket on the next shard in turn; connect it without binding a port. */
    public InetSocket socket() throws SocketException {
        return shards.get(Math.floorMod(nextShard.getAndIncrement(), shards.size())).socket();
    }

    /**
     * A TCP listener on {@code port} of every shard (as {@code SO_REUSEPORT} listeners, one per CPU); its
     * {@link ShardedServerSocket#accept} takes connections from all of them.
     *
     * @throws IllegalArgumentException for port 0 or a port inside {@code ip_local_port_range} with several shards,
     *     whose connections would all belong to the one shard owning that port
     */
    public ShardedServerSocket serverSocket(int port, int backlog) throws IOException {
        if (shards.size() > 1) {
            int[] first = steering.range(0);
            int[] last = steering.range(shards.size() - 1);
            if (port == 0 || (port >= first[0] && port <= last[1])) {
                throw new IllegalArgumentException("a listener of " + shards.size() + " shards needs a port outside "
                        + PORT_RANGE + " (" + first[0] + "-" + last[1] + "), not " + port);
            }
        }
        List<InetServerSocket> listeners = new ArrayList<>(shards.size());
        try {
            for (InetStack s : shards) listeners.add(s.serverSocket(port, backlog));
        } catch (IOException | RuntimeException e) {
            listeners.forEach(InetServerSocket::close);
            throw e;
        }
        return new ShardedServerSocket(listeners, backlog);
    }

    /** The sum of what each shard had to abandon at close ({@link InetStack#abandoned}). */
    public Orphans abandoned() {
        Orphans o = Orphans.NONE;
        for (InetStack s : shards) o = o.plus(s.abandoned());
        return o;
    }

    /** Closes every shard ({@link InetStack#close}), one after the other, and with them the queues. */
    @Override
    public void close() {
        for (InetStack s : shards) s.close();
    }

    /**
     * The queues as each shard's link: a shard transmits on its own queue, while every queue's reader steers what
     * it receives to the owning shard's device. Readers start only when every shard is up and has its slice.
     */
    private static final class SteeredQueues {
        private final List<? extends Link> queues;
        private final LinkHost[] hosts;
        /** One device, one MAC: what queue 0 wants, else one random address for every shard. */
        private final MacAddress mac;
        private FlowSteering steering;

        SteeredQueues(List<? extends Link> queues) {
            this.queues = queues;
            this.hosts = new LinkHost[queues.size()];
            MacAddress first = queues.get(0).mac();
            this.mac = first != null ? first : MacAddress.random(ThreadLocalRandom.current());
        }

        Link queue(int i) {
            Link q = queues.get(i);
            return new Link() {
                @Override public String name() { return q.name(); }
                @Override public int mtu() { return q.mtu(); }
                @Override public MacAddress mac() { return mac; }
                @Override public int features() { return q.features(); }
                @Override public void start(LinkHost host) { hosts[i] = host; }
                @Override public void transmit(PacketBuffer frame) { q.transmit(frame); }
                @Override public void close() { q.close(); }
            };
        }

        /** Thread.start publishes {@code steering} and the hosts to the readers. */
        void start(FlowSteering steering) {
            this.steering = steering;
            for (int i = 0; i < hosts.length; i++) queues.get(i).start(new QueueHost(i));
        }

        /** What queue {@code i}'s reader sees: the buffers and loop of its own shard, the steering on receive. */
        private final class QueueHost implements LinkHost {
            private final int queue;

            QueueHost(int queue) { this.queue = queue; }

            @Override
            public void receive(PacketBuffer frame) {
                int to = steering.shardOf(frame, queue);
                if (to != FlowSteering.EVERY_SHARD) {
                    hosts[to].receive(frame);
                    return;
                }
                for (int i = 0; i < hosts.length; i++) {
                    if (i != queue) hosts[i].receive(frame.copy());
                }
                hosts[queue].receive(frame);
            }

            @Override public PacketBufferPool pool() { return hosts[queue].pool(); }
            @Override public EventLoop loop() { return hosts[queue].loop(); }
            @Override public void linkFailed(String reason) { hosts[queue].linkFailed(reason); }
        }
    }
}
