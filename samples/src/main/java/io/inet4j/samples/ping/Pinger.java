package io.inet4j.samples.ping;

import io.inet4j.ipv4.icmp.Icmp;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.SocketFd;
import java.io.PrintStream;
import java.nio.ByteBuffer;

/**
 * {@code ping} on an inet4j stack, the way iputils does it without privileges: a
 * {@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)} that sends echo requests and reads the replies, printing
 * Linux's lines and summary.
 */
public final class Pinger {
    /** What a run saw. */
    public record Result(int transmitted, int received, int errors, double minMs, double avgMs, double maxMs) {}

    private final InetStack stack;
    private final PrintStream out;

    public Pinger(InetStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    /**
     * Sends {@code count} echo requests with {@code size} payload bytes to {@code dest}, {@code intervalMs}
     * apart, waiting up to {@code timeoutMs} for each reply.
     */
    public Result ping(int dest, int count, int size, long intervalMs, long timeoutMs)
            throws ErrnoException, InterruptedException {
        try (SocketFd sock = stack.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP)) {
            out.printf("PING %s (%s) %d(%d) bytes of data.%n", fmt(dest), fmt(dest), size, size + 28);
            ByteBuffer req = ByteBuffer.allocate(IcmpHeader.LENGTH + size);
            ByteBuffer rsp = ByteBuffer.allocate(IcmpHeader.LENGTH + size + 64);
            int received = 0;
            int errors = 0;
            double min = Double.MAX_VALUE, max = 0, sum = 0;
            for (int seq = 1; seq <= count; seq++) {
                req.clear();
                req.put((byte) IcmpHeader.ECHO).put((byte) 0).putShort((short) 0).putShort((short) 0).putShort((short) seq);
                for (int i = 0; i < size; i++) req.put((byte) (0x10 + i));
                req.flip();
                long sent = System.nanoTime();
                int r = sendEcho(sock, new MsgHdr(req, new SockAddrIn(dest, 0)));
                if (r < 0) {
                    out.printf("ping: sendmsg: %s%n", Errno.of(r).message());
                    errors++;
                } else {
                    Reply reply = await(sock, seq, rsp, sent, sent + timeoutMs * 1_000_000L);
                    if (reply.rttNanos >= 0) {
                        double ms = reply.rttNanos / 1e6;
                        received++;
                        min = Math.min(min, ms);
                        max = Math.max(max, ms);
                        sum += ms;
                        out.printf("%d bytes from %s: icmp_seq=%d time=%.3f ms%n", reply.bytes, fmt(reply.from), seq, ms);
                    } else if (reply.error != null) {
                        errors++;
                        out.printf("From %s icmp_seq=%d %s%n", fmt(reply.from), seq, reply.error);
                    }
                }
                if (seq < count) Thread.sleep(intervalMs);
            }
            int loss = count == 0 ? 0 : (count - received) * 100 / count;
            out.printf("%n--- %s ping statistics ---%n%d packets transmitted, %d received,%s %d%% packet loss%n",
                    fmt(dest), count, received, errors > 0 ? " +" + errors + " errors," : "", loss);
            if (received > 0) {
                out.printf("rtt min/avg/max = %.3f/%.3f/%.3f ms%n", min, sum / received, max);
            }
            return new Result(count, received, errors, received > 0 ? min : 0, received > 0 ? sum / received : 0, max);
        }
    }

    /** The count sent, or {@code -errno} (printed like ping's "sendmsg:" line, not thrown: ping goes on). */
    private static int sendEcho(SocketFd sock, MsgHdr msg) {
        try {
            return sock.sendmsg(msg, 0);
        } catch (ErrnoException e) {
            return e.errno().neg();
        }
    }

    private record Reply(long rttNanos, int bytes, int from, String error) {}

    /** Reads replies until the one for {@code seq} arrives, an ICMP error about us does, or time runs out. */
    private Reply await(SocketFd sock, int seq, ByteBuffer rsp, long sent, long deadline) throws ErrnoException {
        for (;;) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return new Reply(-1, 0, 0, null);
            MsgHdr err = new MsgHdr(ByteBuffer.allocate(2), null);
            if (recv(sock, err, MsgFlags.MSG_ERRQUEUE | MsgFlags.MSG_DONTWAIT, 0) == 2) {
                int type = err.data.get(0) & 0xff;
                int code = err.data.get(1) & 0xff;
                String text = type == IcmpHeader.DEST_UNREACH
                        ? Errno.of(Icmp.unreachErrno(code)).message() : "Time to live exceeded";
                return new Reply(-1, 0, ((SockAddrIn) err.name).address(), text);
            }
            rsp.clear();
            MsgHdr msg = new MsgHdr(rsp, null);
            int r = recv(sock, msg, 0, left);
            if (r < IcmpHeader.LENGTH) continue;
            int gotSeq = rsp.getShort(6) & 0xffff;
            if (gotSeq == seq) {
                return new Reply(System.nanoTime() - sent, r, ((SockAddrIn) msg.name).address(), null);
            }
        }
    }

    /** recvmsg, with "nothing yet" (EAGAIN) as -1 rather than an exception. */
    private static int recv(SocketFd sock, MsgHdr msg, int flags, long timeoutNanos) throws ErrnoException {
        try {
            return sock.recvmsg(msg, flags, timeoutNanos);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN) return -1;
            throw e;
        }
    }

    private static String fmt(int a) { return SockAddrIn.formatAddress(a); }
}
