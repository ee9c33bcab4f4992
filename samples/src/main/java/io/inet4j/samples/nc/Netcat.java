package io.inet4j.samples.nc;

import io.inet4j.samples.io.Streams;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SocketState;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.SocketFd;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /** How long one receive waits before the UDP relay looks at its sender and its idle time again. */
    private static final long UDP_SLICE_NANOS = 200_000_000L;

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

    /**
     * {@code nc -u}'s relay: each line of {@code in} goes out as one datagram (with its newline) and every datagram
     * that comes back is written to {@code out}. A connected socket sends to its peer; an unconnected one (listen
     * mode) sends to whoever sent the last datagram, as OpenBSD nc answers its client. After the end of
     * {@code in} the relay ends once nothing has arrived for {@code idleNanos} (nc's {@code -w}).
     *
     * @throws ErrnoException when the connected peer refused (ICMP port unreachable: ECONNREFUSED), or another
     *     receive error
     */
    public static Counts udpRelay(SocketFd fd, InputStream in, OutputStream out, long idleNanos)
            throws IOException, InterruptedException {
        AtomicLong sent = new AtomicLong();
        AtomicReference<SockAddr> lastSender = new AtomicReference<>();
        AtomicReference<IOException> sendFailure = new AtomicReference<>();
        AtomicBoolean inputDone = new AtomicBoolean();
        boolean connected = fd.socket().state == SocketState.SS_CONNECTED;
        Thread sender = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    ByteBuffer d = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
                    SockAddr to = connected ? null : awaitSender(lastSender);
                    sent.addAndGet(fd.sendmsg(new MsgHdr(d, to), 0));
                }
            } catch (IOException e) {
                sendFailure.set(e); // a refusal may reach the sending side first; the receiving side reports it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inputDone.set(true);
            }
        }, "nc-udp-send");
        sender.setDaemon(true);
        sender.start();
        long received = 0;
        long idle = 0;
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try (fd) {
            while (true) {
                if (sendFailure.get() != null) throw sendFailure.get();
                buf.clear();
                MsgHdr msg = new MsgHdr(buf, null);
                int n;
                try {
                    n = fd.recvmsg(msg, 0, UDP_SLICE_NANOS);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EAGAIN) throw e;
                    idle = inputDone.get() ? idle + UDP_SLICE_NANOS : 0;
                    if (idle >= idleNanos) break;
                    continue;
                }
                idle = 0;
                synchronized (lastSender) {
                    lastSender.set(msg.name);
                    lastSender.notifyAll();
                }
                out.write(buf.array(), 0, n);
                out.flush();
                received += n;
            }
        }
        return new Counts(sent.get(), received);
    }

    private static SockAddr awaitSender(AtomicReference<SockAddr> lastSender) throws InterruptedException {
        synchronized (lastSender) {
            while (lastSender.get() == null) lastSender.wait();
            return lastSender.get();
        }
    }
}
