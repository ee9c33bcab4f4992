package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.LinkHost;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TAP reader with offloads on, without a device: each frame's {@link VirtioNetHdr} becomes the packet's
 * checksum state and gso_size, a small frame moves out of the 64 KiB read buffer (copybreak), and what we send
 * gets the header the kernel expects.
 */
class TapReceiverOffloadTest {
    private static final int EAGAIN = 11;
    private static final int FRAME = 1518;

    private final PacketBufferPool pool = PacketBufferPool.standard();
    private final TapStats stats = new TapStats();
    private final ArrayDeque<byte[]> reads = new ArrayDeque<>();
    private final List<PacketBuffer> delivered = new ArrayList<>();

    private final LinkHost host = new LinkHost() {
        @Override public void receive(PacketBuffer frame) { delivered.add(frame); }
        @Override public PacketBufferPool pool() { return pool; }
        @Override public EventLoop loop() { return new SimulatedEventLoop(); }
    };

    private final TapReceiver rx = new TapReceiver("tap-test", FRAME, true, into -> {
        byte[] next = reads.poll();
        if (next == null) return -EAGAIN;
        into.put(0, next);
        return next.length;
    }, pool::allocateRaw, stats, EAGAIN, 4);

    /** A virtio_net_hdr and a frame of {@code len} bytes whose bytes count up from 0. */
    private static byte[] read(int flags, int gsoType, int gsoSize, int csumStart, int csumOffset, int len) {
        ByteBuffer b = ByteBuffer.allocate(VirtioNetHdr.LENGTH + len).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) flags).put((byte) gsoType).putShort((short) 54).putShort((short) gsoSize)
                .putShort((short) csumStart).putShort((short) csumOffset);
        for (int i = 0; i < len; i++) b.put((byte) i);
        return b.array();
    }

    @Test
    void aSuperSegmentArrivesWholeWithItsGsoSizeAndPartialChecksum() {
        reads.add(read(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 1448, 34, 16, 60_000));
        assertThat(rx.drain(host, () -> false)).isZero();
        PacketBuffer b = delivered.get(0);
        assertThat(b.length()).isEqualTo(60_000);
        assertThat(b.getByte(b.data() + 1000)).isEqualTo(1000 & 0xff);
        assertThat(b.gsoSize()).isEqualTo(1448);
        assertThat(b.ipSummed()).isEqualTo(PacketBuffer.CHECKSUM_PARTIAL);
        assertThat(b.csumStart() - b.data()).isEqualTo(34);
        assertThat(b.csumOffset()).isEqualTo(16);
        assertThat(b.csumUnnecessary()).isTrue();
        assertThat(stats.rxGsoBytes()).isEqualTo(60_000);
        b.release();
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void aSmallFrameMovesToABufferOfItsOwnSizeKeepingItsState() {
        reads.add(read(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_NONE, 0, 34, 16, 66));
        reads.add(read(VirtioNetHdr.F_DATA_VALID, VirtioNetHdr.GSO_NONE, 0, 0, 0, 1514));
        reads.add(read(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 1448, 34, 16, 40_000));
        rx.drain(host, () -> false);
        PacketBuffer mid = delivered.get(2);
        assertThat(mid.capacity()).as("a 40 KB super-segment pins 40 KB, not 64").isEqualTo(40_960);
        assertThat(mid.gsoSize()).isEqualTo(1448);
        assertThat(mid.getByte(mid.data() + 39_999)).isEqualTo(39_999 & 0xff);
        PacketBuffer ack = delivered.get(0);
        assertThat(ack.capacity()).as("copybreak: not the 64 KiB read buffer").isEqualTo(pool.bufferSize());
        assertThat(ack.length()).isEqualTo(66);
        assertThat(ack.getByte(ack.data() + 65)).isEqualTo(65);
        assertThat(ack.csumStart() - ack.data()).isEqualTo(34);
        assertThat(ack.ipSummed()).isEqualTo(PacketBuffer.CHECKSUM_PARTIAL);
        assertThat(delivered.get(1).ipSummed()).isEqualTo(PacketBuffer.CHECKSUM_UNNECESSARY);
        delivered.forEach(PacketBuffer::release);
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void aBurstOfSmallFramesReadsIntoOneLargeBufferWhichGoesBackWhenTheDrainEnds() {
        List<Integer> asked = new ArrayList<>();
        TapReceiver counting = new TapReceiver("tap-test", FRAME, true, into -> {
            byte[] next = reads.poll();
            if (next == null) return -EAGAIN;
            into.put(0, next);
            return next.length;
        }, size -> {
            asked.add(size);
            return pool.allocateRaw(size);
        }, stats, EAGAIN, 4);
        for (int i = 0; i < 5; i++) reads.add(read(VirtioNetHdr.F_DATA_VALID, VirtioNetHdr.GSO_NONE, 0, 0, 0, 66 + i));
        reads.add(read(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 1448, 34, 16, 64_000));
        reads.add(read(VirtioNetHdr.F_DATA_VALID, VirtioNetHdr.GSO_NONE, 0, 0, 0, 80));
        assertThat(counting.drain(host, () -> false)).isZero();
        assertThat(delivered).extracting(PacketBuffer::length).containsExactly(66, 67, 68, 69, 70, 64_000, 80);
        assertThat(delivered.get(4).getByte(delivered.get(4).data() + 69)).isEqualTo(69);
        assertThat(asked.stream().filter(size -> size > 64_000))
                .as("one read buffer for the small frames, a second after the super-segment kept the first")
                .hasSize(2);
        delivered.forEach(PacketBuffer::release);
        assertThat(pool.outstanding()).as("the read buffer went back at the end of the drain").isZero();
    }

    @Test
    void framesWeCannotTakeAreDroppedAndCounted() {
        reads.add(read(VirtioNetHdr.F_NEEDS_CSUM, 3 /* UDP */, 1400, 34, 6, 30_000));
        reads.add(read(0, VirtioNetHdr.GSO_NONE, 0, 0, 0, FRAME + 1)); // over the MTU, not a super-segment
        reads.add(read(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 0, 34, 16, 30_000)); // no gso_size
        reads.add(new byte[4]); // shorter than the header
        reads.add(read(0, VirtioNetHdr.GSO_NONE, 0, 0, 0, 60));
        rx.drain(host, () -> false);
        assertThat(stats.rxDropped()).isEqualTo(4);
        assertThat(delivered).hasSize(1);
        delivered.forEach(PacketBuffer::release);
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void whatWeSendTellsTheKernelWhatIsLeftToIt() {
        PacketBuffer f = pool.allocate(14 + 20 + 32 + 3000);
        int eth = f.put(14 + 20 + 32 + 3000);
        int th = eth + 34;
        f.setByte(th + 12, 8 << 4);
        f.setByte(th + 13, 0x80 | 0x10); // CWR | ACK
        f.setCsumPartial(th, 16);
        f.setGsoSize(1448);
        ByteBuffer hdr = ByteBuffer.allocate(VirtioNetHdr.LENGTH);
        VirtioNetHdr.fromPacket(f, hdr);
        hdr.order(ByteOrder.LITTLE_ENDIAN);
        assertThat(hdr.get(0)).isEqualTo((byte) VirtioNetHdr.F_NEEDS_CSUM);
        assertThat(hdr.get(1) & 0xff).isEqualTo(VirtioNetHdr.GSO_TCPV4 | VirtioNetHdr.GSO_ECN);
        assertThat(hdr.getShort(2)).as("hdr_len").isEqualTo((short) (34 + 32));
        assertThat(hdr.getShort(4)).as("gso_size").isEqualTo((short) 1448);
        assertThat(hdr.getShort(6)).as("csum_start").isEqualTo((short) 34);
        assertThat(hdr.getShort(8)).as("csum_offset").isEqualTo((short) 16);

        f.setGsoSize(0);
        f.setCsumNone();
        VirtioNetHdr.fromPacket(f, hdr);
        for (int i = 0; i < VirtioNetHdr.LENGTH; i++) assertThat(hdr.get(i)).as("byte " + i).isZero();
        f.release();
    }
}
