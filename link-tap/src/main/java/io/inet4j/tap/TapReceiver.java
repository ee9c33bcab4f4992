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
    /** The pooled buffer the next read goes into, held only while a drain runs. */
    private PacketBuffer staging;
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
     * the (positive) errno of a read that failed otherwise, after which the reader must stop. Every read goes into
     * one read buffer kept for the whole drain: a frame that moves to a buffer of its own size (copybreak) leaves it
     * for the next read, so a burst of small frames takes one large buffer from the pool, not one per frame; it goes
     * back to the pool when the drain ends, so between drains the reader holds nothing.
     */
    int drain(LinkHost host, BooleanSupplier stop) { return drain(host, stop, Integer.MAX_VALUE); }

    /**
     * {@link #drain}, stopping (with 0) after {@code budget} frames too: a thread that polls the device for its own
     * socket takes a few frames at a time and looks at its socket in between, as {@code napi_busy_loop} polls with
     * {@code BUSY_POLL_BUDGET}, so a flood cannot keep it from returning what it came for.
     */
    int drain(LinkHost host, BooleanSupplier stop, int budget) {
        try {
            return drainFrames(host, stop, budget);
        } finally {
            if (staging != null) {
                staging.release();
                staging = null;
            }
        }
    }

    private int drainFrames(LinkHost host, BooleanSupplier stop, int budget) {
        for (int frames = 0; frames < budget && !stop.getAsBoolean(); ) {
            if (staging == null) {
                try {
                    staging = allocator.apply(readSize + 1);
                } catch (Throwable t) {
                    int err = dropOne();
                    if (err == eagain) return 0;
                    if (err != 0) return err;
                    stats.rxNoBuffer.incrementAndGet();
                    log("no buffer for a frame; dropped", t);
                    frames++;
                    continue;
                }
            }
            long n = source.read(staging.buffer());
            if (n < 0) {
                int e = (int) -n;
                if (e == eagain) return 0;
                if (e == eintr) continue;
                return e;
            }
            frames++;
            PacketBuffer b = vnetHdr ? offloaded((int) n) : ordinary((int) n);
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

    /** Hands the read buffer over with a frame in it; the next read takes another. */
    private PacketBuffer takeStaging() {
        PacketBuffer b = staging;
        staging = null;
        return b;
    }

    /**
     * A frame read without offload header, or null when it is longer than our MTU allows: the kernel side's MTU
     * was raised. A frame that filled the buffer may also have been cut short (6.18 returns only what fit), hence
     * the spare byte.
     */
    private PacketBuffer ordinary(int n) {
        if (n > frameSize) return null; // the read buffer stays for the next read
        PacketBuffer b = takeStaging();
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
    private PacketBuffer offloaded(int n) {
        int len = n - VirtioNetHdr.LENGTH;
        int at = VirtioNetHdr.LENGTH;
        if (len <= 0 || n > readSize) return null;
        PacketBuffer b = len > readSize - COPYBREAK_SLACK ? takeStaging() : copyOut(n);
        if (!VirtioNetHdr.toPacket(b, 0, at) || len > frameSize && b.gsoSize() == 0) {
            b.release();
            return null;
        }
        b.setData(at, len);
        return b;
    }

    /**
     * The {@code n} bytes read, header included, in a buffer of their own size; the read buffer itself when no
     * such buffer can be had, so the frame still goes up.
     */
    private PacketBuffer copyOut(int n) {
        PacketBuffer c;
        try {
            c = allocator.apply(n);
        } catch (Throwable t) {
            return takeStaging();
        }
        c.copyFrom(staging, 0, 0, n);
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
