package io.inet4j.buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One packet in flight: the inet4j analog of the kernel's {@code struct sk_buff}.
 *
 * <p>The bytes live in a direct buffer owned by a {@link PacketBufferPool}. As in {@code sk_buff}, four indexes
 * frame the data: {@code head <= data <= tail <= end}. Headroom ({@code data - head}) lets TCP, IP and Ethernet
 * {@link #push} their headers in front of the payload without copying; {@link #pull} strips a header on the
 * way up; {@link #put} appends at the tail. Header offsets ({@link #macHeader}, {@link #networkHeader},
 * {@link #transportHeader}) are absolute indexes into the backing buffer, so wire views read fields with
 * absolute gets and no slicing.
 *
 * <p>Ownership: whoever holds the buffer either passes it on or calls {@link #release()}. Sharing (a
 * retransmit queue holding what it also transmits) takes an extra {@link #retain()}. A buffer is used by one
 * thread at a time; hand-offs between threads go through a queue that publishes it.
 */
public final class PacketBuffer {
    /** {@code ip_summed}: nothing is known of the transport checksum; the receiver verifies it. */
    public static final int CHECKSUM_NONE = 0;
    /** {@code ip_summed}: the device verified the transport checksum (or the packet never left this host). */
    public static final int CHECKSUM_UNNECESSARY = 1;
    /**
     * {@code ip_summed}: the transport checksum field at {@link #csumStart()} + {@link #csumOffset()} holds only
     * the pseudo-header sum; the device completes it over everything from {@code csumStart} on.
     */
    public static final int CHECKSUM_PARTIAL = 3;

    private final PacketBufferPool pool;
    private final ByteBuffer buf;
    private int data;
    private int tail;
    private int refCnt;

    private int macHeader = -1;
    private int networkHeader = -1;
    private int transportHeader = -1;
    /** Index of the device this packet arrived on or leaves through (skb->dev->ifindex). */
    private int ifindex;
    private int ipSummed;
    private int csumStart;
    private int csumOffset;
    /** {@code skb_shinfo(skb)->gso_size}: the MSS a super-segment is cut at, 0 for an ordinary packet. */
    private int gsoSize;
    /** Free-form per-layer scratch space, like {@code skb->cb}: e.g. the TCP sequence of this segment. */
    public long cb0;
    public long cb1;
    /*
     * Links of the one red-black tree the buffer may sit in ({@link PacketBufferRbTree}), kept in the buffer as
     * sk_buff keeps its rbnode, so a sorted queue allocates nothing per insert.
     */
    PacketBuffer rbParent;
    PacketBuffer rbLeft;
    PacketBuffer rbRight;
    boolean rbBlack;

    PacketBuffer(PacketBufferPool pool, int capacity) {
        this.pool = pool;
        this.buf = ByteBuffer.allocateDirect(capacity).order(ByteOrder.BIG_ENDIAN);
    }

    void reset(int headroom) {
        data = headroom;
        tail = headroom;
        refCnt = 1;
        macHeader = networkHeader = transportHeader = -1;
        ifindex = 0;
        ipSummed = CHECKSUM_NONE;
        csumStart = csumOffset = gsoSize = 0;
        cb0 = cb1 = 0;
        rbParent = rbLeft = rbRight = null;
        rbBlack = false;
    }

    /** The backing buffer, big-endian, for absolute access and for I/O. Its position and limit are free to use. */
    public ByteBuffer buffer() { return buf; }

    public int capacity() { return buf.capacity(); }
    public int data() { return data; }
    public int tail() { return tail; }
    public int length() { return tail - data; }
    public int headroom() { return data; }
    public int tailroom() { return buf.capacity() - tail; }

    /** skb_reserve: move an empty buffer's start forward to make room for headers. */
    public PacketBuffer reserve(int n) {
        if (tail != data) throw new IllegalStateException("reserve on a non-empty buffer");
        if (n < 0 || data + n > buf.capacity()) throw new IndexOutOfBoundsException("reserve " + n);
        data += n;
        tail += n;
        return this;
    }

    /** skb_push: claim {@code n} bytes of headroom in front of the data; returns the new data index. */
    public int push(int n) {
        if (n < 0 || n > data) throw new IndexOutOfBoundsException("push " + n + " with headroom " + data);
        data -= n;
        return data;
    }

    /** skb_pull: strip {@code n} bytes from the front; returns the new data index. */
    public int pull(int n) {
        if (n < 0 || n > length()) throw new IndexOutOfBoundsException("pull " + n + " of " + length());
        data += n;
        return data;
    }

    /** skb_put: extend the data by {@code n} bytes at the tail; returns the index where they start. */
    public int put(int n) {
        if (n < 0 || n > tailroom()) throw new IndexOutOfBoundsException("put " + n + " with tailroom " + tailroom());
        int at = tail;
        tail += n;
        return at;
    }

    /** skb_trim: cut the data to {@code len} bytes (link padding, IP total length). */
    public void trim(int len) {
        if (len < 0 || len > length()) throw new IndexOutOfBoundsException("trim " + len + " of " + length());
        tail = data + len;
    }

    /** Sets the data window directly; used by drivers that read a frame into an empty buffer. */
    public void setData(int start, int len) {
        if (start < 0 || len < 0 || start + len > buf.capacity()) throw new IndexOutOfBoundsException();
        data = start;
        tail = start + len;
    }

    public int macHeader() { return macHeader; }
    public void setMacHeader(int at) { macHeader = at; }
    public int networkHeader() { return networkHeader; }
    public void setNetworkHeader(int at) { networkHeader = at; }
    public int transportHeader() { return transportHeader; }
    public void setTransportHeader(int at) { transportHeader = at; }
    public int ifindex() { return ifindex; }
    public void setIfindex(int ifindex) { this.ifindex = ifindex; }

    /** {@link #CHECKSUM_NONE}, {@link #CHECKSUM_UNNECESSARY} or {@link #CHECKSUM_PARTIAL}. */
    public int ipSummed() { return ipSummed; }
    /** True when the receiver need not verify the transport checksum ({@code skb_csum_unnecessary}). */
    public boolean csumUnnecessary() { return ipSummed != CHECKSUM_NONE; }
    /** The device has verified the transport checksum. */
    public void setCsumUnnecessary() { ipSummed = CHECKSUM_UNNECESSARY; }
    /** Where the checksummed region starts (an absolute index), for {@link #CHECKSUM_PARTIAL}. */
    public int csumStart() { return csumStart; }
    /** Where in that region the checksum field is, for {@link #CHECKSUM_PARTIAL}. */
    public int csumOffset() { return csumOffset; }

    /** skb_partial_csum_set: the checksum at {@code start + offset} covers {@code start} to the tail and is unfinished. */
    public void setCsumPartial(int start, int offset) {
        ipSummed = CHECKSUM_PARTIAL;
        csumStart = start;
        csumOffset = offset;
    }

    /** The checksum was completed in software: nothing is left for the device. */
    public void setCsumNone() { ipSummed = CHECKSUM_NONE; }

    /** The MSS of a GSO super-segment, or 0 ({@code skb_shinfo(skb)->gso_size}). */
    public int gsoSize() { return gsoSize; }
    public void setGsoSize(int gsoSize) { this.gsoSize = gsoSize; }

    public int getByte(int at) { return buf.get(at) & 0xff; }
    public int getShort(int at) { return buf.getShort(at) & 0xffff; }
    public int getInt(int at) { return buf.getInt(at); }
    public void setByte(int at, int v) { buf.put(at, (byte) v); }
    public void setShort(int at, int v) { buf.putShort(at, (short) v); }
    public void setInt(int at, int v) { buf.putInt(at, v); }

    /** Copies {@code len} bytes from {@code src} (its position onward) to absolute index {@code at}. */
    public void write(int at, ByteBuffer src, int len) {
        buf.put(at, src, src.position(), len);
        src.position(src.position() + len);
    }

    /** Copies {@code len} bytes starting at absolute index {@code at} into {@code dst} at its position. */
    public void read(int at, ByteBuffer dst, int len) {
        dst.put(dst.position(), buf, at, len);
        dst.position(dst.position() + len);
    }

    public void write(int at, byte[] src, int off, int len) { buf.put(at, src, off, len); }
    public void read(int at, byte[] dst, int off, int len) { buf.get(at, dst, off, len); }

    /** Copies {@code len} bytes from another buffer's absolute index into this one's. */
    public void copyFrom(PacketBuffer src, int srcAt, int at, int len) { buf.put(at, src.buf, srcAt, len); }

    /** A private copy of this packet, data and header offsets included (skb_copy). */
    public PacketBuffer copy() {
        // Same capacity, no headroom added: a pooled buffer's copy comes from the pool, and the data and header
        // offsets stay valid at the same absolute indexes.
        PacketBuffer c = pool.allocateRaw(buf.capacity());
        c.buf.put(data, buf, data, length());
        c.setData(data, length());
        c.macHeader = macHeader;
        c.networkHeader = networkHeader;
        c.transportHeader = transportHeader;
        c.ifindex = ifindex;
        c.ipSummed = ipSummed;
        c.csumStart = csumStart;
        c.csumOffset = csumOffset;
        c.gsoSize = gsoSize;
        c.cb0 = cb0;
        c.cb1 = cb1;
        return c;
    }

    public PacketBuffer retain() {
        if (refCnt <= 0) throw new IllegalStateException("retain of a released buffer");
        refCnt++;
        return this;
    }

    public int refCnt() { return refCnt; }

    /** Drops one reference; the last one returns the buffer to its pool. */
    public void release() {
        if (refCnt <= 0) throw new IllegalStateException("double release");
        if (--refCnt == 0) pool.recycle(this);
    }

    /** The data as hex, for traces and test failure messages. */
    public String toHex() {
        StringBuilder sb = new StringBuilder(length() * 2);
        for (int i = data; i < tail; i++) sb.append(String.format("%02x", buf.get(i)));
        return sb.toString();
    }
}
