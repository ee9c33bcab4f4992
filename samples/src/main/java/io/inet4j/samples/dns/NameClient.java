package io.inet4j.samples.dns;

import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.SocketFd;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * The client half of the name-lookup sample, as a stub resolver does it ({@code res_send}): one query datagram,
 * wait {@code timeout} for the answer with the same id from the server, and send the query again, up to
 * {@code attempts} times, when none comes (UDP may lose it). Answers from elsewhere or to other ids are ignored.
 */
public final class NameClient {
    private final SocketFd fd;
    private final SockAddrIn server;
    private final long timeoutNanos;
    private final int attempts;
    private final Random ids = new Random();

    public NameClient(SocketFd fd, SockAddrIn server, long timeoutNanos, int attempts) {
        this.fd = fd;
        this.server = server;
        this.timeoutNanos = timeoutNanos;
        this.attempts = attempts;
    }

    /**
     * The address of {@code name}, as an IPv4 int.
     *
     * @throws UnknownHostException when the server says the name does not exist
     * @throws SocketTimeoutException when no answer came after {@code attempts} tries
     */
    public int resolve(String name) throws IOException {
        int id = ids.nextInt(0x10000);
        ByteBuffer answer = ByteBuffer.allocate(512);
        for (int attempt = 0; attempt < attempts; attempt++) {
            fd.sendmsg(new MsgHdr(NameQuery.query(id, name), server), 0);
            long deadline = System.nanoTime() + timeoutNanos;
            for (long left = timeoutNanos; left > 0; left = deadline - System.nanoTime()) {
                MsgHdr msg = new MsgHdr(answer.clear(), null);
                try {
                    fd.recvmsg(msg, 0, left);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EAGAIN) break;
                    throw e;
                }
                answer.flip();
                if (!server.equals(msg.name) || answer.remaining() != NameQuery.ANSWER_LENGTH || NameQuery.id(answer) != id) {
                    continue;
                }
                if (answer.get(2) == NameQuery.NXDOMAIN) throw new UnknownHostException(name);
                return answer.getInt(3);
            }
        }
        throw new SocketTimeoutException("no answer for " + name + " from " + server + " after " + attempts + " tries");
    }
}
