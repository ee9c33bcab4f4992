package io.inet4j.tap;

import io.inet4j.buffer.PacketBuffer;
import java.nio.ByteBuffer;

/**
 * The 10-byte {@code struct virtio_net_hdr} ({@code include/uapi/linux/virtio_net.h}) that leads every frame on a
 * TAP opened with {@code IFF_VNET_HDR}: how the kernel and we tell each other about offloads. Little-endian, as
 * tun's legacy header is on the little-endian machines this runs on. {@link #toPacket} reads one the kernel wrote
 * into a received frame's metadata; {@link #fromPacket} writes one for a frame we send.
 */
final class VirtioNetHdr {
    /** {@code sizeof(struct virtio_net_hdr)}, tun's default {@code vnet_hdr_sz}. */
    static final int LENGTH = 10;
    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the checksum at csum_start + csum_offset is to be completed. */
    static final int F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}: the kernel vouches for the checksum. */
    static final int F_DATA_VALID = 2;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: the segment carries CWR, which only its first piece keeps. */
    static final int GSO_ECN = 0x80;

    private static final int FLAGS = 0;
    private static final int GSO_TYPE = 1;
    private static final int HDR_LEN = 2;
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;
    private static final int TCP_CWR = 0x80;

    private VirtioNetHdr() {}

    /**
     * Applies the header at {@code at} to the frame that follows it, whose Ethernet header is at {@code frame}:
     * a partial checksum becomes {@code CHECKSUM_PARTIAL}, a checked one {@code CHECKSUM_UNNECESSARY}, a TCPv4
     * super-segment gets its {@code gso_size}. False for a kind of super-segment we did not ask for.
     */
    static boolean toPacket(PacketBuffer b, int at, int frame) {
        int flags = b.getByte(at + FLAGS);
        int gsoType = b.getByte(at + GSO_TYPE) & ~GSO_ECN;
        if (gsoType != GSO_NONE && gsoType != GSO_TCPV4) return false;
        if ((flags & F_NEEDS_CSUM) != 0) {
            b.setCsumPartial(frame + le16(b, at + CSUM_START), le16(b, at + CSUM_OFFSET));
        } else if ((flags & F_DATA_VALID) != 0) {
            b.setCsumUnnecessary();
        }
        if (gsoType == GSO_TCPV4) {
            int size = le16(b, at + GSO_SIZE);
            if (size == 0) return false;
            b.setGsoSize(size);
        }
        return true;
    }

    /** Writes into {@code hdr} (at 0) the header that tells the kernel what {@code frame} leaves to it. */
    static void fromPacket(PacketBuffer frame, ByteBuffer hdr) {
        int flags = 0;
        int gsoType = GSO_NONE;
        int hdrLen = 0;
        int gsoSize = 0;
        int csumStart = 0;
        int csumOffset = 0;
        if (frame.ipSummed() == PacketBuffer.CHECKSUM_PARTIAL) {
            flags = F_NEEDS_CSUM;
            csumStart = frame.csumStart() - frame.data();
            csumOffset = frame.csumOffset();
            if (frame.gsoSize() > 0) {
                int th = frame.csumStart();
                gsoType = GSO_TCPV4 | ((frame.getByte(th + 13) & TCP_CWR) != 0 ? GSO_ECN : 0);
                hdrLen = csumStart + (frame.getByte(th + 12) >>> 4) * 4;
                gsoSize = frame.gsoSize();
            }
        }
        hdr.put(FLAGS, (byte) flags).put(GSO_TYPE, (byte) gsoType);
        putLe16(hdr, HDR_LEN, hdrLen);
        putLe16(hdr, GSO_SIZE, gsoSize);
        putLe16(hdr, CSUM_START, csumStart);
        putLe16(hdr, CSUM_OFFSET, csumOffset);
    }

    private static int le16(PacketBuffer b, int at) { return b.getByte(at) | b.getByte(at + 1) << 8; }

    private static void putLe16(ByteBuffer hdr, int at, int v) {
        hdr.put(at, (byte) v).put(at + 1, (byte) (v >>> 8));
    }
}
