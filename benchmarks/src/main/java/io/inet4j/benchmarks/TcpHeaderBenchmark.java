package io.inet4j.benchmarks;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The TCP header of an established connection's segment (20 bytes plus {@code NOP NOP TS}) through the wire views:
 * {@code parse} reads what {@code tcp_v4_rcv} and {@code tcp_rcv_established} look at, options included
 * ({@code tcp_parse_options}); {@code build} writes what {@code __tcp_transmit_skb} fills in. No checksum here:
 * {@link ChecksumBenchmark} measures it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TcpHeaderBenchmark {
    private static final int LENGTH = TcpHeader.MIN_LENGTH + TcpOptions.TCPOLEN_TSTAMP_ALIGNED;

    private PacketBuffer segment;
    private final TcpOptions.Parsed options = new TcpOptions.Parsed();
    private int seq;

    @Setup
    public void setUp() {
        segment = PacketBufferPool.standard().allocateRaw(LENGTH);
        build();
    }

    /** Every field the receive path reads, and the timestamp option; returns a value that depends on all. */
    @Benchmark
    public int parse() {
        PacketBuffer b = segment;
        if (!TcpHeader.lengthValid(b, 0, LENGTH)) return -1;
        TcpOptions.parse(b, 0, options);
        return TcpHeader.sourcePort(b, 0) ^ TcpHeader.destPort(b, 0) ^ TcpHeader.seq(b, 0) ^ TcpHeader.ackSeq(b, 0)
                ^ TcpHeader.flags(b, 0) ^ TcpHeader.window(b, 0) ^ TcpHeader.urgentPointer(b, 0)
                ^ options.tsVal() ^ options.tsEcr();
    }

    /** A data segment's header with its timestamp; returns its length. */
    @Benchmark
    public int build() {
        seq += 1448;
        TcpHeader.write(segment, 0, 43210, 80, seq, 0x12345678, LENGTH, TcpHeader.ACK | TcpHeader.PSH, 502, 0);
        return TcpHeader.MIN_LENGTH + TcpOptions.writeTimestamp(segment, TcpHeader.MIN_LENGTH, seq, 0x0badcafe);
    }
}
