package io.inet4j.benchmarks.latency;

import io.inet4j.netdev.InMemoryLink;
import io.inet4j.stack.InetStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Java side of {@code benchmarks/latency.sh}: each subcommand measures one figure against a peer the script
 * started, with the JDK's sockets or, given {@code --tap}, with an inet4j stack in this JVM, and appends it to the
 * results file as {@code label metric value} lines; {@code report} turns the file into the table with the ratios to
 * issue 11's targets. Run as {@code java -cp benchmarks/target/benchmarks.jar io.inet4j.benchmarks.latency.LatencyDriver}.
 */
@Command(name = "latency-driver", mixinStandardHelpOptions = true,
        subcommands = {LatencyDriver.PingPongCommand.class, LatencyDriver.ConnectRateCommand.class,
                LatencyDriver.EchoServerCommand.class, LatencyDriver.AllocationCommand.class, Report.class})
public final class LatencyDriver {
    private LatencyDriver() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() { return new CommandLine(new LatencyDriver()); }

    /** Where a client command connects and where its figures go. */
    static final class Target {
        @Option(names = "--label", required = true, description = "the row this measurement fills in the report")
        String label;

        @Option(names = "--host", required = true)
        String host;

        @Option(names = "--port", required = true)
        int port;

        @Option(names = "--out", required = true, description = "results file to append to")
        Path out;

        InetSocketAddress server() { return new InetSocketAddress(host, port); }

        void record(String metric, double value) throws IOException {
            Files.writeString(out, String.format(Locale.ROOT, "%s %s %.3f%n", label, metric, value),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    @Command(name = "ping-pong", description = "1-byte round trips on one connection; p50/p99/p99.9 in microseconds")
    static final class PingPongCommand implements Callable<Integer> {
        @Mixin Target target;
        @ArgGroup(exclusive = false) TapOptions tap = new TapOptions();

        @Option(names = "--warmup", defaultValue = "10000") int warmup;
        @Option(names = "--count", defaultValue = "50000") int count;

        @Override
        public Integer call() throws Exception {
            Histogram h;
            if (tap.inet4j()) {
                try (TapOptions.Lab lab = tap.open()) {
                    h = PingPong.run(lab.stack().socketFactory(), target.server(), warmup, count);
                }
            } else {
                h = PingPong.run(SocketFactory.getDefault(), target.server(), warmup, count);
            }
            target.record("p50_us", h.getValueAtPercentile(50) / 1e3);
            target.record("p99_us", h.getValueAtPercentile(99) / 1e3);
            target.record("p999_us", h.getValueAtPercentile(99.9) / 1e3);
            target.record("max_us", h.getMaxValue() / 1e3);
            System.err.printf(Locale.ROOT, "%s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us (%d round trips)%n",
                    target.label, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getTotalCount());
            return 0;
        }
    }

    @Command(name = "connect-rate", description = "clients doing connect + 1-byte echo + close, on the JDK's sockets")
    static final class ConnectRateCommand implements Callable<Integer> {
        @Mixin Target target;
        @Option(names = "--threads", defaultValue = "4") int threads;
        @Option(names = "--seconds", defaultValue = "4") double seconds;
        @Option(names = "--warmup", defaultValue = "1", description = "seconds of the same load before counting")
        double warmup;

        @Override
        public Integer call() throws Exception {
            ConnectRate.Result r = ConnectRate.run(SocketFactory.getDefault(), target.server(), threads, warmup, seconds);
            target.record("conn_per_s", r.perSecond());
            target.record("failed_per_s", r.failuresPerSecond());
            System.err.printf(Locale.ROOT, "%s: %.0f connections/s (%.1f/s failed); each second from the start: %s%n",
                    target.label, r.perSecond(), r.failuresPerSecond(), Arrays.toString(r.eachSecond()));
            return 0;
        }
    }

    @Command(name = "echo-server", description = "the thread-per-connection Java echo server, until killed")
    static final class EchoServerCommand implements Callable<Integer> {
        @Option(names = "--port", required = true) int port;
        @Option(names = "--ready", description = "file created once the server listens") Path ready;
        @ArgGroup(exclusive = false) TapOptions tap = new TapOptions();

        @Override
        public Integer call() throws Exception {
            TapOptions.Lab lab = tap.inet4j() ? tap.open() : null;
            ServerSocketFactory sockets = lab != null ? lab.stack().serverSocketFactory() : ServerSocketFactory.getDefault();
            try (EchoServer server = new EchoServer(sockets, port)) {
                if (ready != null) Files.createFile(ready);
                Thread.currentThread().join(); // until the script kills us; the shutdown hook removes the lab
                return 0;
            } finally {
                if (lab != null) lab.close();
            }
        }
    }

    @Command(name = "alloc", description = "bytes allocated per MB sent and received by inet4j: in memory, or over a"
            + " TAP to an echo server (--tap with --host/--port)")
    static final class AllocationCommand implements Callable<Integer> {
        @Option(names = "--label", required = true) String label;
        @Option(names = "--out", required = true) Path out;
        @Option(names = "--host") String host;
        @Option(names = "--port", defaultValue = "7") int port;
        @Option(names = "--mb", defaultValue = "256", description = "measured megabytes (after warm-up rounds of as many, until"
                + " a round leaves the buffer pools as they were, at most " + Allocation.WARMUP_ROUNDS + ")")
        int mb;
        @ArgGroup(exclusive = false) TapOptions tap = new TapOptions();

        @Override
        public Integer call() throws Exception {
            long bytes = mb * 1_000_000L;
            Allocation.Result r = tap.inet4j() ? overTap(bytes) : inMemory(bytes);
            Target t = new Target();
            t.label = label;
            t.out = out;
            t.record("alloc_B_per_MB", r.bytesPerMb());
            t.record("alloc_buffers_created", r.buffersCreated());
            System.err.printf(Locale.ROOT, "%s: %.0f bytes allocated per MB, %d packet buffers created%n", label,
                    r.bytesPerMb(), r.buffersCreated());
            return 0;
        }

        /** Two stacks on the in-memory link, each on its own event loop: one MB is sent by one, received by the other. */
        private static Allocation.Result inMemory(long bytes) throws Exception {
            InMemoryLink[] wire = InMemoryLink.pair("lat-a", "lat-b", 1500);
            InetStack a = InetStack.builder().name("lat-a").link(wire[0], "10.126.200.1/24").build();
            InetStack b = InetStack.builder().name("lat-b").link(wire[1], "10.126.200.2/24").build();
            try (ServerSocket l = b.serverSocketFactory().createServerSocket(9);
                 Socket c = a.socketFactory().createSocket("10.126.200.2", 9);
                 Socket s = l.accept()) {
                return Allocation.perMegabyte(c.getOutputStream(), s.getInputStream(), bytes, bytes,
                        () -> a.device("lat-a").pool().created() + b.device("lat-b").pool().created());
            } finally {
                a.close();
                b.close();
            }
        }

        /** To the kernel's echo server and back: here too the stack both sends and receives each MB. */
        private Allocation.Result overTap(long bytes) throws Exception {
            if (host == null) throw new IllegalArgumentException("alloc --tap needs --host of an echo server");
            try (TapOptions.Lab lab = tap.open();
                 Socket s = lab.stack().socketFactory().createSocket(host, port)) {
                return Allocation.perMegabyte(s.getOutputStream(), s.getInputStream(), bytes, bytes,
                        () -> lab.stack().device(tap.tap).pool().created());
            }
        }
    }
}
