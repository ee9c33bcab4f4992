package io.inet4j.samples.interop;

import io.inet4j.samples.cli.Main;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetStack;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.TapLink;
import io.inet4j.tap.testing.TapNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the interop tests share: the lab (a stack on a TAP whose kernel side sits in a fresh namespace), seeded
 * test files and their hashes, waiting for a Linux listener, throughput lines.
 */
final class Interop {
    private Interop() {}

    /**
     * The lab of one test class, as a JUnit extension: before its tests a stack on a TAP device whose kernel side
     * sits in a namespace of its own (unique names from {@code prefix}, both ends on one /24), afterwards the
     * stack closed and the namespace deleted.
     */
    static final class Lab implements BeforeAllCallback, AfterAllCallback {
        private final String prefix;
        private final String stackAddr;
        private final String linuxAddr;
        private TapLink tap;
        private PeerNamespace peer;
        private InetStack stack;

        Lab(String prefix, String stackAddr, String linuxAddr) {
            this.prefix = prefix;
            this.stackAddr = stackAddr;
            this.linuxAddr = linuxAddr;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            tap = TapLink.open(TapNames.unique(prefix), 1500);
            peer = PeerNamespace.attach(tap.name(), TapNames.namespace(prefix), linuxAddr + "/24");
            stack = InetStack.builder().name("interop-" + prefix).link(tap, stackAddr + "/24").build();
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (stack != null) stack.close();
            if (peer != null) peer.close();
        }

        TapLink tap() { return tap; }
        PeerNamespace peer() { return peer; }
        InetStack stack() { return stack; }
    }

    /** A file of {@code size} bytes from a seeded generator, so a failing run can be replayed. */
    static Path randomFile(Path dir, String name, long size, long seed) throws IOException {
        Path p = dir.resolve(name);
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long left = size; left > 0; left -= buf.length) {
                rnd.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return p;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    /** What {@link #receiveAll} read: the byte count and the SHA-256 of the bytes. */
    record Received(long bytes, String sha256) {}

    /**
     * Connects a socket of {@code stack} to {@code host:port} and reads until the peer's FIN ({@code SO_TIMEOUT}
     * of {@code timeoutMillis} per read): a download from a Linux {@code nc -l -N} serving a file.
     */
    static Received receiveAll(InetStack stack, String host, int port, int timeoutMillis) throws IOException {
        MessageDigest sha = sha256();
        long n;
        try (InetSocket s = stack.socket()) {
            s.connect(host, port, 10_000);
            s.setSoTimeout(timeoutMillis);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024]; // a bulk reader's reads, not transferTo's 8 KiB (JDK 17)
            n = 0;
            for (int r; (r = in.read(buf)) > 0; n += r) sha.update(buf, 0, r);
        }
        return new Received(n, HexFormat.of().formatHex(sha.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** Waits until something in {@code namespace} listens on TCP {@code port} ({@code ss -tlnH}); 5 s at most. */
    static void awaitListening(String namespace, int port) throws IOException, InterruptedException {
        awaitSocket(namespace, "-tlnH", port);
    }

    /** Waits until a UDP socket in {@code namespace} is bound to {@code port} ({@code ss -ulnH}); 5 s at most. */
    static void awaitUdpBound(String namespace, int port) throws IOException, InterruptedException {
        awaitSocket(namespace, "-ulnH", port);
    }

    private static void awaitSocket(String namespace, String ssFlags, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            Process ss = new ProcessBuilder("ip", "netns", "exec", namespace, "ss", ssFlags, "sport = :" + port)
                    .redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (ss.waitFor() == 0 && !out.isBlank()) return;
            if (System.nanoTime() > deadline) throw new IOException("nothing listens on port " + port + " in " + namespace + ": " + out);
            Thread.sleep(20);
        }
    }

    /** What an {@code inet4j} command printed and how it exited. */
    record CliRun(int exit, String out, String err) {}

    /** Runs an {@code inet4j} command in this JVM, capturing what it prints. */
    static CliRun cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.run(new PrintWriter(System.err, true), args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Prints a throughput line into the test output; never asserted on. */
    static void throughput(String what, long bytes, long nanos) { System.out.println(throughputLine(what, bytes, nanos)); }

    /** The line {@link #throughput} prints. */
    static String throughputLine(String what, long bytes, long nanos) {
        return String.format("[throughput] %s: %d bytes in %.3f s = %.1f MB/s", what, bytes, nanos / 1e9, bytes / 1e6 / (nanos / 1e9));
    }

    /** {@code ip netns exec NAMESPACE ARGV...}, ready to start. */
    static ProcessBuilder inNamespace(String namespace, String... argv) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("ip", "netns", "exec", namespace));
        cmd.addAll(java.util.List.of(argv));
        return new ProcessBuilder(cmd);
    }

    /** Runs {@code cmd} to its end and returns its output; IOException with that output when it fails. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
