package io.inet4j.samples.protocol;

import io.inet4j.net.Net;
import io.inet4j.socket.Errno;
import java.util.HashMap;
import java.util.Map;

/**
 * The port table the mini-datagram protocol's socket side and receive side share. A plug-in keeps such state
 * in the stack's service registry, since it has no place in the core's wiring.
 */
final class MiniDgramTable {
    private final Map<Integer, MiniDgramSock> byPort = new HashMap<>();
    private int next = 49152;

    /** The one table of {@code net}, created on first use. */
    static synchronized MiniDgramTable of(Net net) {
        try {
            return net.service(MiniDgramTable.class);
        } catch (IllegalStateException absent) {
            MiniDgramTable t = new MiniDgramTable();
            net.registerService(MiniDgramTable.class, t);
            return t;
        }
    }

    int getPort(MiniDgramSock s, int port) {
        if (port == 0) {
            for (int i = 0; i < 16384 && port == 0; i++) {
                int candidate = next;
                next = next == 65535 ? 49152 : next + 1;
                if (!byPort.containsKey(candidate)) port = candidate;
            }
            if (port == 0) return Errno.EADDRINUSE.neg();
        } else if (byPort.containsKey(port)) {
            return Errno.EADDRINUSE.neg();
        }
        s.num = port;
        byPort.put(port, s);
        return 0;
    }

    void unhash(MiniDgramSock s) {
        if (s.num != 0) byPort.remove(s.num, s);
    }

    MiniDgramSock lookup(int port) { return byPort.get(port); }
}
