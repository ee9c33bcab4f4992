package io.inet4j.samples.protocol;

import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.af.InetSock;
import io.inet4j.socket.Proto;
import java.util.ArrayDeque;

/** A mini-datagram socket: an inet socket with a bounded queue of received datagrams. */
public final class MiniDgramSock extends InetSock {
    /** One received datagram: who sent it and what. */
    record Datagram(int from, int port, byte[] payload) {}

    private static final int QUEUE_MAX = 256;

    final ArrayDeque<Datagram> queue = new ArrayDeque<>();

    MiniDgramSock(InetContext ctx, Proto prot, int type, int protocol) { super(ctx, prot, type, protocol); }

    void deliver(Datagram d) {
        if (queue.size() >= QUEUE_MAX) return; // a full socket drops, as a datagram socket may
        queue.add(d);
        dataReady();
    }
}
