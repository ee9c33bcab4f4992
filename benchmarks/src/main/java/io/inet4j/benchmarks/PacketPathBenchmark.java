package io.inet4j.benchmarks;

import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
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
 * The per-packet IPv4 path with and without packet hooks: one ICMP echo to 127.0.0.1 through a ping socket on a
 * simulated loop. Each operation is two datagrams through {@code lo}, each passing {@code __ip_local_out}
 * (LOCAL_OUT), {@code ip_output} (POST_ROUTING), {@code ip_rcv} (PRE_ROUTING) and {@code ip_local_deliver}
 * (LOCAL_IN): the request to {@code icmp_echo}, the reply to the ping socket. No threads, no locks, no UDP.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketPathBenchmark {
    @Param({StackHooks.NONE, StackHooks.PACKET_ACCEPT, StackHooks.CGROUP_ALLOW})
    public String hooks;

    private SimulatedEventLoop loop;
    private InetStack stack;
    private Socket ping;
    private MsgHdr request;
    private MsgHdr reply;

    @Setup
    public void setUp() throws ErrnoException {
        loop = new SimulatedEventLoop();
        stack = InetStack.builder().name("bench").seed(1).loop(loop).build();
        loop.runPending();
        StackHooks.attach(hooks, stack);
        ping = stack.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP).socket();
        ByteBuffer req = ByteBuffer.allocate(IcmpHeader.LENGTH + 56);
        req.put(0, (byte) IcmpHeader.ECHO);
        request = new MsgHdr(req, new SockAddrIn(SockAddrIn.parseAddress("127.0.0.1"), 0));
        reply = new MsgHdr(ByteBuffer.allocate(256), null);
        if (echo() != req.capacity()) throw new IllegalStateException("no echo reply on lo");
    }

    /** Sends one echo request, lets the loop carry both datagrams, reads the reply; returns its length. */
    @Benchmark
    public int echo() {
        request.data.clear();
        int sent = ping.ops.sendmsg(ping, request, 0);
        if (sent < 0) return sent;
        loop.runPending();
        reply.data.clear();
        return ping.ops.recvmsg(ping, reply, 0);
    }

    @TearDown
    public void tearDown() {
        stack.close();
        loop.runPending();
    }
}
