package io.inet4j.stack;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;

/** A connection made with the blocking API between two threaded stacks: b's listener, a's client, b's accepted end. */
record Connection(InetServerSocket server, InetSocket client, InetSocket accepted) implements AutoCloseable {
    /** Listens on b's {@code port}, connects from a; the handshake completes before accept, so no second thread. */
    static Connection open(ThreadedStacks t, int port) throws Exception {
        InetServerSocket server = t.b.serverSocket(port);
        InetSocket client = t.a.socket();
        client.connect(TwoStacks.B, port, 2000);
        return new Connection(server, client, server.accept());
    }

    @Override
    public void close() {
        client.close();
        accepted.close();
        server.close();
    }
}
