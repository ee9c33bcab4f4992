package io.inet4j.samples.cli;

import io.inet4j.netdev.MacAddress;
import io.inet4j.socket.Orphans;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.ShardedStack;
import io.inet4j.stack.StackConfig;
import io.inet4j.sysctl.SysctlException;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.TapLink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The picocli mixin of the options every TAP-based command shares, declared once: the device and our address
 * ({@code ip link add ... type tap} and {@code ip addr add} for our side), routes ({@code ip route add}), the Linux peer's namespace and address,
 * a capture file, fault injection ({@link FaultOptions}), hooks ({@link HookOptions}), the seed and sysctls. {@link #open} is the one place
 * that turns them into a running stack.
 */
public final class TapOptions {
    @Option(names = "--tap", required = true, converter = Values.DeviceName.class, description = "TAP device to create or attach to (max 15 chars).")
    String tap;

    @Option(names = "--addr", required = true, converter = Values.Prefixed.class, description = "Our address with prefix, e.g. 10.77.1.2/24.")
    String addr;

    @Option(names = "--gw", converter = Values.Address.class, description = "Default gateway.")
    String gateway;

    @Option(names = "--route", converter = Values.Route.class, description = "A route as ip route add takes it, e.g. --route '10.9.0.0/16 via 10.77.1.1 congctl reno' (repeatable; congctl [lock] NAME picks TCP's congestion control on it).")
    List<StackConfig.RouteSpec> routes = new ArrayList<>();

    @Option(names = "--mtu", defaultValue = "1500", converter = Values.Mtu.class, description = "Link MTU (default ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--mac", converter = Values.Mac.class, description = "Our MAC address (default: random, locally administered).")
    String mac;

    @Option(names = "--peer-netns", description = "Move the kernel side of the TAP into this network namespace (created if missing).")
    String peerNetns;

    @Option(names = "--peer-addr", converter = Values.Prefixed.class, description = "Address with prefix for the kernel side, e.g. 10.77.1.1/24.")
    String peerAddr;

    @Option(names = "--offload", negatable = true, defaultValue = "true", fallbackValue = "true", description = "TCP segmentation and checksum offload with the kernel: 64 KiB super-segments both ways (IFF_VNET_HDR, TUN_F_TSO4, TUN_F_CSUM). On by default; off with --no-offload, and under --fault, whose faults hit single segments.")
    boolean offload;

    @Option(names = "--pcap", converter = Values.OutputFile.class, description = "Write every frame of the link to this pcap file.")
    Path pcap;

    @Mixin
    FaultOptions faults;

    @Mixin
    HookOptions hooks;

    @Option(names = "--sysctl", converter = Values.Sysctl.class, description = "Set a sysctl, e.g. --sysctl net.ipv4.ip_default_ttl=32 (repeatable).")
    List<String> sysctls = new ArrayList<>();

    @Option(names = "--seed", description = "Seed of the stack's random numbers (default: time).")
    Long seed;

    @Option(names = "--close-timeout", defaultValue = "5", converter = Values.NonNegative.class, description = "Seconds the stack waits at exit for the peer to acknowledge data already sent (default ${DEFAULT-VALUE}; 0: abandon it).")
    int closeTimeoutSeconds;

    /**
     * A running stack on the TAP, plus the peer namespace when asked for; close both with {@link Opened#close}. With
     * several queues, {@code shards} holds a stack per queue, {@code stack} is shard 0 and {@code tap} queue 0.
     */
    public record Opened(InetStack stack, TapLink tap, PeerNamespace peer, ShardedStack shards) implements AutoCloseable {
        public Opened(InetStack stack, TapLink tap, PeerNamespace peer) { this(stack, tap, peer, null); }

        /** Closes the stack (every shard), which first lets closed connections deliver (bounded by --close-timeout), then the peer. */
        @Override
        public void close() throws IOException {
            if (shards != null) shards.close();
            else stack.close();
            if (peer != null) peer.close();
        }

        /**
         * For commands that send: closes as {@link #close} does and returns {@code exit}, or {@code failed} with a
         * one-line message on stderr when the stack had to abandon data the peer never acknowledged, since exiting
         * 0 then would claim a delivery that did not happen.
         */
        public int closeChecked(String command, int exit, int failed) throws IOException {
            close();
            Orphans lost = shards != null ? shards.abandoned() : stack.abandoned();
            if (lost.none()) return exit;
            System.err.printf("inet4j %s: %d byte(s) on %d connection(s) never acknowledged by the peer; abandoned%n",
                    command, lost.bytes(), lost.connections());
            return failed;
        }

        /** What {@link #startServer} builds on the stack. */
        @FunctionalInterface
        public interface ServerFactory<T> {
            T open(InetStack stack) throws IOException;
        }

        /**
         * Opens a server on the stack; if that fails, closes the stack and the peer namespace before the failure goes
         * on, since they must not outlive a failed start.
         */
        public <T> T startServer(ServerFactory<T> factory) throws IOException {
            try {
                return factory.open(stack);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        /**
         * For commands that run until killed: on Ctrl-C or SIGTERM closes {@code first} (a server, say; may be
         * null), then the stack and the peer namespace, which must not outlive us. The latch opens once done.
         */
        public CountDownLatch closeOnExit(AutoCloseable first) {
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    if (first != null) first.close();
                    close();
                } catch (Exception e) {
                    System.err.println("inet4j: close: " + e.getMessage());
                }
                closed.countDown();
            }));
            return closed;
        }
    }

    /**
     * Refuses, before anything is created, a lab that could not work: a peer address without the namespace to put
     * it in (or the other way round), or one outside our subnet, where neither side would have a route to the other.
     */
    void validate() {
        if ((peerNetns == null) != (peerAddr == null)) {
            throw new IllegalArgumentException("--peer-netns and --peer-addr go together");
        }
        if (peerAddr == null) return;
        int prefix = Values.prefix(addr.substring(addr.indexOf('/') + 1));
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        int ours = Values.address(addr.substring(0, addr.indexOf('/')));
        int peers = Values.address(peerAddr.substring(0, peerAddr.indexOf('/')));
        int peerPrefix = Values.prefix(peerAddr.substring(peerAddr.indexOf('/') + 1));
        if (peerPrefix != prefix || (ours & mask) != (peers & mask)) {
            throw new IllegalArgumentException("--peer-addr " + peerAddr + " is not in the subnet of --addr " + addr
                    + " (" + SockAddrIn.formatAddress(ours & mask) + "/" + prefix + ")");
        }
        if (ours == peers) throw new IllegalArgumentException("--peer-addr " + peerAddr + " is --addr's own address");
    }

    public Opened open(String stackName) throws IOException { return open(stackName, 1); }

    /**
     * The stack on {@code queues} queues of the device: one {@link InetStack} as {@link #open(String)} gives, or with
     * several a {@link ShardedStack} of one stack per queue (named {@code stackName-0} and on), each configured alike.
     * Several queues take neither --fault nor --pcap, which are per link.
     */
    public Opened open(String stackName, int queues) throws IOException {
        validate();
        if (queues > 1 && (faults.any() || pcap != null)) {
            throw new IllegalArgumentException("--queues " + queues + " takes neither --fault nor --pcap");
        }
        MacAddress ourMac = mac == null ? null : MacAddress.parse(mac);
        List<TapLink> taps = queues == 1 ? List.of(TapLink.open(tap, mtu, ourMac, offload && !faults.any()))
                : TapLink.openQueues(tap, mtu, ourMac, offload, queues);
        PeerNamespace peer = null;
        try {
            if (peerNetns != null) peer = PeerNamespace.attach(taps.get(0).name(), peerNetns, peerAddr);
            if (queues > 1) {
                ShardedStack shards;
                try {
                    shards = ShardedStack.build(taps, (i, b) -> configure(b, stackName + "-" + i), addr);
                } catch (SysctlException e) {
                    throw new IllegalArgumentException("--sysctl " + e.getMessage(), e);
                }
                try {
                    for (InetStack s : shards.shards()) hooks.attach(s);
                } catch (IOException | RuntimeException e) {
                    shards.close();
                    throw e;
                }
                return new Opened(shards.shard(0), taps.get(0), peer, shards);
            }
            InetStack.Builder b = InetStack.builder().link(faults.wrap(taps.get(0)), pcap, addr);
            configure(b, stackName);
            InetStack stack;
            try {
                stack = b.build();
            } catch (SysctlException e) {
                throw new IllegalArgumentException("--sysctl " + e.getMessage(), e);
            }
            try {
                hooks.attach(stack);
            } catch (IOException | RuntimeException e) {
                stack.close();
                throw e;
            }
            return new Opened(stack, taps.get(0), peer);
        } catch (IOException | RuntimeException e) {
            taps.forEach(TapLink::close);
            if (peer != null) peer.close();
            throw e;
        }
    }

    /** What every stack of the command gets: name, close timeout, seed, sysctls, routes. */
    private void configure(InetStack.Builder b, String stackName) {
        b.name(stackName).closeTimeout(Duration.ofSeconds(closeTimeoutSeconds));
        if (seed != null) b.seed(seed);
        for (String s : sysctls) {
            int eq = s.indexOf('=');
            b.sysctl(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        if (gateway != null) b.defaultGateway(gateway);
        for (StackConfig.RouteSpec r : routes) b.route(r);
    }
}
