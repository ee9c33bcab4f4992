package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.LoopTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * A network interface of one stack: the analog of {@code struct net_device}. It owns a {@link Link}, counts
 * what passes ({@link DeviceStats}), and runs the generic receive path: frames arrive from the link on any
 * thread into a bounded backlog ({@code netdev_max_backlog}), and the loop drains it in NAPI-sized batches
 * through {@code __netif_receive_skb}: length check, MAC filter, EtherType dispatch. When the stack's state is
 * free ({@link EventLoop#tryEnter}) the link's own thread drains it, as a driver's NAPI poll runs in the softirq
 * of the CPU that took the interrupt.
 */
public final class NetDevice implements LinkHost {
    /** Frames taken from the backlog per loop turn, like the NAPI weight. */
    private static final int NAPI_WEIGHT = 64;
    /**
     * Frames the owner of the state may leave for writing after it lets go ({@link TxQueue}), like a qdisc's limit;
     * beyond it the owner writes them itself.
     */
    private static final int TX_QUEUE_LEN = 256;
    private static final System.Logger LOG = System.getLogger(NetDevice.class.getName());

    private final int ifindex;
    private final String name;
    private final Link link;
    private final EventLoop loop;
    private final PacketBufferPool pool;
    private final PacketTypes packetTypes;
    /*
     * Multi-consumer although the loop is the usual reader: when the loop refuses the drain task, the refused
     * producer empties the backlog itself, possibly while the loop's last drain is still polling. Relaxed poll:
     * the loop never spins on a preempted producer, which schedules another drain once its offer lands.
     * Relaxed offer: a slot whose consumer is mid-poll counts as full, as it did with the hand-written ring.
     */
    private final MpmcAtomicArrayQueue<PacketBuffer> backlog;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** The one drain task, queued again and again without allocating ({@link #drainScheduled} keeps it single). */
    private final LoopTask drain = new LoopTask() {
        @Override public void run() { drainBacklog(); }
    };
    private final DeviceStats stats = new DeviceStats();
    /** Where frames wait until the state's owner lets go, for a link that can write them then; else null. */
    private final TxQueue txq;
    private final MacAddress mac;
    private final long macBits;
    private int mtu;
    private volatile boolean up;
    private volatile PacketTap tap;
    private volatile String failure;

    public NetDevice(int ifindex, Link link, MacAddress mac, EventLoop loop, PacketBufferPool pool,
                     PacketTypes packetTypes, int backlogSize) {
        this.ifindex = ifindex;
        this.name = link.name();
        this.link = link;
        this.mac = mac;
        this.macBits = mac.bits();
        this.loop = loop;
        this.pool = pool;
        this.packetTypes = packetTypes;
        this.mtu = link.mtu();
        // JCTools wants at least 2 slots (one slot cannot tell full from empty); rounds up to a power of two.
        this.backlog = new MpmcAtomicArrayQueue<>(Math.max(2, backlogSize));
        this.txq = link.xmitsUnowned() ? new TxQueue(link, loop, TX_QUEUE_LEN) : null;
    }

    public int ifindex() { return ifindex; }
    public String name() { return name; }
    public MacAddress mac() { return mac; }
    public int mtu() { return mtu; }
    public Link link() { return link; }
    /** The link's {@link NetdevFeatures}: what {@code dev->features} tells the stack it may hand over. */
    public int features() { return link.features(); }
    public DeviceStats stats() { return stats; }
    public boolean isUp() { return up; }

    /** Why the link failed for good ({@link #linkFailed}), or null while it works. */
    public String failure() { return failure; }

    /**
     * The link died: the device goes down, so what it is asked to send is dropped and counted rather than
     * written to a dead link, and the failure is logged at ERROR and kept for {@link #failure()}.
     */
    @Override
    public void linkFailed(String reason) {
        failure = reason;
        up = false;
        logContained("device " + name + " failed, now down: " + reason, null);
    }
    @Override public EventLoop loop() { return loop; }
    @Override public PacketBufferPool pool() { return pool; }

    /** Sets the MTU; 68 is IPv4's minimum and the link's own MTU the maximum. */
    public void setMtu(int mtu) {
        if (mtu < 68 || mtu > link.mtu()) throw new IllegalArgumentException("MTU " + mtu + " outside 68.." + link.mtu());
        this.mtu = mtu;
    }

    /** Attaches a capture (pcap) tap, or detaches with null. */
    public void setTap(PacketTap tap) { this.tap = tap; }

    /** dev_open: starts the link and marks the device up. */
    public void open() {
        if (up) return;
        link.start(this);
        up = true;
    }

    /** dev_close: marks the device down and closes its link; frames still queued either way are dropped. */
    public void close() {
        up = false;
        link.close();
        if (txq != null) stats.txDropped += txq.purge();
        PacketBuffer b;
        while ((b = backlog.relaxedPoll()) != null) {
            stats.rxDropped++;
            b.release();
        }
        PacketTap t = tap;
        if (t != null) t.close();
    }

    @Override
    public void receive(PacketBuffer frame) {
        if (!up || !backlog.relaxedOffer(frame)) {
            frame.release();
            synchronized (stats) {
                stats.rxDropped++;
            }
            return;
        }
        // NAPI in the receiving thread's context: with the state free, the frame goes up the stack right here
        // instead of a hop to the loop's thread and a wake-up.
        if (loop.tryEnter()) {
            try {
                drainBacklog();
            } finally {
                loop.exit();
            }
        } else {
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (!drainScheduled.compareAndSet(false, true)) return;
        try {
            loop.execute(drain);
        } catch (java.util.concurrent.RejectedExecutionException stackClosed) {
            // The stack is shutting down: what is queued dies with it.
            drainScheduled.set(false);
            for (PacketBuffer b; (b = backlog.relaxedPoll()) != null; ) {
                b.release();
                synchronized (stats) {
                    stats.rxDropped++;
                }
            }
        } catch (Throwable t) {
            // No drain was queued (say, no memory for the task): leaving the flag set would deafen the device for
            // good. The frames stay in the backlog for the next receive's drain; the link's thread sees the failure.
            drainScheduled.set(false);
            throw t;
        }
    }

    /**
     * Runs as the queued {@link #drain} task or in a thread that entered the state; {@code tryEnter} refuses while
     * the task waits in the loop's queue, so clearing the flag here never lets it be queued twice.
     */
    private void drainBacklog() {
        drainScheduled.set(false);
        // A driver's NAPI poll cleans its TX ring too: frames written since the last send are freed even if we send
        // nothing more.
        if (txq != null) txq.reap();
        for (int i = 0; i < NAPI_WEIGHT; i++) {
            PacketBuffer b = backlog.relaxedPoll();
            if (b == null) return;
            try {
                receiveOne(b);
            } catch (Throwable t) {
                // One frame that crashes its protocol handler must not strand the rest of the backlog. Who owns
                // the buffer by then is unknown, so it is not released here: a leak beats a double release.
                stats.rxHandlerErrors++;
                logContained("receive on " + name + " threw; the frame is lost", t);
            }
        }
        if (!backlog.isEmpty()) scheduleDrain();
    }

    private static void logContained(String what, Throwable t) {
        try {
            LOG.log(System.Logger.Level.ERROR, what, t);
        } catch (Throwable ignored) {
            // No memory left even to log: the counter already tells.
        }
    }

    /** __netif_receive_skb for one frame; the buffer's data starts at the Ethernet header. */
    private void receiveOne(PacketBuffer b) {
        stats.rxPackets++;
        stats.rxBytes += b.length();
        PacketTap t = tap;
        if (t != null) t.frame(this, b, false);
        if (b.length() < EthernetHeader.LENGTH) {
            stats.rxLengthErrors++;
            b.release();
            return;
        }
        int at = b.data();
        long dst = EthernetHeader.destination(b, at);
        if (dst != macBits && (dst & (0x01L << 40)) == 0) {
            stats.rxOtherhost++;
            b.release();
            return;
        }
        PacketHandler h = packetTypes.lookup(EthernetHeader.etherType(b, at));
        if (h == null) {
            stats.rxNohandler++;
            b.release();
            return;
        }
        b.setMacHeader(at);
        b.pull(EthernetHeader.LENGTH);
        b.setNetworkHeader(b.data());
        b.setIfindex(ifindex);
        h.receive(this, b);
    }

    /**
     * dev_queue_xmit: sends a frame whose Ethernet header is in place. Loop thread; takes ownership. A frame with
     * fragments is linearized first unless the link gathers them ({@link NetdevFeatures#SG}), as
     * {@code validate_xmit_skb} calls {@code skb_linearize}: the one place, so no link needs to. A link that writes
     * without the state ({@link Link#xmitsUnowned}) gets the frame once the caller lets go of the state
     * ({@link TxQueue}); any other link, at once.
     */
    public void transmit(PacketBuffer frame) {
        if (!up) {
            stats.txDropped++;
            frame.release();
            return;
        }
        if (frame.nrFrags() != 0 && (link.features() & NetdevFeatures.SG) == 0) frame.linearize();
        stats.txPackets++;
        stats.txBytes += frame.length();
        PacketTap t = tap;
        if (t != null) t.frame(this, frame, true);
        if (txq != null) txq.enqueue(frame);
        else link.transmit(frame);
    }

    @Override
    public String toString() {
        String f = failure;
        return ifindex + ": " + name + " mtu " + mtu + (up ? " UP" : " DOWN") + (f == null ? "" : " FAILED (" + f + ")")
                + " link/ether " + mac;
    }
}
