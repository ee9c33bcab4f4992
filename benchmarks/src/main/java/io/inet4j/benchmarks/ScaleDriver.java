package io.inet4j.benchmarks;

import io.inet4j.netdev.InMemoryLink;
import io.inet4j.stack.InetSelectorProvider;
import io.inet4j.stack.InetStack;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.ObjectName;

/**
 * Opens N TCP connections between two stacks on an {@link InMemoryLink} in one JVM, through the public NIO API
 * ({@link InetStack#selectorProvider()}: non-blocking {@link SocketChannel}s and {@link ServerSocketChannel}s),
 * and reports how long opening took and what an idle established connection end costs in heap: live heap after a
 * full GC before and after, divided by 2N, and the classes that grew, per end (the difference of two
 * {@code GC.class_histogram}s, as {@code jcmd} prints them).
 *
 * <p>The client stack has one address; the server stack listens on {@code --addrs} addresses times {@code --ports}
 * ports, and the connections go round-robin over them, so one client address can hold more than the 65,535 ports
 * a single destination allows: Linux keeps the 4-tuple unique, not the local port ({@code __inet_hash_connect}).
 *
 * <p>{@code --calls loop} (the default) makes the socket calls in batches of {@code --batch} on each stack's own
 * loop ({@link InetStack#call}), as an event-driven server runs its handlers, so the figure is the stack's;
 * {@code --calls app} makes every call from the driver's thread, one hop onto the loop each, which adds the
 * socket call path's cost. Either way {@code --batch} connections are in flight at once.
 *
 * <p>{@code --exchange K} has every connection carry K bytes each way once opened (the client writes, the server
 * echoes, the client reads), so the idle ends measured are ones that have moved data, as a server's keep-alive
 * connections have, not only ones fresh from the handshake: what a socket makes on its first send or receive
 * and keeps is in the figure then.
 */
public final class ScaleDriver implements AutoCloseable {
    private final int n;
    private final int addrs;
    private final int ports;
    private final int batch;
    private final boolean onLoop;
    private final int top;
    private final String portRange;
    private final int exchange;
    private InetStack client;
    private InetStack server;

    /** What a run measured. */
    record Result(int connected, int accepted, double seconds, double bytesPerEnd) {}

    ScaleDriver(Map<String, String> o) {
        n = Integer.parseInt(o.getOrDefault("n", "100000"));
        addrs = Integer.parseInt(o.getOrDefault("addrs", "4"));
        ports = Integer.parseInt(o.getOrDefault("ports", "4"));
        batch = Integer.parseInt(o.getOrDefault("batch", "200"));
        onLoop = !"app".equals(o.getOrDefault("calls", "loop"));
        top = Integer.parseInt(o.getOrDefault("top", "25"));
        portRange = o.getOrDefault("port-range", "1024 65535");
        exchange = Integer.parseInt(o.getOrDefault("exchange", "0"));
    }

    /**
     * {@code --n 1000000 --addrs 4 --ports 4 --batch 200 --calls loop|app --top 25 --port-range "1024 65535"
     * --exchange 0}.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option value: " + args[i]);
            o.put(args[i].substring(2), args[i + 1]);
        }
        new ScaleDriver(o).run(System.out);
        // Exit without closing: the stacks would release a million sockets one trip to the loop at a time.
        System.exit(0);
    }

    /** Closes both stacks, abandoning their connections. */
    @Override
    public void close() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    Result run(PrintStream out) throws Exception {
        InMemoryLink[] wire = InMemoryLink.pair("veth-c", "veth-s", 1500);
        String[] serverCidrs = new String[addrs];
        InetAddress[] serverAddrs = new InetAddress[addrs];
        for (int a = 0; a < addrs; a++) {
            serverCidrs[a] = "10.1.0." + (a + 1) + "/8";
            serverAddrs[a] = InetAddress.getByAddress(new byte[] {10, 1, 0, (byte) (a + 1)});
        }
        // Closing abandons the connections at once: nothing waits for a million FIN exchanges at the end.
        client = InetStack.builder().name("client").seed(1).closeTimeout(Duration.ZERO)
                .sysctl("net.ipv4.ip_local_port_range", portRange)
                .link(wire[0], "10.0.0.1/8").build();
        InetStack.Builder sb = InetStack.builder().name("server").seed(2).closeTimeout(Duration.ZERO)
                .sysctl("net.core.somaxconn", "65535").sysctl("net.ipv4.tcp_max_syn_backlog", "65535");
        server = sb.link(wire[1], serverCidrs).build();
        InetSelectorProvider cp = client.selectorProvider();
        InetSelectorProvider sp = server.selectorProvider();
        List<ServerSocketChannel> listeners = new ArrayList<>();
        List<InetSocketAddress> destinations = new ArrayList<>();
        for (InetAddress a : serverAddrs) {
            for (int p = 0; p < ports; p++) {
                ServerSocketChannel l = sp.openServerSocketChannel();
                l.configureBlocking(false);
                InetSocketAddress d = new InetSocketAddress(a, 5001 + p);
                l.bind(d, 65535);
                listeners.add(l);
                destinations.add(d);
            }
        }
        SocketChannel[] clients = new SocketChannel[n];
        SocketChannel[] accepted = new SocketChannel[n];
        int[] pending = new int[batch];

        out.printf(Locale.ROOT, "scale: %,d connections, client 10.0.0.1 -> %d addresses x %d ports, "
                + "batch %d, calls on %s, port range %s, %s%n", n, addrs, ports, batch, onLoop ? "loop" : "app thread",
                portRange, jvm());
        Histogram before = Histogram.take();
        long heapBefore = liveHeap();

        long t0 = System.nanoTime();
        int opened = 0, connected = 0, acceptedCount = 0, inFlight = 0, rounds = 0;
        int[] progress = {0};
        while (connected < n || acceptedCount < n) {
            rounds++;
            int[] state = {opened, connected, inFlight};
            on(client, () -> {
                // Finish what the last rounds started, then start new connects up to the batch.
                int o2 = state[0], c2 = state[1], f2 = state[2], keep = 0;
                for (int i = 0; i < f2; i++) {
                    int idx = pending[i];
                    if (finishConnect(clients[idx])) c2++;
                    else pending[keep++] = idx;
                }
                f2 = keep;
                while (f2 < batch && o2 < n) {
                    SocketChannel c = open(cp);
                    connect(c, destinations.get(o2 % destinations.size()));
                    clients[o2] = c;
                    pending[f2++] = o2++;
                }
                state[0] = o2;
                state[1] = c2;
                state[2] = f2;
                return null;
            });
            opened = state[0];
            connected = state[1];
            inFlight = state[2];
            int a0 = acceptedCount;
            acceptedCount = on(server, () -> {
                int a = a0;
                for (ServerSocketChannel l : listeners) {
                    for (SocketChannel c; a < n && (c = accept(l)) != null; ) accepted[a++] = c;
                }
                return a;
            });
            if (connected - progress[0] >= n / 10) {
                progress[0] = connected;
                out.printf(Locale.ROOT, "  %,d connected, %,d accepted after %.1f s%n", connected, acceptedCount,
                        (System.nanoTime() - t0) / 1e9);
            }
            if (inFlight == batch || (opened == n && inFlight > 0)) Thread.onSpinWait();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "opened %,d connections in %.2f s (%,.0f/s), %,d rounds%n", n, seconds,
                n / seconds, rounds);

        if (exchange > 0) exchange(clients, accepted, out);

        Thread.sleep(500); // let the last ACKs land: the heap is measured idle
        long heapAfter = liveHeap();
        Histogram after = Histogram.take();
        double perEnd = (heapAfter - heapBefore) / (2.0 * n);
        out.printf(Locale.ROOT, "live heap %,d -> %,d bytes: %.0f bytes per idle connection end%n",
                heapBefore, heapAfter, perEnd);
        after.minus(before).print(out, top, 2L * n);

        return new Result(connected, acceptedCount, seconds, perEnd);
    }

    /**
     * Every connection carries {@link #exchange} bytes each way, {@code --batch} connections at a time: the client
     * writes, the server end (found by the 4-tuple, since accepts come in any order) reads them all and writes them
     * back, the client reads them all.
     */
    private void exchange(SocketChannel[] clients, SocketChannel[] accepted, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        Map<Long, SocketChannel> byTuple = new HashMap<>();
        for (SocketChannel a : accepted) {
            a.configureBlocking(false);
            byTuple.put(tuple(a.getRemoteAddress(), a.getLocalAddress()), a);
        }
        int n = clients.length;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            SocketChannel[] peers = new SocketChannel[to - from];
            for (int i = from; i < to; i++) {
                peers[i - from] = byTuple.remove(tuple(clients[i].getLocalAddress(), clients[i].getRemoteAddress()));
            }
            int f = from;
            on(client, () -> each(clients, f, to, c -> c.write(ByteBuffer.allocate(exchange))));
            moveAll(server, peers, 0, peers.length, true);
            moveAll(client, clients, f, to, false);
        }
        out.printf(Locale.ROOT, "each connection carried %,d bytes each way in %.2f s%n", exchange,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Reads {@link #exchange} bytes on each of {@code cs[from, to)}, round after round, writing them back if {@code echo}. */
    private void moveAll(InetStack stack, SocketChannel[] cs, int from, int to, boolean echo) {
        ByteBuffer[] got = new ByteBuffer[to - from];
        for (int i = 0; i < got.length; i++) got[i] = ByteBuffer.allocate(exchange);
        for (int left = got.length; left > 0; ) {
            left = on(stack, () -> {
                int l = 0;
                for (int i = from; i < to; i++) {
                    ByteBuffer b = got[i - from];
                    if (!b.hasRemaining()) continue;
                    try {
                        if (cs[i].read(b) < 0) throw new IOException("end of stream before " + exchange + " bytes");
                        if (!b.hasRemaining() && echo && cs[i].write(b.flip()) != exchange) {
                            throw new IOException("echo did not fit the send buffer");
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (b.position() < exchange || echo && b.hasRemaining()) l++;
                }
                return l;
            });
            if (left > 0) Thread.onSpinWait();
        }
    }

    private interface ChannelOp {
        void apply(SocketChannel c) throws IOException;
    }

    private static Void each(SocketChannel[] cs, int from, int to, ChannelOp op) {
        try {
            for (int i = from; i < to; i++) op.apply(cs[i]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    /** A connection's addresses as one key: the client's port, the server's port and the last byte of its address. */
    private static long tuple(java.net.SocketAddress clientEnd, java.net.SocketAddress serverEnd) {
        InetSocketAddress c = (InetSocketAddress) clientEnd;
        InetSocketAddress s = (InetSocketAddress) serverEnd;
        byte[] a = s.getAddress().getAddress();
        return c.getPort() | (long) s.getPort() << 16 | (long) (a[3] & 0xff) << 32;
    }

    private <T> T on(InetStack stack, Supplier<T> task) { return onLoop ? stack.call(task) : task.get(); }

    private static SocketChannel open(InetSelectorProvider p) {
        try {
            SocketChannel c = p.openSocketChannel();
            c.configureBlocking(false);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void connect(SocketChannel c, InetSocketAddress to) {
        try {
            c.connect(to);
        } catch (IOException e) {
            throw new UncheckedIOException("connect to " + to, e);
        }
    }

    private static boolean finishConnect(SocketChannel c) {
        try {
            return c.finishConnect();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SocketChannel accept(ServerSocketChannel l) {
        try {
            return l.accept();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String jvm() {
        return "java " + System.getProperty("java.version") + " " + String.join(" ",
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** A {@code GC.class_histogram} (which runs a full GC first): live instances and bytes by class. */
    private record Histogram(Map<String, long[]> classes) {
        static Histogram take() throws Exception {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Map<String, long[]> m = new HashMap<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[0].endsWith(":")) continue;
                m.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
            return new Histogram(m);
        }

        Histogram minus(Histogram earlier) {
            Map<String, long[]> m = new HashMap<>();
            classes.forEach((k, v) -> {
                long[] e = earlier.classes.getOrDefault(k, new long[2]);
                m.put(k, new long[] {v[0] - e[0], v[1] - e[1]});
            });
            return new Histogram(m);
        }

        void print(PrintStream out, int top, long ends) {
            out.printf(Locale.ROOT, "%10s %10s  %s%n", "bytes/end", "inst/end", "class (growth over the run)");
            classes.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1])).limit(top)
                    .forEach(e -> out.printf(Locale.ROOT, "%10.1f %10.2f  %s%n", e.getValue()[1] / (double) ends,
                            e.getValue()[0] / (double) ends, e.getKey()));
        }
    }
}
