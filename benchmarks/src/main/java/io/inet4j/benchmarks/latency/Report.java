package io.inet4j.benchmarks.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The table {@code benchmarks/latency.sh} prints: every figure of one run next to its references, and the ratios
 * issue 11 sets as targets (ping-pong p50 within 1.5x of kernel-over-veth and p99 within 3x; connections per second
 * as a server at least the same Java server's on the JDK's sockets). A missing figure prints as "-".
 */
@Command(name = "report", description = "prints the table of a results file with the ratios to the targets")
final class Report implements Callable<Integer> {
    static final String KERNEL = "kernel-veth";
    static final String SLIRP = "libslirp-tap";
    static final String INET4J = "inet4j-tap";
    static final String C_KERNEL = "c-server-kernel-veth";
    static final String JAVA_JDK = "java-server-jdk-veth";
    static final String JAVA_INET4J = "java-server-inet4j-tap";
    static final String C_SLIRP = "c-server-libslirp-tap";
    static final String ALLOC_MEMORY = "alloc-inmemory";
    static final String ALLOC_TAP = "alloc-inet4j-tap";

    @Parameters(index = "0", description = "results file written by the other subcommands")
    Path results;

    private final Map<String, Double> figures = new HashMap<>();

    @Override
    public Integer call() throws IOException {
        for (String line : Files.readAllLines(results)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) figures.put(f[0] + " " + f[1], Double.parseDouble(f[2]));
        }
        System.out.println("1-byte ping-pong, one connection, to the C echo server (us)   p50      p99    p99.9");
        pingRow("kernel over veth (JDK sockets)", KERNEL);
        pingRow("libslirp over TAP (JDK sockets in its namespace)", SLIRP);
        pingRow("inet4j over TAP (its java.net sockets)", INET4J);
        System.out.printf(Locale.ROOT, "%-60s %7s  %7s  %7s   target p50 <= 1.5x: %s, p99 <= 3x: %s%n",
                "inet4j / kernel", ratio(INET4J, KERNEL, "p50_us"), ratio(INET4J, KERNEL, "p99_us"),
                ratio(INET4J, KERNEL, "p999_us"), verdict(INET4J, KERNEL, "p50_us", 1.5, false),
                verdict(INET4J, KERNEL, "p99_us", 3, false));
        System.out.println();
        System.out.println("Connections/s as a server, 4 client threads (connect + 1-byte echo + close)   conn/s  failed/s");
        connRow("C echo server, kernel over veth", C_KERNEL);
        connRow("Java echo server, JDK sockets over veth", JAVA_JDK);
        connRow("same Java echo server, inet4j over TAP", JAVA_INET4J);
        connRow("C echo server behind libslirp over TAP", C_SLIRP);
        System.out.printf(Locale.ROOT, "%-72s %8s   target >= 1x: %s%n", "inet4j / Java on JDK sockets",
                ratio(JAVA_INET4J, JAVA_JDK, "conn_per_s"), verdict(JAVA_INET4J, JAVA_JDK, "conn_per_s", 1, true));
        System.out.println();
        System.out.println("Bytes allocated per MB sent and received by inet4j (all JVM threads)           B/MB  new buffers");
        allocRow("two stacks on the in-memory link", ALLOC_MEMORY);
        allocRow("one stack over TAP, to the C echo server and back", ALLOC_TAP);
        return 0;
    }

    private Double get(String label, String metric) { return figures.get(label + " " + metric); }

    private String fmt(String label, String metric, String format) {
        Double v = get(label, metric);
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }

    private void pingRow(String name, String label) {
        System.out.printf(Locale.ROOT, "%-60s %7s  %7s  %7s%n", name, fmt(label, "p50_us", "%.1f"),
                fmt(label, "p99_us", "%.1f"), fmt(label, "p999_us", "%.1f"));
    }

    private void connRow(String name, String label) {
        System.out.printf(Locale.ROOT, "%-72s %8s  %8s%n", name, fmt(label, "conn_per_s", "%.0f"),
                fmt(label, "failed_per_s", "%.1f"));
    }

    private void allocRow(String name, String label) {
        System.out.printf(Locale.ROOT, "%-72s %8s  %11s%n", name, fmt(label, "alloc_B_per_MB", "%.0f"),
                fmt(label, "alloc_buffers_created", "%.0f"));
    }

    private String ratio(String label, String reference, String metric) {
        Double a = get(label, metric), b = get(reference, metric);
        return a == null || b == null || b == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
    }

    /** "met" or "MISSED" for {@code label/reference} against {@code bound}, an upper or (atLeast) lower bound. */
    private String verdict(String label, String reference, String metric, double bound, boolean atLeast) {
        Double a = get(label, metric), b = get(reference, metric);
        if (a == null || b == null || b == 0) return "not measured";
        double r = a / b;
        return (atLeast ? r >= bound : r <= bound) ? "met" : "MISSED";
    }
}
