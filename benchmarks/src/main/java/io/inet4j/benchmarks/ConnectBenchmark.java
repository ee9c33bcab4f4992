package io.inet4j.benchmarks;

import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.SocketFd;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A TCP connection's life from {@code socket()} to an accepted peer: socket, connect ({@code inet_stream_connect}
 * down to {@code tcp_connect}), the three-way handshake between two stacks on an in-memory wire and one simulated
 * loop, accept, then an aborting close (SO_LINGER 0, so no TIME_WAIT piles up across millions of operations).
 * The {@code hooks} parameter picks what is attached ({@link StackHooks}) on both stacks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectBenchmark {
    private static final int PORT = 80;
    private static final long SECOND = 1_000_000_000L;

    @Param({StackHooks.NONE, StackHooks.PACKET_ACCEPT, StackHooks.CGROUP_ALLOW})
    public String hooks;

    private SimulatedEventLoop loop;
    private InetStack client;
    private InetStack server;
    private SocketFd listener;
    private SockAddrIn serverAddress;

    @Setup
    public void setUp() throws ErrnoException {
        loop = new SimulatedEventLoop();
        InMemoryLink[] wire = InMemoryLink.pair("veth-c", "veth-s", 1500);
        client = InetStack.builder().name("client").seed(1).loop(loop).link(wire[0], "10.0.0.1/24").build();
        server = InetStack.builder().name("server").seed(2).loop(loop).link(wire[1], "10.0.0.2/24").build();
        loop.runFor(10_000_000L);
        StackHooks.attach(hooks, client);
        StackHooks.attach(hooks, server);
        listener = server.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
        listener.bind(new SockAddrIn(0, PORT));
        listener.listen(1024);
        serverAddress = new SockAddrIn(SockAddrIn.parseAddress("10.0.0.2"), PORT);
        connect(); // ARP resolved before measuring
    }

    /** socket + connect + handshake + accept + abort; returns the accepted socket's poll mask. */
    @Benchmark
    public int connect() throws ErrnoException {
        SocketFd fd = client.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
        Socket c = fd.socket();
        fd.setsockopt(SockOpt.SOL_SOCKET, SockOpt.SO_LINGER, 0);
        int r = c.ops.connect(c, serverAddress, 0);
        if (r != Errno.EINPROGRESS.neg()) ErrnoException.check(r == 0 ? Errno.EISCONN.neg() : r, "connect");
        if (!loop.runUntilFor(SECOND, () -> (c.ops.poll(c) & PollEvents.POLLOUT) != 0)) {
            throw new IllegalStateException("no handshake");
        }
        Socket l = listener.socket();
        loop.runUntilFor(SECOND, () -> (l.ops.poll(l) & PollEvents.POLLIN) != 0);
        Socket accepted = new Socket(SockType.SOCK_STREAM);
        ErrnoException.check(l.ops.accept(l, accepted, 0), "accept");
        int mask = accepted.ops.poll(accepted);
        fd.close();
        accepted.ops.release(accepted);
        loop.runPending();
        return mask;
    }

    @TearDown
    public void tearDown() {
        listener.close();
        client.close();
        server.close();
        loop.runPending();
    }
}
