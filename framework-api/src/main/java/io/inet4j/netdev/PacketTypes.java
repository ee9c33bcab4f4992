package io.inet4j.netdev;

/**
 * The EtherType dispatch table ({@code ptype_base}): which {@link PacketHandler} takes IPv4, which takes ARP.
 * A handful of entries searched linearly, which beats hashing at this size and allocates nothing.
 */
public final class PacketTypes {
    private int[] types = new int[0];
    private PacketHandler[] handlers = new PacketHandler[0];

    /** dev_add_pack: registers {@code handler} for {@code etherType}, replacing an earlier one. */
    public synchronized void add(int etherType, PacketHandler handler) {
        for (int i = 0; i < types.length; i++) {
            if (types[i] == etherType) {
                PacketHandler[] h = handlers.clone();
                h[i] = handler;
                handlers = h;
                return;
            }
        }
        int n = types.length;
        int[] t = java.util.Arrays.copyOf(types, n + 1);
        PacketHandler[] h = java.util.Arrays.copyOf(handlers, n + 1);
        t[n] = etherType;
        h[n] = handler;
        handlers = h;
        types = t;
    }

    /** The handler for {@code etherType}, or null. */
    public PacketHandler lookup(int etherType) {
        int[] t = types;
        PacketHandler[] h = handlers;
        for (int i = 0; i < t.length && i < h.length; i++) {
            if (t[i] == etherType) return h[i];
        }
        return null;
    }
}
