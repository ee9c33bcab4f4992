package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;

/**
 * The driver side of a network interface: moves whole Ethernet frames between a {@link NetDevice} and some
 * medium (a TAP device, an in-memory wire, a unix socket). The analog of a driver's {@code net_device_ops}
 * ({@code ndo_start_xmit}) plus its receive interrupt.
 */
public interface Link extends AutoCloseable {
    /** A short name for logs and {@code ip link}-style listings. */
    String name();

    /** The MTU the medium carries (payload bytes after the Ethernet header). */
    int mtu();

    /** The hardware address this link wants its device to use, or null to let the device pick one. */
    MacAddress mac();

    /** The {@link NetdevFeatures} bits this link offers; none unless it says so. */
    default int features() { return 0; }

    /** Starts delivering received frames to {@code host}; called once, before any transmit. */
    void start(LinkHost host);

    /**
     * Sends one frame (Ethernet header at {@code frame.data()}). Takes ownership of the buffer in every case,
     * including a drop. Called on the stack's loop.
     */
    void transmit(PacketBuffer frame);

    /**
     * True when {@link #xmit} works: the link can write a frame from a thread that does not own the stack's state,
     * so the device may queue what the owner sends and write it after the owner lets go (see {@link NetDevice}).
     */
    default boolean xmitsUnowned() { return false; }

    /**
     * {@code ndo_start_xmit} without the free: writes one frame as {@link #transmit} does, counting a drop the same
     * way, but leaves the buffer to the caller, who releases it later under the stack's state (a TX completion).
     * May run on any thread, one call at a time; it reads the frame and touches no reference count, so the owner of
     * the state may meanwhile retain and release the buffers the frame's fragments point into. Only for links whose
     * {@link #xmitsUnowned} is true.
     */
    default void xmit(PacketBuffer frame) {
        throw new UnsupportedOperationException(name() + " transmits only under the stack's state");
    }

    /**
     * The receive queue a blocking reader may poll itself while it waits ({@link BusyPoll}), or null when frames come
     * only through the link's own reader.
     */
    default BusyPoll busyPoll() { return null; }

    /** Stops the link and releases what it holds. Idempotent. */
    @Override
    void close();
}
