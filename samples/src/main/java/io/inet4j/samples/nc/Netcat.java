package io.inet4j.samples.nc;

import io.inet4j.samples.io.Streams;
import io.inet4j.stack.InetSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * netcat's relay (OpenBSD {@code nc}'s {@code readwrite} with {@code -N}): the local input goes to the connection
 * and the connection to the local output, both at once; at the end of the input our side of the connection is
 * shut down (a FIN), and the relay ends once the peer has finished too.
 */
public final class Netcat {
    /** How many bytes went each way. */
    public record Counts(long sent, long received) {}

    private Netcat() {}

    /**
     * Relays until both directions are closed, then closes the socket. The output is flushed after every read,
     * as an interactive peer expects.
     *
     * @throws IOException if receiving fails (a reset, say), or, once the receiving side is done, if sending
     *     failed: a failure while sending ends only that direction at first, but the data did not all go, and a
     *     peer that already finished its side (or vanished without a word) would otherwise leave it unreported
     */
    public static Counts relay(InetSocket s, InputStream in, OutputStream out) throws IOException, InterruptedException {
        AtomicLong sent = new AtomicLong();
        AtomicReference<IOException> sendFailure = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                sent.set(Streams.copy(in, s.getOutputStream(), Long.MAX_VALUE, false));
                s.shutdownOutput();
            } catch (IOException e) {
                sendFailure.set(e); // reported once the receiving side, which may see the cause first, is done
            }
        }, "nc-send");
        // A sender blocked reading a terminal cannot be woken; as a daemon it does not keep the JVM alive.
        sender.setDaemon(true);
        sender.start();
        try (s) {
            long received = Streams.copy(s.getInputStream(), out, Long.MAX_VALUE, true);
            sender.join();
            if (sendFailure.get() != null) throw sendFailure.get();
            return new Counts(sent.get(), received);
        }
    }
}
