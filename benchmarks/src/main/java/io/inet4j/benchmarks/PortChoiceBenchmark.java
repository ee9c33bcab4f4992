package io.inet4j.benchmarks;

import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.SocketFd;
import java.util.ArrayList;
import java.util.List;
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
 * Choosing a local port when most of {@code ip_local_port_range} is taken: the range is 1,000 ports and
 * {@code occupied} of them are held by bound sockets. {@code bind} is socket + bind to port 0
 * ({@code inet_csk_get_port}'s search) + close; {@code connect} is socket + connect to a peer stack
 * ({@code inet_hash_connect}'s search; the SYN meets no listener on the other stack of {@link TwoStacks} and is
 * reset) + close. Through the public socket
 * calls only, so it measures whatever search the stack does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PortChoiceBenchmark {
    private static final int RANGE = 1000;

    @Param({"0", "900", "990"})
    public int occupied;

    private TwoStacks lab;
    private final List<SocketFd> holders = new ArrayList<>();
    private final SockAddrIn any = new SockAddrIn(0, 0);
    private final SockAddrIn closedPort = TwoStacks.server(9);

    @Setup
    public void setUp() throws ErrnoException {
        lab = new TwoStacks(b -> b.sysctl("net.ipv4.ip_local_port_range", "40000 " + (40000 + RANGE - 1)));
        for (int i = 0; i < occupied; i++) {
            SocketFd fd = lab.client.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
            fd.bind(any);
            holders.add(fd);
        }
        if (connect() <= 0) throw new IllegalStateException("connect chose no port"); // ARP resolved before measuring
    }

    /** socket + bind(0) + close; returns the port chosen. */
    @Benchmark
    public int bind() throws ErrnoException {
        SocketFd fd = lab.client.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
        try {
            fd.bind(any);
            return fd.getsockname().port();
        } finally {
            fd.close();
        }
    }

    /** socket + connect + close, the SYN and its RST carried by the loop; returns the port chosen. */
    @Benchmark
    public int connect() throws ErrnoException {
        SocketFd fd = lab.client.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
        Socket s = fd.socket();
        int r = s.ops.connect(s, closedPort, 0);
        if (r != Errno.EINPROGRESS.neg()) ErrnoException.check(r == 0 ? Errno.EISCONN.neg() : r, "connect");
        int port = fd.getsockname().port();
        fd.close();
        lab.loop.runPending();
        return port;
    }

    @TearDown
    public void tearDown() {
        for (SocketFd fd : holders) fd.close();
        holders.clear();
        lab.close();
    }
}
