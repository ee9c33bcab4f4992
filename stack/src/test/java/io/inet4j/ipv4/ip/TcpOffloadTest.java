package io.inet4j.ipv4.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.wire.InetChecksum;
import io.inet4j.ipv4.wire.Ipv4Header;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Software GSO (tcp4_gso_segment): a super-segment cut for a device without TSO, piece by piece. */
class TcpOffloadTest {
    private static final int SADDR = 0x0a000001;
    private static final int DADDR = 0x0a000002;
    private static final int MSS = 1000;
    private static final int PAYLOAD = 2 * MSS + 300;
    private static final int CWR = 0x80;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int FIN = 0x01;

    private final PacketBufferPool pool = PacketBufferPool.standard();

    @Test
    void eachPieceHasItsSequenceIdLengthFlagsAndFullChecksums() {
        PacketBuffer b = superSegment();

        List<PacketBuffer> pieces = new ArrayList<>();
        assertThat(TcpOffload.segment(pool, b, pieces::add)).isEqualTo(3);

        int[] lengths = {MSS, MSS, 300};
        int[] flags = {CWR | ACK, ACK, ACK | PSH | FIN};
        int seq = 5000;
        for (int n = 0; n < 3; n++) {
            PacketBuffer s = pieces.get(n);
            int at = s.data();
            int t = at + 20;
            assertThat(s.length()).isEqualTo(52 + lengths[n]);
            assertThat(Ipv4Header.totalLength(s, at)).isEqualTo(52 + lengths[n]);
            assertThat(Ipv4Header.id(s, at)).isEqualTo(100 + n);
            assertThat(InetChecksum.compute(s, at, 20)).as("IP checksum").isZero();
            assertThat(s.getInt(t + 4)).isEqualTo(seq);
            assertThat(s.getInt(t + 8)).isEqualTo(777);
            assertThat(s.getByte(t + 13)).isEqualTo(flags[n]);
            assertThat(s.getByte(t + 20)).isEqualTo(1);
            assertThat(InetChecksum.fold(InetChecksum.partial(s, t, 32 + lengths[n],
                    InetChecksum.pseudoHeader(SADDR, DADDR, 6, 32 + lengths[n])))).as("TCP checksum").isZero();
            for (int i = 0; i < lengths[n]; i++) {
                assertThat(s.getByte(t + 32 + i)).isEqualTo(((seq - 5000) + i) * 7 & 0xff);
            }
            assertThat(s.gsoSize()).isZero();
            assertThat(s.ipSummed()).isEqualTo(PacketBuffer.CHECKSUM_NONE);
            seq += lengths[n];
            s.release();
        }
        assertThat(pool.outstanding()).isZero();
    }

    /**
     * The same super-segment with its payload in fragments of odd sizes, as a device without TSO may get it from
     * TCP on a gathering route: the pieces are byte for byte those of the linear one, the fragments let go.
     */
    @Test
    void aSuperSegmentWithFragmentsMakesTheSamePieces() {
        List<PacketBuffer> linear = new ArrayList<>();
        TcpOffload.segment(pool, superSegment(), linear::add);
        PacketBuffer b = superSegment();
        PacketBuffer[] sources = moveToFragments(b, 333, 1001, 966);
        List<PacketBuffer> pieces = new ArrayList<>();
        assertThat(TcpOffload.segment(pool, b, pieces::add)).isEqualTo(3);
        for (int n = 0; n < 3; n++) {
            assertThat(pieces.get(n).toHex()).isEqualTo(linear.get(n).toHex());
            pieces.get(n).release();
            linear.get(n).release();
        }
        for (PacketBuffer src : sources) {
            assertThat(src.refCnt()).isEqualTo(1);
            src.release();
        }
        assertThat(pool.outstanding()).isZero();
    }

    /** Checksums over fragments that start at odd offsets of the whole (csum_block_add) equal the linear sum. */
    @Test
    void aPartialChecksumIsFinishedOverFragmentsAtOddOffsets() {
        PacketBuffer linear = superSegment();
        int th = linear.data() + 20;
        InetChecksum.completePartial(linear);
        PacketBuffer b = superSegment();
        PacketBuffer[] sources = moveToFragments(b, 1, 333, 1000, 966);
        InetChecksum.completePartial(b);
        assertThat(b.getShort(th + 16)).isEqualTo(linear.getShort(th + 16));
        b.release();
        linear.release();
        for (PacketBuffer src : sources) src.release();
        assertThat(pool.outstanding()).isZero();
    }

    /**
     * Moves {@code b}'s payload (after the 52 bytes of headers) into buffers of the given sizes, referenced as
     * fragments; returns those buffers, which the caller releases.
     */
    private PacketBuffer[] moveToFragments(PacketBuffer b, int... sizes) {
        int from = b.data() + 52;
        b.trim(52);
        PacketBuffer[] sources = new PacketBuffer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            sources[i] = pool.allocate(sizes[i]);
            sources[i].copyFrom(b, from, sources[i].put(sizes[i]), sizes[i]);
            b.addFrag(sources[i], sources[i].data(), sizes[i]);
            from += sizes[i];
        }
        assertThat(b.length()).isEqualTo(52 + PAYLOAD);
        return sources;
    }

    /** A GSO packet at its IPv4 header: 20 + 32 bytes of headers (NOP options), then PAYLOAD bytes of i * 7. */
    private PacketBuffer superSegment() {
        PacketBuffer b = pool.allocate(20 + 32 + PAYLOAD);
        int ip = b.put(20 + 32 + PAYLOAD);
        Ipv4Header.write(b, ip, 0, 20 + 32 + PAYLOAD, 100, Ipv4Header.FLAG_DF, 64, 6, SADDR, DADDR);
        int th = ip + 20;
        b.setInt(th, 0x1f900050); // ports 8080 -> 80
        b.setInt(th + 4, 5000);
        b.setInt(th + 8, 777);
        b.setByte(th + 12, (32 / 4) << 4);
        b.setByte(th + 13, CWR | ACK | PSH | FIN);
        b.setShort(th + 14, 512);
        for (int i = 0; i < 12; i++) b.setByte(th + 20 + i, 1); // NOP options, copied to every piece
        for (int i = 0; i < PAYLOAD; i++) b.setByte(th + 32 + i, i * 7);
        b.setGsoSize(MSS);
        b.setCsumPartial(th, 16);
        b.setShort(th + 16, 0x1234); // a pseudo-header sum the pieces must not inherit
        return b;
    }

    @Test
    void aPartialChecksumIsFinishedInSoftware() {
        PacketBuffer b = pool.allocate(40);
        int th = b.put(40);
        for (int i = 0; i < 40; i++) b.setByte(th + i, i * 13);
        long pseudo = InetChecksum.pseudoHeader(SADDR, DADDR, 6, 40);
        b.setShort(th + 16, ~InetChecksum.fold(pseudo) & 0xffff);
        b.setCsumPartial(th, 16);
        InetChecksum.completePartial(b);
        assertThat(InetChecksum.fold(InetChecksum.partial(b, th, 40, pseudo))).isZero();
        assertThat(b.ipSummed()).isEqualTo(PacketBuffer.CHECKSUM_NONE);
        b.release();
    }
}
