package io.inet4j.tap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one {@link TapLink}: what crossed our side of the tun device's file descriptor. The kernel keeps
 * its own view of the same traffic in the device's {@code rtnl_link_stats64} ({@code ip -s link}).
 */
public final class TapStats {
    final AtomicLong rxFrames = new AtomicLong();
    final AtomicLong rxBytes = new AtomicLong();
    final AtomicLong rxDropped = new AtomicLong();
    final AtomicLong rxErrors = new AtomicLong();
    final AtomicLong rxNoBuffer = new AtomicLong();
    final AtomicLong rxHostErrors = new AtomicLong();
    final AtomicLong txFrames = new AtomicLong();
    final AtomicLong txBytes = new AtomicLong();
    final AtomicLong txDropped = new AtomicLong();
    final AtomicLong txErrors = new AtomicLong();
    final AtomicLong rxGsoBytes = new AtomicLong();
    final AtomicLong txGsoBytes = new AtomicLong();

    TapStats() {}

    /** Frames read from the kernel and handed to the host. */
    public long rxFrames() { return rxFrames.get(); }
    public long rxBytes() { return rxBytes.get(); }
    /**
     * Frames read but not delivered: longer than the MTU allows (MTU + Ethernet header + a VLAN tag), which
     * happens when the kernel side's MTU was raised behind our back.
     */
    public long rxDropped() { return rxDropped.get(); }
    /** Failures that stopped the reader (a failed read or poll, a vanished device, the reader itself failing). */
    public long rxErrors() { return rxErrors.get(); }
    /** Frames dropped because no buffer could be allocated for them (direct memory exhausted). */
    public long rxNoBuffer() { return rxNoBuffer.get(); }
    /** Frames lost because the host's receive threw; the reader went on with the next. */
    public long rxHostErrors() { return rxHostErrors.get(); }
    /** Frames the kernel accepted whole. */
    public long txFrames() { return txFrames.get(); }
    public long txBytes() { return txBytes.get(); }
    /** Frames not sent because the link was down (EIO), the kernel's queue was full (EAGAIN) or the link closed. */
    public long txDropped() { return txDropped.get(); }
    /** Frames the kernel refused for another reason (for example EINVAL for a frame shorter than a header). */
    public long txErrors() { return txErrors.get(); }

    /** Bytes of the received frames that were TCP super-segments (offloads on: the kernel's TSO). */
    public long rxGsoBytes() { return rxGsoBytes.get(); }
    /** Bytes of the frames sent as TCP super-segments for the kernel to cut (offloads on). */
    public long txGsoBytes() { return txGsoBytes.get(); }

    @Override
    public String toString() {
        return "RX: frames " + rxFrames() + " bytes " + rxBytes() + " dropped " + rxDropped() + " errors " + rxErrors()
                + " no_buffer " + rxNoBuffer() + " host_errors " + rxHostErrors() + " gso_bytes " + rxGsoBytes() + "; TX: frames "
                + txFrames() + " bytes " + txBytes() + " dropped " + txDropped() + " errors " + txErrors() + " gso_bytes "
                + txGsoBytes();
    }
}
