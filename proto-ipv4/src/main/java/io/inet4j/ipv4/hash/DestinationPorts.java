package io.inet4j.ipv4.hash;

import java.util.Arrays;

/**
 * The local ports in the established hash for one (local address, remote address, remote port): exactly the
 * ports whose 4-tuple check fails for a new connection to that destination. No kernel counterpart — Linux probes
 * the established hash port by port — it lets {@code inetHashConnect} step over a crowded destination's ports a
 * word at a time. A few ports live in a small array (the caller probes the established hash for those); from
 * {@link #DENSE} on, in a {@link PortBitmap}, dropped again when the count falls to half of that.
 */
final class DestinationPorts implements TupleKey {
    /** Beyond this many ports, probing each conflict costs more than a bitmap search. */
    static final int DENSE = 64;

    /** The destination: both addresses, and the remote port. */
    private final long addrs;
    private final int remotePort;
    private int count;
    private int[] sparse = new int[4];
    private PortBitmap dense;

    DestinationPorts(long addrs, int remotePort) {
        this.addrs = addrs;
        this.remotePort = remotePort;
    }

    @Override public long hashAddrs() { return addrs; }

    @Override public int hashPorts() { return remotePort; }

    int count() { return count; }

    /** The ports as a bitmap, or null while there are few enough to probe one by one. */
    PortBitmap dense() { return dense; }

    void add(int port) {
        if (dense != null) {
            dense.set(port);
        } else if (count < DENSE) {
            if (count == sparse.length) sparse = Arrays.copyOf(sparse, count * 2);
            sparse[count] = port;
        } else {
            dense = new PortBitmap();
            for (int i = 0; i < count; i++) dense.set(sparse[i]);
            dense.set(port);
            sparse = null;
        }
        count++;
    }

    void remove(int port) {
        count--;
        if (dense == null) {
            int i = 0;
            while (sparse[i] != port) i++;
            sparse[i] = sparse[count];
        } else {
            dense.clear(port);
            // Hysteresis: a destination hovering around DENSE does not rebuild its set on every connection.
            if (count < DENSE / 2) {
                sparse = new int[DENSE];
                dense.toArray(sparse);
                dense = null;
            }
        }
    }
}
