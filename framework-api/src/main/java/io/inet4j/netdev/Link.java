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

    /** Stops the link and releases what it holds. Idempotent. */
    @Override
    void close();
}
