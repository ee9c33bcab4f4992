package io.inet4j.benchmarks;

import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.SocketFd;
import java.nio.ByteBuffer;
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
 * Established data segments through the whole path, with no threads: two stacks on an in-memory wire and one
 * simulated loop ({@link TwoStacks}), one connection between them. Each operation sends {@code payload} bytes one
 * way and back, so two data segments each pass {@code tcp_sendmsg}, {@code tcp_write_xmit}, {@code ip_queue_xmit},
 * the link, {@code ip_rcv}, {@code tcp_v4_rcv}, {@code tcp_rcv_established} and {@code tcp_recvmsg}; each ACK rides
 * on the echo, as in a request-response exchange.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SegmentBenchmark {
    private static final int PORT = 80;

    @Param({"1", "1448"})
    public int payload;

    private TwoStacks lab;
    private SocketFd listener;
    private SocketFd clientFd;
    private Socket c;
    private Socket s;
    private MsgHdr toServer;
    private MsgHdr atServer;
    private MsgHdr atClient;

    @Setup
    public void setUp() throws ErrnoException {
        lab = new TwoStacks();
        listener = lab.server.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
        listener.bind(new SockAddrIn(0, PORT));
        listener.listen(16);
        clientFd = lab.client.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
        c = clientFd.socket();
        s = lab.establish(c, listener, TwoStacks.server(PORT));
        toServer = new MsgHdr(ByteBuffer.allocate(payload), null);
        atServer = new MsgHdr(ByteBuffer.allocate(payload), null);
        atClient = new MsgHdr(ByteBuffer.allocate(payload), null);
        if (echo() != payload) throw new IllegalStateException("the echo came back short");
    }

    /** {@code payload} bytes to the server and back; returns how many came back. */
    @Benchmark
    public int echo() {
        toServer.data.clear();
        c.ops.sendmsg(c, toServer, MsgFlags.MSG_DONTWAIT);
        lab.loop.runPending();
        atServer.data.clear();
        int n = s.ops.recvmsg(s, atServer, MsgFlags.MSG_DONTWAIT);
        if (n <= 0) return n;
        atServer.data.flip();
        s.ops.sendmsg(s, atServer, MsgFlags.MSG_DONTWAIT);
        lab.loop.runPending();
        atClient.data.clear();
        return c.ops.recvmsg(c, atClient, MsgFlags.MSG_DONTWAIT);
    }

    @TearDown
    public void tearDown() {
        s.ops.release(s);
        clientFd.close();
        listener.close();
        lab.close();
    }
}
