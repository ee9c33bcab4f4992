package io.inet4j.samples.interop;

import io.inet4j.tap.PeerNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** What the TCP interop tests share: seeded test files, their hashes, waiting for a Linux listener, throughput lines. */
final class Interop {
    private Interop() {}

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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** Waits until something in the namespace listens on TCP {@code port} ({@code ss -tlnH}); 5 s at most. */
    static void awaitListening(PeerNamespace peer, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (peer.exec("ss", "-tlnH", "sport = :" + port).stdout().isBlank()) {
            if (System.nanoTime() > deadline) throw new IOException("nothing listens on port " + port + " in " + peer.name());
            Thread.sleep(20);
        }
    }

    /** Prints a throughput line into the test output; never asserted on. */
    static void throughput(String what, long bytes, long nanos) {
        System.out.printf("[throughput] %s: %d bytes in %.3f s = %.1f MB/s%n", what, bytes, nanos / 1e9, bytes / 1e6 / (nanos / 1e9));
    }
}
