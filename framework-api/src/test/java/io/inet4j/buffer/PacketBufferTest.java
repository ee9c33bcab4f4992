package io.inet4j.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link PacketBuffer}'s {@code sk_buff} arithmetic: the {@code head <= data <= tail <= end} bounds of
 * reserve/push/pull/put/trim and the exceptions past them, header offsets, big-endian accessors, {@code copy()}
 * independence, reference counting and {@code toHex}.
 */
class PacketBufferTest {
    private static final int HEADROOM = PacketBufferPool.DEFAULT_HEADROOM;

    private final PacketBufferPool pool = new PacketBufferPool(2048, 16);

    @AfterEach
    void nothingLeaks() {
        assertThat(pool.outstanding()).isZero();
    }

    /** A buffer holding {@code bytes} as its data, with the default headroom in front. */
    private PacketBuffer withData(int... bytes) {
        PacketBuffer b = pool.allocate(bytes.length);
        int at = b.put(bytes.length);
        for (int i = 0; i < bytes.length; i++) b.setByte(at + i, bytes[i]);
        return b;
    }

    @Test
    void allocateReservesTheDefaultHeadroomAndStartsEmpty() {
        PacketBuffer b = pool.allocate(100);
        assertThat(b.capacity()).isEqualTo(2048);
        assertThat(b.headroom()).isEqualTo(HEADROOM);
        assertThat(b.data()).isEqualTo(HEADROOM);
        assertThat(b.tail()).isEqualTo(HEADROOM);
        assertThat(b.length()).isZero();
        assertThat(b.tailroom()).isEqualTo(2048 - HEADROOM);
        assertThat(b.refCnt()).isEqualTo(1);
        assertThat(b.macHeader()).isEqualTo(-1);
        assertThat(b.networkHeader()).isEqualTo(-1);
        assertThat(b.transportHeader()).isEqualTo(-1);
        assertThat(b.ifindex()).isZero();
        b.release();
    }

    @Test
    void reserveMovesAnEmptyBufferForwardWithinItsCapacity() {
        PacketBuffer b = pool.allocateRaw(100);
        assertThat(b.reserve(40)).isSameAs(b);
        assertThat(b.headroom()).isEqualTo(40);
        assertThat(b.length()).isZero();
        assertThatThrownBy(() -> b.reserve(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.reserve(2048 - 40 + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        b.reserve(2048 - 40);
        assertThat(b.tailroom()).isZero();
        b.release();
    }

    @Test
    void reserveRefusesABufferThatHoldsData() {
        PacketBuffer b = withData(1);
        assertThatThrownBy(() -> b.reserve(1)).isInstanceOf(IllegalStateException.class);
        b.release();
    }

    @Test
    void pushClaimsHeadroomUpToTheHead() {
        PacketBuffer b = withData(1, 2, 3);
        assertThat(b.push(20)).isEqualTo(HEADROOM - 20);
        assertThat(b.length()).isEqualTo(23);
        assertThatThrownBy(() -> b.push(HEADROOM - 20 + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.push(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(b.push(HEADROOM - 20)).isZero();
        assertThat(b.headroom()).isZero();
        b.release();
    }

    @Test
    void pullStripsFromTheFrontUpToTheTail() {
        PacketBuffer b = withData(1, 2, 3, 4);
        assertThat(b.pull(1)).isEqualTo(HEADROOM + 1);
        assertThat(b.getByte(b.data())).isEqualTo(2);
        assertThatThrownBy(() -> b.pull(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.pull(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        b.pull(3);
        assertThat(b.length()).isZero();
        b.release();
    }

    @Test
    void putAppendsAtTheTailUpToTheEnd() {
        PacketBuffer b = pool.allocate(10);
        assertThat(b.put(10)).isEqualTo(HEADROOM);
        assertThat(b.put(5)).isEqualTo(HEADROOM + 10);
        int room = b.tailroom();
        assertThatThrownBy(() -> b.put(room + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.put(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        b.put(room);
        assertThat(b.tail()).isEqualTo(b.capacity());
        b.release();
    }

    @Test
    void trimCutsTheDataButNeverExtendsIt() {
        PacketBuffer b = withData(1, 2, 3, 4, 5);
        b.trim(2);
        assertThat(b.length()).isEqualTo(2);
        assertThat(b.toHex()).isEqualTo("0102");
        assertThatThrownBy(() -> b.trim(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.trim(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        b.trim(0);
        assertThat(b.length()).isZero();
        b.release();
    }

    @Test
    void setDataFramesAnyWindowInsideTheCapacity() {
        PacketBuffer b = pool.allocateRaw(2048);
        b.setData(0, 2048);
        assertThat(b.length()).isEqualTo(2048);
        b.setData(100, 0);
        assertThat(b.data()).isEqualTo(100);
        assertThatThrownBy(() -> b.setData(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.setData(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.setData(1, 2048)).isInstanceOf(IndexOutOfBoundsException.class);
        b.release();
    }

    @Test
    void accessorsAreBigEndianAndBytesUnsigned() {
        PacketBuffer b = withData(0xff, 0x01, 0x02, 0x03, 0x04);
        int at = b.data();
        assertThat(b.getByte(at)).isEqualTo(0xff);
        assertThat(b.getShort(at)).isEqualTo(0xff01);
        assertThat(b.getInt(at + 1)).isEqualTo(0x01020304);
        b.setShort(at, 0xabcd);
        b.setInt(at + 1, 0xdeadbeef);
        assertThat(b.toHex()).isEqualTo("abdeadbeef");
        b.release();
    }

    @Test
    void byteBufferReadAndWriteAdvanceTheOtherSidesPosition() {
        PacketBuffer b = pool.allocate(8);
        int at = b.put(4);
        ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 4, 9});
        src.position(1);
        b.write(at, src, 4);
        assertThat(src.position()).isEqualTo(5);
        assertThat(b.toHex()).isEqualTo("01020304");

        ByteBuffer dst = ByteBuffer.allocate(6);
        dst.position(2);
        b.read(at + 1, dst, 3);
        assertThat(dst.position()).isEqualTo(5);
        assertThat(dst.array()).containsExactly(0, 0, 2, 3, 4, 0);
        b.release();
    }

    @Test
    void headerOffsetsAreAbsoluteAndResetWhenTheBufferIsReused() {
        PacketBuffer b = withData(new int[60]);
        b.setMacHeader(b.data());
        b.setNetworkHeader(b.data() + 14);
        b.setTransportHeader(b.data() + 34);
        b.setIfindex(3);
        b.cb0 = 7;
        assertThat(b.macHeader()).isEqualTo(HEADROOM);
        assertThat(b.networkHeader()).isEqualTo(HEADROOM + 14);
        assertThat(b.transportHeader()).isEqualTo(HEADROOM + 34);
        b.pull(14);
        assertThat(b.macHeader()).as("pull does not move header offsets").isEqualTo(HEADROOM);
        b.release();

        PacketBuffer again = pool.allocate(10);
        assertThat(again).as("the pool hands the same buffer back").isSameAs(b);
        assertThat(again.macHeader()).isEqualTo(-1);
        assertThat(again.networkHeader()).isEqualTo(-1);
        assertThat(again.transportHeader()).isEqualTo(-1);
        assertThat(again.ifindex()).isZero();
        assertThat(again.cb0).isZero();
        again.release();
    }

    @Test
    void copyHasTheSameDataAndOffsetsAndIsIndependent() {
        PacketBuffer b = withData(0x45, 0x00, 0x00, 0x1c);
        b.push(14);
        b.setMacHeader(b.data());
        b.setNetworkHeader(b.data() + 14);
        b.setTransportHeader(b.data() + 34);
        b.setIfindex(2);
        b.cb0 = 11;
        b.cb1 = 12;

        PacketBuffer c = b.copy();
        assertThat(c).isNotSameAs(b);
        assertThat(c.refCnt()).isEqualTo(1);
        assertThat(c.data()).isEqualTo(b.data());
        assertThat(c.toHex()).isEqualTo(b.toHex());
        assertThat(c.macHeader()).isEqualTo(b.macHeader());
        assertThat(c.networkHeader()).isEqualTo(b.networkHeader());
        assertThat(c.transportHeader()).isEqualTo(b.transportHeader());
        assertThat(c.ifindex()).isEqualTo(2);
        assertThat(c.cb0).isEqualTo(11);
        assertThat(c.cb1).isEqualTo(12);

        String original = b.toHex();
        c.setByte(c.networkHeader(), 0x46);
        assertThat(b.toHex()).isEqualTo(original);
        b.setByte(b.networkHeader() + 1, 0xff);
        assertThat(c.getByte(c.networkHeader() + 1)).isZero();
        c.pull(14);
        assertThat(b.length()).isEqualTo(18);

        b.release();
        assertThat(c.toHex()).isEqualTo("4600001c");
        c.release();
    }

    @Test
    void copyOfAPooledBufferIsPooledToo() {
        PacketBuffer b = withData(1, 2, 3);
        for (int i = 0; i < 1000; i++) b.copy().release();
        assertThat(pool.created()).as("copies recycle through the pool").isLessThanOrEqualTo(2);
        PacketBuffer c = b.copy();
        assertThat(c.capacity()).isEqualTo(pool.bufferSize());
        c.release();
        b.release();
    }

    @Test
    void copyOfAnOversizeBufferKeepsItsData() {
        PacketBuffer big = pool.allocate(60_000);
        int at = big.put(60_000);
        big.setInt(at + 59_996, 0xcafebabe);
        PacketBuffer c = big.copy();
        assertThat(c.length()).isEqualTo(60_000);
        assertThat(c.getInt(c.data() + 59_996)).isEqualTo(0xcafebabe);
        c.release();
        big.release();
    }

    @Test
    void retainAddsAReferenceAndTheLastReleaseRecycles() {
        PacketBuffer b = pool.allocate(10);
        assertThat(b.retain()).isSameAs(b);
        assertThat(b.refCnt()).isEqualTo(2);
        b.release();
        assertThat(b.refCnt()).isEqualTo(1);
        assertThat(pool.outstanding()).as("still referenced").isEqualTo(1);
        b.release();
        assertThat(b.refCnt()).isZero();
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void doubleReleaseAndRetainAfterReleaseFail() {
        PacketBuffer b = pool.allocate(10);
        b.release();
        assertThatThrownBy(b::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("double release");
        assertThatThrownBy(b::retain).isInstanceOf(IllegalStateException.class);
        assertThat(pool.outstanding()).as("a failed release does not recycle twice").isZero();
    }

    @Test
    void toHexShowsOnlyTheDataWindowInLowerCase() {
        PacketBuffer b = withData(0x00, 0x0a, 0xff, 0x7f);
        assertThat(b.toHex()).isEqualTo("000aff7f");
        b.pull(1);
        b.trim(2);
        assertThat(b.toHex()).isEqualTo("0aff");
        b.trim(0);
        assertThat(b.toHex()).isEmpty();
        b.release();
    }
}
