package io.inet4j.benchmarks;

import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
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
 * loop ({@link TwoStacks}), accept, then an aborting close (SO_LINGER 0, so no TIME_WAIT piles up across millions
 * of operations). The {@code hooks} parameter picks what is attached ({@link StackHooks}) on both stacks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectBenchmark {
    private static final int PORT = 80;

    @Param({StackHooks.NONE, StackHooks.PACKET_ACCEPT, StackHooks.CGROUP_ALLOW})
    public String hooks;

    private TwoStacks lab;
    private SocketFd listener;
    private final SockAddrIn serverAddress = TwoStacks.server(PORT);

    @Setup
    public void setUp() throws ErrnoException {
        lab = new TwoStacks();
        StackHooks.attach(hooks, lab.client);
        StackHooks.attach(hooks, lab.server);
        listener = lab.server.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
        listener.bind(new SockAddrIn(0, PORT));
        listener.listen(1024);
        connect(); // ARP resolved before measuring
    }

    /** socket + connect + handshake + accept + abort; returns the accepted socket's poll mask. */
    @Benchmark
    public int connect() throws ErrnoException {
        SocketFd fd = lab.client.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
        Socket c = fd.socket();
        fd.setsockopt(SockOpt.SOL_SOCKET, SockOpt.SO_LINGER, 0);
        Socket accepted = lab.establish(c, listener, serverAddress);
        int mask = accepted.ops.poll(accepted);
        fd.close();
        accepted.ops.release(accepted);
        lab.loop.runPending();
        return mask;
    }

    @TearDown
    public void tearDown() {
        listener.close();
        lab.close();
    }
}
