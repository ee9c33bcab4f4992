package io.inet4j.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link PacketBuffer}'s fragments ({@code skb_shinfo} frags): lengths as Linux counts them, the reference each
 * fragment holds and gives back, {@code skb_copy_bits} across the linear part and the fragments, trimming,
 * linearizing in place and into a larger pooled buffer, copies, and the fragment arrays' reuse by the pool.
 */
class PacketBufferFragsTest {
    private final PacketBufferPool pool = new PacketBufferPool(2048, 16);

    @AfterEach
    void nothingLeaks() {
        assertThat(pool.outstanding()).isZero();
    }

    /** A buffer of {@code n} payload bytes counting up from {@code first}. */
    private PacketBuffer payload(int n, int first) {
        PacketBuffer b = pool.allocate(n);
        int at = b.put(n);
        for (int i = 0; i < n; i++) b.setByte(at + i, first + i);
        return b;
    }

    /** A packet with a 4-byte linear part 0xa0.. and the given buffers' data as fragments. */
    private PacketBuffer packet(PacketBuffer... frags) {
        PacketBuffer p = pool.allocate(0);
        p.push(4);
        for (int i = 0; i < 4; i++) p.setByte(p.data() + i, 0xa0 + i);
        for (PacketBuffer f : frags) p.addFrag(f, f.data(), f.length());
        return p;
    }

    private static void release(PacketBuffer... buffers) {
        for (PacketBuffer b : buffers) b.release();
    }

    private static byte[] bytes(PacketBuffer p) {
        byte[] all = new byte[p.length()];
        p.copyBits(0, ByteBuffer.wrap(all), 0, all.length);
        return all;
    }

    @Test
    void lengthCountsFragmentsAndEachFragmentHoldsAReferenceUntilThePacketGoes() {
        PacketBuffer x = payload(10, 0);
        PacketBuffer y = payload(6, 100);
        PacketBuffer p = packet(x, y);
        assertThat(p.length()).isEqualTo(20);
        assertThat(p.headLength()).isEqualTo(4);
        assertThat(p.dataLength()).isEqualTo(16);
        assertThat(p.nrFrags()).isEqualTo(2);
        assertThat(p.fragBuffer(1)).isSameAs(y);
        assertThat(x.refCnt()).isEqualTo(2);

        x.release(); // the queue lets go (an ACK): the packet still holds the bytes
        assertThat(x.refCnt()).isEqualTo(1);
        assertThat(p.toHex()).isEqualTo("a0a1a2a3" + "00010203040506070809" + "646566676869");
        p.release();
        assertThat(x.refCnt()).isZero();
        assertThat(y.refCnt()).isEqualTo(1);
        y.release();
    }

    @Test
    void copyBitsReadsAcrossTheLinearPartAndTheFragments() {
        PacketBuffer x = payload(10, 0);
        PacketBuffer y = payload(6, 100);
        PacketBuffer p = packet(x, y);
        byte[] got = new byte[8];
        p.copyBits(2, ByteBuffer.wrap(got), 0, 8); // two header bytes, then six of x
        assertThat(got).containsExactly(0xa2 - 256, 0xa3 - 256, 0, 1, 2, 3, 4, 5);
        p.copyBits(12, ByteBuffer.wrap(got), 0, 8); // x's last two, then all of y
        assertThat(got).containsExactly(8, 9, 100, 101, 102, 103, 104, 105);
        assertThatThrownBy(() -> p.copyBits(13, ByteBuffer.wrap(got), 0, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        release(p, x, y);
    }

    @Test
    void linearizeMovesTheFragmentsBehindTheTailAndLetsThemGo() {
        PacketBuffer x = payload(10, 0);
        PacketBuffer p = packet(x);
        int data = p.data();
        p.linearize();
        assertThat(p.nrFrags()).isZero();
        assertThat(p.headLength()).isEqualTo(14);
        assertThat(p.data()).isEqualTo(data);
        assertThat(p.toHex()).isEqualTo("a0a1a2a3" + "00010203040506070809");
        assertThat(x.refCnt()).isEqualTo(1);
        release(p, x);
    }

    @Test
    void linearizeBeyondTheTailroomTradesForALargerPooledBufferKeepingEveryIndex() {
        PacketBuffer[] segs = new PacketBuffer[40];
        PacketBuffer p = pool.allocate(0);
        p.setNetworkHeader(p.push(4));
        for (int i = 0; i < 4; i++) p.setByte(p.data() + i, 0xa0 + i);
        for (int i = 0; i < segs.length; i++) {
            segs[i] = payload(1448, i);
            p.addFrag(segs[i], segs[i].data(), 1448);
        }
        byte[] before = bytes(p);
        int data = p.data();
        p.linearize();
        assertThat(p.capacity()).isGreaterThanOrEqualTo(data + before.length);
        assertThat(p.data()).isEqualTo(data);
        assertThat(p.networkHeader()).isEqualTo(data);
        assertThat(p.headLength()).isEqualTo(before.length);
        assertThat(bytes(p)).isEqualTo(before);
        for (PacketBuffer s : segs) {
            assertThat(s.refCnt()).isEqualTo(1);
            s.release();
        }
        assertThat(pool.outstanding()).as("the small buffer went back to the pool").isEqualTo(1);
        p.release();
    }

    @Test
    void trimCutsFragmentsAndReleasesThoseLeftOut() {
        PacketBuffer x = payload(10, 0);
        PacketBuffer y = payload(6, 100);
        PacketBuffer p = packet(x, y);
        p.trim(9);
        assertThat(p.length()).isEqualTo(9);
        assertThat(p.nrFrags()).isEqualTo(1);
        assertThat(p.fragLength(0)).isEqualTo(5);
        assertThat(y.refCnt()).as("the cut fragment's reference is dropped").isEqualTo(1);
        assertThat(p.toHex()).isEqualTo("a0a1a2a30001020304");
        p.trim(2);
        assertThat(p.nrFrags()).isZero();
        assertThat(p.length()).isEqualTo(2);
        assertThat(x.refCnt()).isEqualTo(1);
        release(p, x, y);
    }

    @Test
    void copyIsLinearAndIndependentOfTheFragments() {
        PacketBuffer x = payload(10, 0);
        PacketBuffer p = packet(x);
        PacketBuffer c = p.copy();
        assertThat(c.nrFrags()).isZero();
        assertThat(c.toHex()).isEqualTo(p.toHex());
        assertThat(x.refCnt()).isEqualTo(2);
        c.release();
        release(p, x);
    }

    @Test
    void aPacketWithFragmentsTakesNoPutAndNoMoreThanMaxFrags() {
        PacketBuffer x = payload(1, 0);
        PacketBuffer p = packet();
        for (int i = 0; i < PacketBuffer.MAX_FRAGS; i++) p.addFrag(x, x.data(), 1);
        assertThatThrownBy(() -> p.addFrag(x, x.data(), 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.put(1)).isInstanceOf(IllegalStateException.class);
        assertThat(x.refCnt()).isEqualTo(1 + PacketBuffer.MAX_FRAGS);
        p.release();
        assertThat(x.refCnt()).isEqualTo(1);
        x.release();
    }

    @Test
    void aReusedBufferStartsWithoutFragments() {
        PacketBuffer x = payload(10, 0);
        PacketBuffer p = packet(x);
        p.release();
        PacketBuffer again = pool.allocate(0);
        assertThat(again).as("the pool hands the same buffer back").isSameAs(p);
        assertThat(again.nrFrags()).isZero();
        assertThat(again.length()).isZero();
        assertThat(again.fragTable()).as("a linear packet carries no fragment table").isNull();
        again.addFrag(x, x.data(), 3);
        assertThat(again.length()).isEqualTo(3);
        again.release();
        x.release();
    }

    @Test
    void aFragmentTableIsLentWithTheFirstFragmentAndTakenBackWithTheLast() {
        PacketBuffer x = payload(10, 0);
        PacketBuffer p = packet(x);
        PacketBuffer.Frags table = p.fragTable();
        assertThat(table).isNotNull();
        p.trim(p.headLength()); // the fragments go, and with the last of them the table
        assertThat(p.fragTable()).isNull();
        PacketBuffer q = packet(x);
        assertThat(q.fragTable()).as("the pool lends the same table again").isSameAs(table);
        q.release();
        p.release();
        x.release();
    }
}
