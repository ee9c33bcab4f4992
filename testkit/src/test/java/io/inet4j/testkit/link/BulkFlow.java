package io.inet4j.testkit.link;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * One bulk connection from stack a to stack b of {@link TwoStacks}, driven from the simulated loop: {@link #pump}
 * writes seeded random bytes as far as the send buffer takes them and reads what arrived, keeping a SHA-256 of each
 * side, and notes when the first byte was written and the last one read.
 */
final class BulkFlow {
    private final TwoStacks t;
    private final long size;
    final Socket client;
    private Socket server;
    private final MessageDigest out = sha256();
    private final MessageDigest in = sha256();
    private final SplittableRandom rnd;
    private final byte[] chunk = new byte[64 * 1024];
    private final byte[] buf = new byte[64 * 1024];
    private int chunkLen;
    private int pending;
    long sent;
    long received;
    long startNanos = -1;
    long endNanos = -1;

    /** Opens the connection on {@code port} with congestion control {@code cc} (null: the default). */
    BulkFlow(TwoStacks t, int port, long size, long seed, String cc) throws ErrnoException {
        this.t = t;
        this.size = size;
        this.rnd = new SplittableRandom(seed);
        Socket l = socket(t.b);
        ErrnoException.check(l.ops.bind(l, new SockAddrIn(0, port)), "bind");
        ErrnoException.check(l.ops.listen(l, 8), "listen");
        client = socket(t.a);
        if (cc != null) {
            ErrnoException.check(client.ops.setsockopt(client, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION,
                    cc.getBytes(StandardCharsets.US_ASCII)), "TCP_CONGESTION");
        }
        client.ops.connect(client, new SockAddrIn(SockAddrIn.parseAddress(TwoStacks.B), port), 0);
        Socket s = new Socket(SockType.SOCK_STREAM);
        if (!t.runUntil(10, () -> l.ops.accept(l, s, 0) == 0)) throw new IllegalStateException("no connection");
        server = s;
    }

    /** Writes and reads what can be; true once every byte arrived. */
    boolean pump() {
        long now = t.loop.clock().nanoTime();
        if (startNanos < 0) startNanos = now;
        while (sent < size) {
            if (pending == 0) {
                chunkLen = (int) Math.min(chunk.length, size - sent);
                rnd.nextBytes(chunk);
                out.update(chunk, 0, chunkLen);
                pending = chunkLen;
            }
            int w = client.ops.sendmsg(client, new MsgHdr(ByteBuffer.wrap(chunk, chunkLen - pending, pending), null), 0);
            if (w <= 0) break;
            pending -= w;
            sent += w;
        }
        int r;
        while ((r = server.ops.recvmsg(server, new MsgHdr(ByteBuffer.wrap(buf), null), 0)) > 0) {
            in.update(buf, 0, r);
            received += r;
        }
        if (received == size && endNanos < 0) endNanos = now;
        return received == size;
    }

    /** Whether what arrived hashes to what was sent (call once, after the transfer). */
    boolean intact() { return MessageDigest.isEqual(out.digest(), in.digest()); }

    /** Goodput in Mbit/s of virtual time, first write to last read. */
    double goodputMbps() { return received * 8 / ((endNanos - startNanos) / 1e9) / 1e6; }

    private static Socket socket(InetStack s) throws ErrnoException {
        return s.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP).socket();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
