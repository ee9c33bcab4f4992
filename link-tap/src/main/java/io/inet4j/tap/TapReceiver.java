package io.inet4j.tap;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.netdev.LinkHost;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * The receive half of {@link TapLink}'s reader thread, apart from the device so it can be tested without one:
 * reads frames until the kernel has none left and hands each to the host. Nothing a frame does stops it: a
 * buffer that cannot be allocated (direct memory exhausted) drops that frame through a spare buffer, as a NIC
 * driver drops when it has no skb ({@link TapStats#rxNoBuffer}); a host whose receive throws, an Error included,
 * loses that frame ({@link TapStats#rxHostErrors}). Both are logged at ERROR.
 */
final class TapReceiver {
    /** One {@code read(2)}: the byte count, or {@code -errno}. */
    @FunctionalInterface
    interface FrameSource {
        long read(ByteBuffer into);
    }

    private static final System.Logger LOG = System.getLogger(TapLink.class.getName());

    private final String name;
    private final int frameSize;
    /** Frames lead with a {@link VirtioNetHdr} and may be super-segments up to {@link #GSO_FRAME} bytes. */
    private final boolean vnetHdr;
    /** What one read may bring: the header and the largest frame. */
    private final int readSize;
    private final FrameSource source;
    private final IntFunction<PacketBuffer> allocator;
    private final TapStats stats;
    /** Takes the frame the kernel offers when no pooled buffer can be had, so it is dropped, not read again. */
    private final ByteBuffer spare;
    private final int eagain;
    private final int eintr;

    /** The largest frame a TSO super-segment makes: a 64 KiB datagram, its Ethernet header and a VLAN tag. */
    static final int GSO_FRAME = 65535 + 14 + 4;
    /** A frame this much smaller than the read buffer fits a smaller size class of the pool, and moves to one. */
    private static final int COPYBREAK_SLACK = 4096;

    TapReceiver(String name, int frameSize, FrameSource source, IntFunction<PacketBuffer> allocator, TapStats stats,
                int eagain, int eintr) {
        this(name, frameSize, false, source, allocator, stats, eagain, eintr);
    }

    /**
     * {@code frameSize}: the largest ordinary frame (MTU, Ethernet header, VLAN tag); {@code vnetHdr}: the device
     * was opened with {@code IFF_VNET_HDR}, so each frame leads with the offload header.
     */
    TapReceiver(String name, int frameSize, boolean vnetHdr, FrameSource source, IntFunction<PacketBuffer> allocator,
                TapStats stats, int eagain, int eintr) {
        this.name = name;
        this.frameSize = frameSize;
        this.vnetHdr = vnetHdr;
        this.readSize = vnetHdr ? VirtioNetHdr.LENGTH + Math.max(frameSize, GSO_FRAME) : frameSize;
        this.source = source;
        this.allocator = allocator;
        this.stats = stats;
        this.eagain = eagain;
        this.eintr = eintr;
        this.spare = ByteBuffer.allocateDirect(readSize + 1);
    }

    /**
     * Reads until the source has nothing left ({@code EAGAIN}) or {@code stop} holds, and returns 0; or returns
     * the (positive) errno of a read that failed otherwise, after which the reader must stop.
     */
    int drain(LinkHost host, BooleanSupplier stop) {
        while (!stop.getAsBoolean()) {
            PacketBuffer b;
            try {
                b = allocator.apply(readSize + 1);
            } catch (Throwable t) {
                int err = dropOne();
                if (err == eagain) return 0;
                if (err != 0) return err;
                stats.rxNoBuffer.incrementAndGet();
                log("no buffer for a frame; dropped", t);
                continue;
            }
            ByteBuffer bytes = b.buffer();
            long n = source.read(bytes);
            if (n < 0) {
                b.release();
                int e = (int) -n;
                if (e == eagain) return 0;
                if (e == eintr) continue;
                return e;
            }
            b = vnetHdr ? offloaded(b, (int) n) : ordinary(b, (int) n);
            if (b == null) {
                stats.rxDropped.incrementAndGet();
                continue;
            }
            stats.rxFrames.incrementAndGet();
            stats.rxBytes.addAndGet(n);
            if (b.gsoSize() > 0) stats.rxGsoBytes.addAndGet(b.length());
            try {
                host.receive(b);
            } catch (Throwable t) {
                // The host owns the frame now; its failure must not end the only receive path.
                stats.rxHostErrors.incrementAndGet();
                log("receive threw; the frame is lost", t);
            }
        }
        return 0;
    }

    /**
     * A frame read without offload header, or null when it is longer than our MTU allows: the kernel side's MTU
     * was raised. A frame that filled the buffer may also have been cut short (6.18 returns only what fit), hence
     * the spare byte.
     */
    private PacketBuffer ordinary(PacketBuffer b, int n) {
        if (n > frameSize) {
            b.release();
            return null;
        }
        b.setData(0, n);
        return b;
    }

    /**
     * A frame behind its {@link VirtioNetHdr}, with the offload state applied, or null when it is cut short,
     * longer than our MTU without being a super-segment, or a kind of super-segment we never asked for. A frame
     * that a smaller size class of the pool would hold moves to a buffer of its own size (a driver's copybreak),
     * so what a socket queues pins about what it holds: the receive window is computed from that, and a 30 KiB
     * segment charged as 64 KiB would close the window twice as fast as it fills it.
     */
    private PacketBuffer offloaded(PacketBuffer b, int n) {
        int len = n - VirtioNetHdr.LENGTH;
        int at = VirtioNetHdr.LENGTH;
        if (len <= 0 || n > readSize || !VirtioNetHdr.toPacket(b, 0, at) || len > frameSize && b.gsoSize() == 0) {
            b.release();
            return null;
        }
        if (len > readSize - COPYBREAK_SLACK) {
            b.setData(at, len);
            return b;
        }
        PacketBuffer c;
        try {
            c = allocator.apply(len);
        } catch (Throwable t) {
            b.setData(at, len); // no small buffer to be had: the large one carries it
            return b;
        }
        c.copyFrom(b, at, 0, len);
        c.setData(0, len);
        if (b.ipSummed() == PacketBuffer.CHECKSUM_PARTIAL) c.setCsumPartial(b.csumStart() - at, b.csumOffset());
        else if (b.ipSummed() == PacketBuffer.CHECKSUM_UNNECESSARY) c.setCsumUnnecessary();
        c.setGsoSize(b.gsoSize());
        b.release();
        return c;
    }

    /** Reads one frame into the spare buffer; 0 when one was dropped, else the errno of the read. */
    private int dropOne() {
        for (;;) {
            long n = source.read(spare.clear());
            if (n >= 0) return 0;
            if (-n != eintr) return (int) -n;
        }
    }

    private void log(String what, Throwable t) {
        try {
            LOG.log(System.Logger.Level.ERROR, "TAP " + name + ": " + what, t);
        } catch (Throwable ignored) {
            // Out of memory even to log: the counter already tells.
        }
    }
}
