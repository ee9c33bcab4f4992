package io.inet4j.ipv4.neigh;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.loop.Timer;
import io.inet4j.netdev.MacAddress;
import io.inet4j.netdev.NetDevice;
import io.inet4j.socket.SockAddrIn;
import java.util.ArrayDeque;

/**
 * One entry of a {@link NeighTable} ({@code struct neighbour}): an IPv4 next hop on a device, its link-layer
 * address, its {@link NudState}, the one timer that drives that state (re-armed, never reallocated), and the
 * packets waiting for resolution ({@code arp_queue}). Times are clock nanoseconds.
 *
 * <p>Owned by the stack's loop: read it there. The table changes it; {@link NeighTable#entries()} gives a
 * snapshot for other threads.
 */
public final class Neighbour {
    final NetDevice dev;
    final int ifindex;
    final int key;
    final Timer timer;
    long lladdr;
    NudState state = NudState.NONE;
    int probes;
    long confirmed;
    long updated;
    long used;
    /** Permanent entries do not count against the gc thresholds (Linux's {@code exempt_from_gc}). */
    boolean exemptFromGc;
    /** Next entry in the same hash bucket. */
    Neighbour next;
    private final ArrayDeque<PacketBuffer> arpQueue = new ArrayDeque<>();
    private int arpQueueLenBytes;

    Neighbour(NeighTable tbl, NetDevice dev, int key) {
        this.dev = dev;
        this.ifindex = dev.ifindex();
        this.key = key;
        this.timer = new Timer(() -> tbl.neighTimerHandler(this));
    }

    public NetDevice device() { return dev; }
    public int ifindex() { return ifindex; }
    /** The IPv4 address this entry resolves (the primary key). */
    public int address() { return key; }
    public NudState state() { return state; }
    /** The link-layer address, or null while the state is not {@link NudState#valid() valid}. */
    public MacAddress lladdr() { return state.valid() ? new MacAddress(lladdr) : null; }
    /** Probes sent in the current INCOMPLETE or PROBE round (counted from ucast_solicit while INCOMPLETE). */
    public int probes() { return probes; }
    /** When reachability was last confirmed (an ARP reply, or {@link NeighTable#confirm}). */
    public long confirmed() { return confirmed; }
    /** When the state or the address last changed. */
    public long updated() { return updated; }
    /** When a packet last went through this entry. */
    public long used() { return used; }
    public int queuedPackets() { return arpQueue.size(); }
    public int queuedBytes() { return arpQueueLenBytes; }

    /** Buffer capacity stands in for skb truesize: it is the memory a queued packet pins. */
    static int truesize(PacketBuffer b) { return b.capacity(); }

    void enqueue(PacketBuffer b) {
        arpQueue.addLast(b);
        arpQueueLenBytes += truesize(b);
    }

    /** The oldest queued packet, or null. */
    PacketBuffer dequeue() {
        PacketBuffer b = arpQueue.pollFirst();
        if (b != null) arpQueueLenBytes -= truesize(b);
        return b;
    }

    /** The newest queued packet (what {@code neigh_probe} hands to the solicit), or null. */
    PacketBuffer lastQueued() { return arpQueue.peekLast(); }

    @Override
    public String toString() {
        return SockAddrIn.formatAddress(key) + " dev " + dev.name() + " " + state;
    }
}
