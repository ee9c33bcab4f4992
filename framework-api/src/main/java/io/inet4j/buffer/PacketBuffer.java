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
 * <p>Fragments ({@code skb_shinfo(skb)->frags}): besides its linear part ({@link #headLength()}, the headers), a
 * packet may reference up to {@link #MAX_FRAGS} byte ranges of other buffers ({@link #addFrag}), each holding a
 * {@link #retain()} on its buffer that the packet drops when it is released. As in Linux, {@link #length()} is
 * the whole packet ({@code skb->len}) and {@link #dataLength()} its fragments' share ({@code skb->data_len}); absolute
 * indexes reach only the linear part, so code that reads the payload of a packet that may carry fragments uses
 * {@link #copyBits} or {@link #linearize()} first. The fragment arrays live in the pooled buffer and are reused.
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
    /**
     * {@code MAX_SKB_FRAGS}: the fragments one packet may reference, enough for a 64 KiB super-segment of 1024-byte
     * segments (TCP's runs are at most 64 segments).
     */
    public static final int MAX_FRAGS = 64;

    private final PacketBufferPool pool;
    /* Not final: linearize() may trade it for a larger one, as pskb_expand_head reallocates skb->head. */
    private ByteBuffer buf;
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
    /*
     * skb_shinfo's frags: a table the pool lends with the first addFrag and takes back with the last fragment, so
     * only packets that reference others carry one. The three arrays are the table's, cached here.
     */
    private Frags shinfo;
    private PacketBuffer[] frags;
    private int[] fragAt;
    private int[] fragLen;
    private int nrFrags;
    /** {@code skb->data_len}: the bytes in fragments. */
    private int dataLen;
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
        nrFrags = dataLen = 0;
        cb0 = cb1 = 0;
        rbParent = rbLeft = rbRight = null;
        rbBlack = false;
    }

    /** The backing buffer, big-endian, for absolute access and for I/O. Its position and limit are free to use. */
    public ByteBuffer buffer() { return buf; }

    public int capacity() { return buf.capacity(); }
    public int data() { return data; }
    public int tail() { return tail; }
    /** {@code skb->len}: the whole packet, linear part and fragments. */
    public int length() { return tail - data + dataLen; }
    /** {@code skb_headlen}: the linear part, {@code data} to {@code tail}. */
    public int headLength() { return tail - data; }
    /** {@code skb->data_len}: the bytes in fragments. */
    public int dataLength() { return dataLen; }
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
        if (n < 0 || n > headLength()) throw new IndexOutOfBoundsException("pull " + n + " of " + headLength());
        data += n;
        return data;
    }

    /** skb_put: extend the data by {@code n} bytes at the tail; returns the index where they start. */
    public int put(int n) {
        if (nrFrags != 0) throw new IllegalStateException("put on a packet with fragments");
        if (n < 0 || n > tailroom()) throw new IndexOutOfBoundsException("put " + n + " with tailroom " + tailroom());
        int at = tail;
        tail += n;
        return at;
    }

    /** skb_trim (pskb_trim with fragments): cut the data to {@code len} bytes (link padding, IP total length). */
    public void trim(int len) {
        if (len < 0 || len > length()) throw new IndexOutOfBoundsException("trim " + len + " of " + length());
        int head = headLength();
        if (len <= head) {
            tail = data + len;
            releaseFrags(0);
            return;
        }
        // What is left beyond the linear part stays in the first fragments; the rest are let go.
        int keep = len - head;
        int n = 0;
        while (keep > 0) {
            if (fragLen[n] > keep) {
                dataLen -= fragLen[n] - keep;
                fragLen[n] = keep;
            }
            keep -= fragLen[n++];
        }
        releaseFrags(n);
    }

    /**
     * skb_fill_page_desc with get_page: the packet goes on with {@code len} bytes of {@code src} from its absolute
     * index {@code at}, which it references (a {@link #retain()} on {@code src}, dropped when the packet is
     * released) instead of copying. {@code src} must not change those bytes while the packet lives.
     */
    public void addFrag(PacketBuffer src, int at, int len) {
        if (nrFrags == MAX_FRAGS) throw new IllegalStateException("more than " + MAX_FRAGS + " fragments");
        if (at < 0 || len < 0 || at + len > src.capacity()) throw new IndexOutOfBoundsException("frag " + at + "+" + len);
        if (shinfo == null) {
            shinfo = pool.takeFrags();
            frags = shinfo.buf;
            fragAt = shinfo.at;
            fragLen = shinfo.len;
        }
        frags[nrFrags] = src.retain();
        fragAt[nrFrags] = at;
        fragLen[nrFrags] = len;
        nrFrags++;
        dataLen += len;
    }

    /** The fragment table this packet holds, if any: lent while it has fragments (for tests). */
    Frags fragTable() { return shinfo; }

    /** {@code skb_shinfo(skb)->nr_frags}. */
    public int nrFrags() { return nrFrags; }
    /** The buffer fragment {@code i} references. */
    public PacketBuffer fragBuffer(int i) { return frags[checkFrag(i)]; }
    /** Where fragment {@code i} starts: an absolute index into {@link #fragBuffer}'s backing buffer. */
    public int fragOffset(int i) { return fragAt[checkFrag(i)]; }
    /** Fragment {@code i}'s length. */
    public int fragLength(int i) { return fragLen[checkFrag(i)]; }

    private int checkFrag(int i) {
        if (i < 0 || i >= nrFrags) throw new IndexOutOfBoundsException("frag " + i + " of " + nrFrags);
        return i;
    }

    /** Lets go of the fragments from {@code from} on, and of the table with the last of them. */
    private void releaseFrags(int from) {
        for (int i = from; i < nrFrags; i++) {
            dataLen -= fragLen[i];
            frags[i].release();
            frags[i] = null;
        }
        nrFrags = Math.min(nrFrags, from);
        if (nrFrags == 0 && shinfo != null) {
            pool.recycleFrags(shinfo);
            shinfo = null;
            frags = null;
            fragAt = fragLen = null;
        }
    }

    /** A fragment table ({@code skb_shared_info}'s frags), lent by the pool to packets that have fragments. */
    static final class Frags {
        final PacketBuffer[] buf = new PacketBuffer[MAX_FRAGS];
        final int[] at = new int[MAX_FRAGS];
        final int[] len = new int[MAX_FRAGS];
    }

    /**
     * skb_linearize: the fragments' bytes move into the linear part, behind the tail, and the fragments are let
     * go. When the tailroom is too small the packet first trades its backing buffer for a pooled one large enough
     * ({@code pskb_expand_head}), keeping every absolute index (data, tail, header offsets) where it was.
     */
    public void linearize() {
        if (nrFrags == 0) return;
        if (tailroom() < dataLen) {
            PacketBuffer big = pool.allocateRaw(tail + dataLen);
            big.buf.put(data, buf, data, tail - data);
            ByteBuffer mine = buf;
            buf = big.buf;
            big.buf = mine;
            big.release();
        }
        int at = tail;
        for (int i = 0; i < nrFrags; i++) {
            buf.put(at, frags[i].buf, fragAt[i], fragLen[i]);
            at += fragLen[i];
        }
        tail = at;
        releaseFrags(0);
    }

    /**
     * skb_copy_bits: copies {@code len} bytes from {@code offset} bytes past the data start, through the linear part
     * and on into the fragments, to {@code dst}'s absolute index {@code at}.
     */
    public void copyBits(int offset, PacketBuffer dst, int at, int len) {
        copyBits(offset, dst.buf, at, len);
    }

    /** As {@link #copyBits(int, PacketBuffer, int, int)}, to {@code dst}'s absolute index {@code at}. */
    public void copyBits(int offset, ByteBuffer dst, int at, int len) {
        if (offset < 0 || len < 0 || offset + len > length()) {
            throw new IndexOutOfBoundsException("copy " + offset + "+" + len + " of " + length());
        }
        int head = headLength();
        if (offset < head) {
            int n = Math.min(len, head - offset);
            dst.put(at, buf, data + offset, n);
            at += n;
            len -= n;
            offset = 0;
        } else {
            offset -= head;
        }
        for (int i = 0; i < nrFrags && len > 0; i++) {
            if (offset >= fragLen[i]) {
                offset -= fragLen[i];
                continue;
            }
            int n = Math.min(len, fragLen[i] - offset);
            dst.put(at, frags[i].buf, fragAt[i] + offset, n);
            at += n;
            len -= n;
            offset = 0;
        }
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
        // Same capacity (more with fragments, which the copy takes in line), no headroom added: a pooled buffer's
        // copy comes from the pool, and the data and header offsets stay valid at the same absolute indexes.
        PacketBuffer c = pool.allocateRaw(Math.max(buf.capacity(), tail + dataLen));
        copyBits(0, c, data, length());
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

    /** Drops one reference; the last one lets go of the fragments and returns the buffer to its pool. */
    public void release() {
        if (refCnt <= 0) throw new IllegalStateException("double release");
        if (--refCnt == 0) {
            if (nrFrags != 0) releaseFrags(0);
            pool.recycle(this);
        }
    }

    /** The data, fragments included, as hex, for traces and test failure messages. */
    public String toHex() {
        byte[] all = new byte[length()];
        copyBits(0, ByteBuffer.wrap(all), 0, all.length);
        StringBuilder sb = new StringBuilder(all.length * 2);
        for (byte b : all) sb.append(String.format("%02x", b));
        return sb.toString();
    }
}
