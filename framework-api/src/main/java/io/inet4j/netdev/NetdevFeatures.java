package io.inet4j.netdev;

/**
 * The offloads a {@link Link} offers its stack: the bits of a device's {@code netdev_features_t}
 * ({@code include/linux/netdev_features.h}) that change what the stack hands it or gets from it.
 */
public final class NetdevFeatures {
    /**
     * {@code NETIF_F_HW_CSUM}: the link completes a {@code CHECKSUM_PARTIAL} transport checksum, so the stack
     * writes only the pseudo-header sum.
     */
    public static final int HW_CSUM = 1;
    /**
     * {@code NETIF_F_TSO}: the link takes TCP super-segments up to {@link #GSO_MAX_SIZE} bytes with a
     * {@code gso_size} and cuts them into MSS-sized segments itself (it implies {@link #HW_CSUM}).
     */
    public static final int TSO = 2;
    /**
     * {@code NETIF_F_SG}: the link sends a packet whose payload sits in fragments ({@link
     * io.inet4j.buffer.PacketBuffer#addFrag}) by gathering them itself (DMA scatter-gather, {@code writev(2)}).
     * A link without it gets every packet linearized first ({@link NetDevice#transmit}).
     */
    public static final int SG = 4;
    /** {@code GSO_LEGACY_MAX_SIZE}: the largest super-segment, IP header included. */
    public static final int GSO_MAX_SIZE = 65535;

    private NetdevFeatures() {}
}
