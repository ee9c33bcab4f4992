package io.inet4j.samples.dns;

import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.SocketFd;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The server half of the name-lookup sample: a UDP socket answering {@link NameQuery} queries from a fixed table,
 * one datagram in, one datagram back to its sender. Malformed queries are dropped unanswered, as a DNS server
 * drops garbage. Runs on the calling thread until the socket is closed.
 */
public final class NameServer implements Runnable {
    private final SocketFd fd;
    private final Map<String, String> records;

    /** Serves {@code records} (name to dotted IPv4 address) on {@code fd}, already bound. */
    public NameServer(SocketFd fd, Map<String, String> records) {
        this.fd = fd;
        this.records = Map.copyOf(records);
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocate(512);
        while (true) {
            MsgHdr msg = new MsgHdr(buf.clear(), null);
            try {
                fd.recvmsg(msg, 0);
            } catch (ErrnoException e) {
                return; // closed
            }
            buf.flip();
            String name = NameQuery.name(buf);
            if (name == null) continue;
            String addr = records.get(name);
            ByteBuffer answer = addr == null ? NameQuery.answer(NameQuery.id(buf), NameQuery.NXDOMAIN, 0)
                    : NameQuery.answer(NameQuery.id(buf), NameQuery.NOERROR, SockAddrIn.parseAddress(addr));
            try {
                fd.sendmsg(new MsgHdr(answer, msg.name), 0);
            } catch (ErrnoException e) {
                // The asker is gone or unreachable; the next query is served all the same.
            }
        }
    }
}
