package io.inet4j.ipv4;

import io.inet4j.ipv4.af.InetSock;
import io.inet4j.socket.Errno;
import java.util.HashMap;
import java.util.Map;

/**
 * A datagram protocol's port table ({@code udp_table}, {@code ping_table}): local port (or echo identifier) to
 * the socket that holds it, with a rover that hands out free ones from a range. Loop thread only. Keep one per
 * stack with {@link InetContext#generic}, keyed by a subclass of your own so no other protocol's table is found
 * ({@code final class Ports extends DatagramPorts<MySock>}).
 */
public class DatagramPorts<S extends InetSock> {
    private final Map<Integer, S> byPort = new HashMap<>();
    private final int low;
    private final int high;
    private int rover;

    /** Ports {@code low..high} (inclusive) are handed out when a socket asks for port 0. */
    public DatagramPorts(int low, int high) {
        if (low < 1 || high > 0xffff || low > high) throw new IllegalArgumentException("bad range " + low + ".." + high);
        this.low = low;
        this.high = high;
        this.rover = low;
    }

    /**
     * get_port: reserves {@code port} for {@code sk} (0 picks a free one from the range) and sets its
     * {@code num}; {@code -EADDRINUSE} when taken or when the range is full.
     */
    public int getPort(S sk, int port) {
        if (port == 0) {
            for (int i = low; i <= high && port == 0; i++) {
                int candidate = rover;
                rover = rover == high ? low : rover + 1;
                if (!byPort.containsKey(candidate)) port = candidate;
            }
            if (port == 0) return Errno.EADDRINUSE.neg();
        } else if (byPort.containsKey(port)) {
            return Errno.EADDRINUSE.neg();
        }
        sk.num = port;
        byPort.put(port, sk);
        return 0;
    }

    /** unhash: gives {@code sk}'s port back, if it holds one. */
    public void unhash(S sk) {
        if (sk.num != 0) byPort.remove(sk.num, sk);
        sk.num = 0;
    }

    /** The socket holding {@code port}, or null. */
    public S lookup(int port) { return byPort.get(port); }
}
