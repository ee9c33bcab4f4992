package io.inet4j.netdev;

import static io.inet4j.netdev.Frames.MAC_A;
import static io.inet4j.netdev.Frames.MAC_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.VirtualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the classic pcap file {@link PcapWriter} writes: the global header (magic a1b2c3d4, version 2.4,
 * snaplen 65535, LINKTYPE_ETHERNET), one record per frame with the right lengths, bytes and clock-derived
 * timestamps (a frame's fragments included), nothing after close; and, where tcpdump is installed, that tcpdump reads it.
 */
class PcapWriterTest {
    private static final long START_WALL_NANOS = 1_700_000_000_250_000_000L;
    private static final int[] SIZES = {60, 98, 1514};

    @TempDir
    Path dir;

    private final PacketBufferPool pool = PacketBufferPool.standard();
    private final VirtualClock clock = new VirtualClock(5_000_000_000L);

    /** Writes one frame per entry of {@link #SIZES}, 1.5 ms of virtual time apart, and closes the file. */
    private Path writeFrames() throws IOException {
        Path file = dir.resolve("capture.pcap");
        PcapWriter w = new PcapWriter(file, clock, START_WALL_NANOS);
        for (int i = 0; i < SIZES.length; i++) {
            PacketBuffer f = Frames.ethernet(pool, MAC_B, MAC_A, 0x88b5, SIZES[i] - EthernetHeader.LENGTH, i);
            PacketBuffer tail = null;
            if (SIZES[i] > 1000) {
                // The last 1000 bytes as a fragment, as TCP hands over its payload on a gathering device.
                tail = pool.allocate(1000);
                tail.copyFrom(f, f.tail() - 1000, tail.put(1000), 1000);
                f.trim(f.length() - 1000);
                f.addFrag(tail, tail.data(), 1000);
            }
            w.frame(null, f, i % 2 == 0);
            f.release();
            if (tail != null) tail.release();
            clock.advance(1_500_000);
        }
        w.flush();
        w.close();
        PacketBuffer after = Frames.ethernet(pool, MAC_B, MAC_A, 0x88b5, 10, 0);
        w.frame(null, after, true);
        after.release();
        w.close();
        return file;
    }

    @Test
    void writesAGlobalHeaderAndOneRecordPerFrame() throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(writeFrames())).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(in.getInt()).as("magic").isEqualTo(0xa1b2c3d4);
        assertThat(in.getShort()).as("major").isEqualTo((short) 2);
        assertThat(in.getShort()).as("minor").isEqualTo((short) 4);
        assertThat(in.getInt()).as("thiszone").isZero();
        assertThat(in.getInt()).as("sigfigs").isZero();
        assertThat(in.getInt()).as("snaplen").isEqualTo(65535);
        assertThat(in.getInt()).as("linktype").isEqualTo(1);

        for (int i = 0; i < SIZES.length; i++) {
            long t = START_WALL_NANOS + i * 1_500_000L;
            assertThat(in.getInt()).as("ts_sec of %d", i).isEqualTo((int) (t / 1_000_000_000L));
            assertThat(in.getInt()).as("ts_usec of %d", i).isEqualTo((int) (t % 1_000_000_000L / 1000));
            assertThat(in.getInt()).as("incl_len of %d", i).isEqualTo(SIZES[i]);
            assertThat(in.getInt()).as("orig_len of %d", i).isEqualTo(SIZES[i]);
            byte[] data = new byte[SIZES[i]];
            in.get(data);
            assertThat(data).startsWith(0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a, 0x88, 0xb5, i);
            assertThat(data[data.length - 1]).isEqualTo((byte) (i + SIZES[i] - EthernetHeader.LENGTH - 1));
        }
        assertThat(in.hasRemaining()).as("nothing after the last record, nothing after close").isFalse();
    }

    @Test
    void tcpdumpReadsTheFile() throws Exception {
        Path tcpdump = List.of(Path.of("/usr/bin/tcpdump"), Path.of("/usr/sbin/tcpdump")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(tcpdump != null, "tcpdump is not installed");
        Path file = writeFrames();
        // -tt: epoch timestamps, so the check does not depend on the time zone.
        Process p = new ProcessBuilder(tcpdump.toString(), "-r", file.toString(), "-n", "-tt")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tcpdump output:%n%s", out).isZero();
        // Unknown EtherTypes get a hex dump on indented lines; one unindented line per packet.
        List<String> packets = out.lines().filter(l -> !l.isEmpty() && !Character.isWhitespace(l.charAt(0))).toList();
        assertThat(packets).hasSize(SIZES.length);
        for (int i = 0; i < SIZES.length; i++) {
            assertThat(packets.get(i)).startsWith(String.format("1700000000.%06d 02:00:00:00:00:0a > 02:00:00:00:00:0b",
                    250_000 + i * 1_500)).contains(", length " + SIZES[i]);
        }
    }
}
