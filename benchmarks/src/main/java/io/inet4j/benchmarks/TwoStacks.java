package io.inet4j.benchmarks;

import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.SocketFd;
import java.util.function.UnaryOperator;

/**
 * The benchmarks' two-host lab without threads: a client stack (10.0.0.1) and a server stack (10.0.0.2) on an
 * in-memory wire, both driven by one simulated loop, so a benchmark thread runs every packet itself.
 */
final class TwoStacks {
    private static final long SECOND = 1_000_000_000L;

    final SimulatedEventLoop loop = new SimulatedEventLoop();
    final InetStack client;
    final InetStack server;

    TwoStacks() { this(b -> b); }

    /** With {@code clientConfig} applied to the client's builder (sysctls, say). */
    TwoStacks(UnaryOperator<InetStack.Builder> clientConfig) {
        InMemoryLink[] wire = InMemoryLink.pair("veth-c", "veth-s", 1500);
        client = clientConfig.apply(InetStack.builder().name("client").seed(1).loop(loop))
                .link(wire[0], "10.0.0.1/24").build();
        server = InetStack.builder().name("server").seed(2).loop(loop).link(wire[1], "10.0.0.2/24").build();
        loop.runFor(10_000_000L);
    }

    /** The server's address at {@code port}. */
    static SockAddrIn server(int port) { return new SockAddrIn(SockAddrIn.parseAddress("10.0.0.2"), port); }

    /**
     * Connects {@code c} to {@code listener}'s port on the server, runs the loop through the handshake and returns
     * the accepted socket (the caller releases it).
     */
    Socket establish(Socket c, SocketFd listener, SockAddrIn address) throws ErrnoException {
        int r = c.ops.connect(c, address, 0);
        if (r != Errno.EINPROGRESS.neg()) ErrnoException.check(r == 0 ? Errno.EISCONN.neg() : r, "connect");
        if (!loop.runUntilFor(SECOND, () -> (c.ops.poll(c) & PollEvents.POLLOUT) != 0)) {
            throw new IllegalStateException("no handshake");
        }
        Socket l = listener.socket();
        loop.runUntilFor(SECOND, () -> (l.ops.poll(l) & PollEvents.POLLIN) != 0);
        Socket accepted = new Socket(SockType.SOCK_STREAM);
        ErrnoException.check(l.ops.accept(l, accepted, 0), "accept");
        return accepted;
    }

    void close() {
        client.close();
        server.close();
        loop.runPending();
    }
}
