package io.inet4j.tap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq} ({@code include/uapi/linux/if.h}) as the byte array an ioctl fills in: the interface
 * name in the first {@link #IFNAMSIZ} bytes, then a union whose first member is what TUNSETIFF ({@code short
 * ifr_flags}) and SIOCSIFMTU ({@code int ifr_mtu}) use.
 */
final class Ifreq {
    /** sizeof(struct ifreq) on LP64; a 32-bit kernel copies only its first 32 bytes, so this size suits both. */
    static final int SIZE = 40;
    static final int IFNAMSIZ = 16;
    static final int IFF_TAP = 0x0002;
    static final int IFF_NO_PI = 0x1000;
    /** Each frame leads with a {@code struct virtio_net_hdr} ({@link VirtioNetHdr}): the way to offloads. */
    static final int IFF_VNET_HDR = 0x4000;
    /** One device, several descriptors: each TUNSETIFF with this flag attaches one more queue. */
    static final int IFF_MULTI_QUEUE = 0x0100;

    private Ifreq() {}

    /** An ifreq carrying {@code name} and {@code ifr_flags} (TUNSETIFF). */
    static byte[] withFlags(String name, int flags) {
        byte[] ifr = named(name);
        ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).putShort(IFNAMSIZ, (short) flags);
        return ifr;
    }

    /** An ifreq carrying {@code name} and an int member such as {@code ifr_mtu} (SIOCSIFMTU). */
    static byte[] withInt(String name, int value) {
        byte[] ifr = named(name);
        ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).putInt(IFNAMSIZ, value);
        return ifr;
    }

    /** The name the kernel wrote back: TUNSETIFF expands a {@code %d} template into the name it chose. */
    static String name(byte[] ifr) {
        int len = 0;
        while (len < IFNAMSIZ && ifr[len] != 0) len++;
        return new String(ifr, 0, len, StandardCharsets.UTF_8);
    }

    /**
     * Rejects what {@code dev_valid_name()} rejects, before the kernel answers a bare EINVAL: empty, longer
     * than 15 bytes (the 16th is the NUL), "." or "..", or containing '/', ':' or whitespace.
     */
    static void checkName(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("interface name is empty");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + name + "' is " + bytes
                    + " bytes; Linux allows at most " + (IFNAMSIZ - 1));
        }
        if (name.equals(".") || name.equals("..")) throw new IllegalArgumentException("interface name '" + name + "' is reserved");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("interface name '" + name + "' contains '" + c + "'");
            }
        }
    }

    private static byte[] named(String name) {
        checkName(name);
        byte[] ifr = new byte[SIZE];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, ifr, 0, n.length);
        return ifr;
    }
}
