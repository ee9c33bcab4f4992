package io.inet4j.benchmarks;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.wire.InetChecksum;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Internet checksum ({@code csum_partial} and {@code csum_fold}) over a tiny segment, a full Ethernet frame's
 * worth and a 64 KiB super-segment: what software checksumming costs on a link without checksum offload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChecksumBenchmark {
    @Param({"64", "1500", "65536"})
    public int size;

    private PacketBuffer buffer;

    @Setup
    public void setUp() {
        buffer = PacketBufferPool.standard().allocateRaw(size);
        byte[] bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        buffer.write(0, bytes, 0, size);
    }

    /** The folded 16-bit checksum of {@code size} bytes. */
    @Benchmark
    public int checksum() {
        return InetChecksum.compute(buffer, 0, size);
    }
}
