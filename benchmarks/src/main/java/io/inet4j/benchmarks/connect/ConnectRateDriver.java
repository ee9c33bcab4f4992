package io.inet4j.benchmarks.connect;

import io.inet4j.mib.TcpMib;
import io.inet4j.stack.InetStack;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.TapLink;
import io.inet4j.tcp.Tcp;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import javax.net.SocketFactory;

/**
 * The client of {@code benchmarks/connect-rate.sh}: one thread that connects, sends one byte, reads the echo and
 * closes first, again and again, so every connection leaves its port in TIME_WAIT on this side. The same code runs on
 * the kernel's sockets (the JDK's {@link SocketFactory}) or on an inet4j stack over a TAP ({@code --tap}), so the two
 * figures differ only by the stack underneath.
 *
 * <p>It prints a line a second (connects that second, TIME_WAIT entries as the stack counts them, the process's CPU time
 * per connect, which includes the kernel's work in its system calls and does not count time spent waiting for a core
 * the rest of the machine holds, errors), then the
 * segments the stack retransmitted during the run (a lost SYN costs a second; it tells a stall from a slow path) and the
 * rate at 0%, 60% and 95% of the port range in TIME_WAIT: the connects from that occupancy to 2% of the range more,
 * divided by the time they took. Each successful connect adds one TIME_WAIT entry for the destination and none ends
 * within a run shorter than TIME_WAIT's 60 s, so the occupancy is the count of connects so far over the range's size.
 * A warm-up to another port of the server (its TIME_WAIT entries do not block ports for this one; at most half the
 * range of them) runs first, so the JIT has compiled both paths before the clock starts.
 *
 * <pre>
 * ConnectRateDriver --label NAME --server HOST --port P --warmup-port P2 --range LOW-HIGH --seconds S
 *                   [--warmup-seconds W] [--tap DEV --addr A/N --peer-netns NS --peer-addr B/N --tw-buckets N]
 * </pre>
 */
public final class ConnectRateDriver {
    private static final double[] OCCUPANCIES = {0, 0.60, 0.95};
    private static final double BAND = 0.02;
    private static final long SECOND = 1_000_000_000L;

    private ConnectRateDriver() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = options(argv);
        String label = a.getOrDefault("label", "client");
        InetSocketAddress server = new InetSocketAddress(a.get("server"), Integer.parseInt(a.get("port")));
        InetSocketAddress warmupServer = new InetSocketAddress(a.get("server"), Integer.parseInt(a.get("warmup-port")));
        String[] range = a.get("range").split("-");
        int rangeSize = Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        long seconds = Long.parseLong(a.getOrDefault("seconds", "20"));
        long warmupSeconds = Long.parseLong(a.getOrDefault("warmup-seconds", "3"));

        if (!a.containsKey("tap")) {
            // The kernel's own sysctls apply: ip_local_port_range and tcp_max_tw_buckets are the script's to set.
            Counters kernel = new Counters(() -> (int) kernelCounter("/proc/net/sockstat", "TCP:", "tw"),
                    () -> kernelCounter("/proc/net/snmp", "Tcp:", "RetransSegs"));
            run(label, SocketFactory.getDefault(), kernel, server, warmupServer, rangeSize, seconds, warmupSeconds, System.out);
            return;
        }
        try (TapLink tap = TapLink.open(a.get("tap"), 1500, null, true);
                PeerNamespace peer = PeerNamespace.attach(tap.name(), a.get("peer-netns"), a.get("peer-addr"));
                InetStack stack = InetStack.builder().name(label).link(tap, a.get("addr"))
                        .sysctl("net.ipv4.ip_local_port_range", range[0] + " " + range[1])
                        .sysctl("net.ipv4.tcp_max_tw_buckets", a.get("tw-buckets")).build()) {
            Tcp tcp = Tcp.of(stack.inet());
            Counters inet4j = new Counters(() -> stack.call(tcp::timewaitCount),
                    () -> stack.net().mibs().tcp.get(TcpMib.RetransSegs));
            run(label, stack.socketFactory(), inet4j, server, warmupServer, rangeSize, seconds, warmupSeconds, System.out);
        }
    }

    /** What the client's stack counts: its TIME_WAIT entries now, and the TCP segments it has retransmitted. */
    record Counters(IntSupplier timewait, LongSupplier retransSegs) {}

    /** The warm-up, then {@code seconds} of connects to {@code server}, reported on {@code out}. */
    static void run(String label, SocketFactory factory, Counters counters, InetSocketAddress server,
            InetSocketAddress warmupServer, int rangeSize, long seconds, long warmupSeconds, PrintStream out) {
        long warmupEnd = System.nanoTime() + warmupSeconds * SECOND;
        int warm = 0;
        // At most half the range: a warm-up that used up its port's range would go on compiling the failing path.
        while (System.nanoTime() < warmupEnd && warm < rangeSize / 2) if (echo(factory, warmupServer)) warm++;
        out.printf("%s: warm-up %d connects to port %d; TIME_WAIT %d; range %d ports%n", label, warm,
                warmupServer.getPort(), counters.timewait().getAsInt(), rangeSize);
        long retrans = counters.retransSegs().getAsLong();
        out.printf("%-8s %4s %10s %10s %10s %12s %8s%n", "client", "s", "connects", "TIME_WAIT", "range used", "CPU us/conn",
                "errors");

        int band = Math.max(1, (int) (rangeSize * BAND));
        long[] bandStart = new long[OCCUPANCIES.length];
        long[] bandEnd = new long[OCCUPANCIES.length];
        long start = System.nanoTime();
        long nextLine = start + SECOND;
        long end = start + seconds * SECOND;
        int ok = 0;
        int okLastLine = 0;
        int errors = 0;
        long cpuLastLine = processCpuNanos();
        for (int s = 1; ; ) {
            for (int i = 0; i < OCCUPANCIES.length; i++) {
                int from = (int) (rangeSize * OCCUPANCIES[i]);
                if (ok == from && bandStart[i] == 0) bandStart[i] = System.nanoTime();
                if (ok == from + band && bandEnd[i] == 0) bandEnd[i] = System.nanoTime();
            }
            if (echo(factory, server)) ok++;
            else errors++;
            long now = System.nanoTime();
            if (now >= nextLine) {
                long cpu = processCpuNanos();
                out.printf("%-8s %4d %10d %10d %9.1f%% %12.1f %8d%n", label, s++, ok - okLastLine, counters.timewait().getAsInt(),
                        100.0 * ok / rangeSize, (cpu - cpuLastLine) / 1e3 / Math.max(1, ok - okLastLine + errors), errors);
                okLastLine = ok;
                cpuLastLine = cpu;
                errors = 0;
                nextLine += SECOND;
                if (now >= end) break;
            }
        }
        out.printf("%s: %d segments retransmitted%n", label, counters.retransSegs().getAsLong() - retrans);
        for (int i = 0; i < OCCUPANCIES.length; i++) {
            String rate = bandEnd[i] == 0 ? "not reached"
                    : String.format("%.0f", band * (double) SECOND / (bandEnd[i] - bandStart[i]));
            out.printf("%s: at %.0f%% of the range in TIME_WAIT: %s connects/s%n", label, 100 * OCCUPANCIES[i], rate);
        }
    }

    /** CPU time of this process, user and system, all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One connection: connect, one byte each way, close first. False when any step failed. */
    private static boolean echo(SocketFactory factory, InetSocketAddress server) {
        try (Socket s = factory.createSocket()) {
            s.setTcpNoDelay(true);
            s.connect(server, 2_000);
            s.getOutputStream().write(1);
            InputStream in = s.getInputStream();
            return in.read() == 1;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A counter of this namespace's kernel stack: field {@code name} of the line starting with {@code prefix} in
     * {@code /proc/net/sockstat} (name-value pairs: {@code TCP: inuse 3 orphan 0 tw 12 ...}) or {@code /proc/net/snmp}
     * (a line of names, then a line of values); -1 when missing.
     */
    private static long kernelCounter(String file, String prefix, String name) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).toList();
            String[] first = lines.get(0).split("\\s+");
            String[] values = lines.size() > 1 ? lines.get(1).split("\\s+") : null;
            for (int i = 1; i < first.length; i++) {
                if (!first[i].equals(name)) continue;
                return Long.parseLong(values != null ? values[i] : first[i + 1]);
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static Map<String, String> options(String[] argv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) throw new IllegalArgumentException("expected --option, got " + argv[i]);
            m.put(argv[i].substring(2), argv[i + 1]);
        }
        for (String required : new String[] {"server", "port", "warmup-port", "range"}) {
            if (!m.containsKey(required)) throw new IllegalArgumentException("--" + required + " is required");
        }
        return m;
    }
}
