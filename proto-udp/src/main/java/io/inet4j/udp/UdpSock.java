package io.inet4j.udp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.af.InetSock;
import io.inet4j.socket.Proto;
import java.util.ArrayDeque;

/**
 * A UDP socket ({@code struct udp_sock}): an inet socket with its receive queue, charged by what each queued
 * buffer pins ({@code skb->truesize} into {@code sk_rmem_alloc}) and held to {@code sk_rcvbuf}, and its place in
 * the port hash chain.
 */
public final class UdpSock extends InetSock {
    /** Received datagrams, data at the UDP payload, network header set ({@code sk_receive_queue}). */
    final ArrayDeque<PacketBuffer> receiveQueue = new ArrayDeque<>();
    /** {@code sk_rmem_alloc}: the truesize of what {@link #receiveQueue} holds. */
    int rmemAlloc;
    /** {@code sk_drops}: datagrams this socket refused for want of receive buffer. */
    long drops;
    /** The next socket in the same port hash slot ({@code sk_node} in {@code udp_table.hash}). */
    UdpSock hashNext;
    /** Whether the socket sits in the port hash. */
    boolean hashed;

    UdpSock(InetContext inet, Proto prot, int type, int protocol) { super(inet, prot, type, protocol); }

    /** Datagrams dropped because the receive buffer was full. */
    public long drops() { return drops; }

    /** What the receive queue pins now ({@code sk_rmem_alloc}). */
    public int rmemAlloc() { return rmemAlloc; }

    /**
     * {@code __udp_enqueue_schedule_skb}: queues {@code b} unless the socket already holds more than its
     * receive buffer. As Linux does, one datagram is let in past the limit while the queue is at or under
     * it, so a buffer smaller than one datagram still receives. Returns false (the caller drops and counts) when full.
     */
    boolean enqueue(PacketBuffer b) {
        int size = b.capacity();
        if (rmemAlloc + size > rcvbuf && rmemAlloc > rcvbuf) return false;
        rmemAlloc += size;
        receiveQueue.add(b);
        dataReady();
        return true;
    }

    /** Takes the oldest datagram off the queue and uncharges it ({@code skb_consume_udp}). */
    PacketBuffer dequeue() {
        PacketBuffer b = receiveQueue.poll();
        if (b != null) rmemAlloc -= b.capacity();
        return b;
    }

    void purge() {
        PacketBuffer b;
        while ((b = dequeue()) != null) b.release();
    }
}
