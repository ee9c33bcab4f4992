package io.inet4j.tap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Linux side of a {@link TapLink}: a network namespace that holds the kernel's end of the TAP device, with an
 * address and the link up, so the kernel's own stack ({@code net/ipv4}) is the peer our stack talks to and the
 * host's interfaces never see the traffic. Built with iproute2 ({@code ip netns}, {@code ip link set netns},
 * {@code ip addr}); programs run inside with {@code ip netns exec}.
 *
 * <p>Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN). The TAP descriptor stays valid after the device moves.
 */
public final class PeerNamespace implements Closeable {
    /** What {@link #exec} uses when no timeout is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String ip;
    private final String name;
    /** Deletes a namespace we created at JVM exit if {@link #close} has not (null when it existed before). */
    private final Thread onExit;
    private final String device;
    private final String address;
    private final boolean created;
    private boolean closed;

    /** How a command ended: its exit code and what it printed. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() { return exitCode == 0; }
    }

    private PeerNamespace(String ip, String name, String device, String address, boolean created) {
        this.ip = ip;
        this.name = name;
        this.device = device;
        this.address = address;
        this.created = created;
        // A namespace we made must not outlive the JVM, whichever way it ends (a signal included, which skips the
        // owner's close): the hook deletes it unless close() already did.
        this.onExit = created ? new Thread(this::closeQuietly, "inet4j-netns-" + name) : null;
        if (onExit != null) Runtime.getRuntime().addShutdownHook(onExit);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            System.err.println("inet4j: could not delete namespace " + name + ": " + e.getMessage());
        }
    }

    /**
     * Moves {@code device} (a TAP device in the current namespace) into namespace {@code namespace}, creating
     * the namespace if it does not exist, gives it {@code address} (with prefix, e.g. {@code 10.77.1.1/24})
     * and brings it and {@code lo} up.
     *
     * @throws IOException naming the failed {@code ip} command and its stderr, or saying iproute2 is missing;
     *     a namespace this call created is deleted again first
     */
    public static PeerNamespace attach(String device, String namespace, String address) throws IOException {
        return attach("ip", device, namespace, address);
    }

    /** As {@link #attach(String, String, String)} with another {@code ip} binary, so tests can make it missing. */
    static PeerNamespace attach(String ip, String device, String namespace, String address) throws IOException {
        if (namespace.isEmpty() || namespace.contains("/") || namespace.equals(".") || namespace.equals("..")) {
            throw new IllegalArgumentException("bad namespace name '" + namespace + "'");
        }
        boolean created = !exists(ip, namespace);
        if (created) check(ip, "netns", "add", namespace);
        PeerNamespace ns = new PeerNamespace(ip, namespace, device, address, created);
        try {
            check(ip, "link", "set", "dev", device, "netns", namespace);
            check(ip, "-n", namespace, "addr", "add", address, "dev", device);
            check(ip, "-n", namespace, "link", "set", "dev", device, "up");
            check(ip, "-n", namespace, "link", "set", "dev", "lo", "up");
            return ns;
        } catch (IOException | RuntimeException e) {
            try {
                ns.close();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static boolean exists(String ip, String namespace) throws IOException {
        for (String line : check(ip, "netns", "list").stdout().split("\n")) {
            // "name" or "name (id: 3)"
            String first = line.strip().split(" ", 2)[0];
            if (first.equals(namespace)) return true;
        }
        return false;
    }

    public String name() { return name; }
    /** The TAP device, now inside this namespace. */
    public String device() { return device; }
    /** The kernel side's address with prefix, as given. */
    public String address() { return address; }
    /** True if {@link #attach} made the namespace, and so {@link #close} deletes it. */
    public boolean created() { return created; }

    /** Runs {@code argv} inside the namespace, waiting up to {@link #DEFAULT_TIMEOUT}. */
    public Result exec(String... argv) throws IOException {
        return exec(DEFAULT_TIMEOUT, argv);
    }

    /**
     * Runs {@code argv} inside the namespace and returns how it ended; a non-zero exit is a result, not an
     * exception.
     *
     * @throws IOException if iproute2 is missing, or the command outlived {@code timeout} (it is then killed)
     */
    public Result exec(Duration timeout, String... argv) throws IOException {
        return run(timeout, inside(argv));
    }

    /**
     * Starts {@code argv} inside the namespace and returns at once, for peers that must run while the test
     * does (a server, a ping). The caller owns the process: read or discard its output, and destroy it.
     */
    public Process start(String... argv) throws IOException {
        return startProcess(new ProcessBuilder(inside(argv)));
    }

    private String[] inside(String... argv) {
        if (argv.length == 0) throw new IllegalArgumentException("no command");
        List<String> cmd = new ArrayList<>(List.of(ip, "netns", "exec", name));
        cmd.addAll(List.of(argv));
        return cmd.toArray(String[]::new);
    }

    /**
     * Deletes the namespace if {@link #attach} created it, which also destroys the TAP device inside; a
     * namespace that existed before is left alone. Idempotent. A JVM that exits without calling it (a signal, say)
     * deletes a namespace it created on the way out.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        if (onExit != null && Thread.currentThread() != onExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: close() has done its work
            }
        }
        if (created) check(ip, "netns", "del", name);
    }

    private static Result check(String... cmd) throws IOException {
        Result r = run(DEFAULT_TIMEOUT, cmd);
        if (!r.ok()) {
            throw new IOException("`" + String.join(" ", cmd) + "` failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip());
        }
        return r;
    }

    /** Output goes to files, not pipes: a pipe would hang us if the command left a child holding it open. */
    private static Result run(Duration timeout, String... cmd) throws IOException {
        Path out = Files.createTempFile("inet4j-netns", ".out");
        Path err = Files.createTempFile("inet4j-netns", ".err");
        try {
            Process p = startProcess(new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()));
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running `" + String.join(" ", cmd) + "`", e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("`" + String.join(" ", cmd) + "` did not finish within " + timeout
                        + " and was killed; stderr: " + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Every command starts with {@code ip} (even {@link #exec}, through {@code ip netns exec}). */
    private static Process startProcess(ProcessBuilder pb) throws IOException {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run `" + pb.command().get(0) + "`: iproute2 is not installed or not on PATH ("
                    + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return "PeerNamespace[" + name + " " + device + " " + address + (created ? " created" : "") + "]";
    }
}
