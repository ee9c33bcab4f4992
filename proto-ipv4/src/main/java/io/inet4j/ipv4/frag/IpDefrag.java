package io.inet4j.ipv4.frag;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.Timer;
import io.inet4j.mib.IpMib;
import io.inet4j.mib.MibCounters;
import io.inet4j.net.Net;
import java.util.Arrays;

/**
 * IPv4 reassembly ({@code net/ipv4/ip_fragment.c} with {@code net/ipv4/inet_fragment.c}): fragments queue per
 * (source, destination, id, protocol) until the datagram is whole, for at most {@code net.ipv4.ipfrag_time}
 * seconds. Loop thread only.
 *
 * <p>Memory: the capacity of every buffer held counts against {@code net.ipv4.ipfrag_high_thresh}. A fragment
 * that would cross it first evicts the least recently active queues until it fits under
 * {@code ipfrag_low_thresh} (each counts ReasmFails), and is dropped (ReasmFails) if it still does not fit
 * under the high one. That is the evictor Linux ran before its 2018 rework onto rhashtables; since then it
 * drops new fragments without evicting, which lets a flood of incomplete datagrams lock out good ones until
 * they time out.
 *
 * <p>Not implemented: {@code ipfrag_max_dist} (reinitialising a queue whose source sent too many other
 * datagrams meanwhile), ECN codepoint merging ({@code ip_frag_ecn_table}), and the DF bit Linux restores on the
 * reassembled header for path MTU discovery when forwarding.
 */
public final class IpDefrag {
    /** Told that a queue timed out with its first fragment (so ICMP can send time exceeded, code 1). */
    public interface TimeExceeded {
        /** {@code firstFragment} has its data at the IPv4 header and is only lent for the call. */
        void fragmentTimeout(PacketBuffer firstFragment);
    }

    private static final int HASH_BITS = 10;
    private static final int MAX_DATAGRAM = 65535;

    private final EventLoop loop;
    private final PacketBufferPool pool;
    private final MibCounters<IpMib> mib;
    private final FragSysctls sysctls;
    private final TimeExceeded timeExceeded;
    private final int hashRnd;
    private final Ipq[] hash = new Ipq[1 << HASH_BITS];
    /** Queues from least to most recently active: eviction takes from the head. */
    private Ipq lruHead;
    private Ipq lruTail;
    private long mem;
    private int queues;

    public IpDefrag(Net net, FragSysctls sysctls, TimeExceeded timeExceeded) {
        this.loop = net.loop();
        this.pool = net.pool();
        this.mib = net.mibs().ip;
        this.sysctls = sysctls;
        this.timeExceeded = timeExceeded;
        this.hashRnd = net.random().nextInt();
    }

    /** Bytes of buffers held ({@code frag_mem_limit}). */
    public long memory() { return mem; }

    /** Datagrams being reassembled. */
    public int queues() { return queues; }

    /**
     * ip_defrag: takes ownership of {@code skb}, data at its IPv4 header and trimmed to its total length as
     * {@code ip_rcv} leaves it. A datagram that is no fragment comes straight back. Otherwise returns null while
     * the datagram is incomplete or when the fragment was dropped, else a new buffer with the whole datagram:
     * data and network header at the IPv4 header, total length set, MF and offset cleared, checksum recomputed.
     */
    public PacketBuffer ipDefrag(PacketBuffer skb) {
        int iph = skb.data();
        if (!Ipv4Header.isFragment(skb, iph)) return skb;
        mib.inc(IpMib.ReasmReqds);
        long truesize = skb.capacity();
        if (mem + truesize > sysctls.ipfragHighThresh.get()) ipEvictor(sysctls.ipfragLowThresh.get() - truesize);
        if (mem + truesize > sysctls.ipfragHighThresh.get()) {
            mib.inc(IpMib.ReasmFails);
            skb.release();
            return null;
        }
        Ipq q = ipFind(Ipv4Header.saddr(skb, iph), Ipv4Header.daddr(skb, iph), Ipv4Header.id(skb, iph),
                Ipv4Header.protocol(skb, iph));
        return ipFragQueue(q, skb);
    }

    /** Drops every queue without counting, as when a stack goes away ({@code fqdir_exit}). */
    public void flush() {
        while (lruHead != null) ipqKill(lruHead);
    }

    private PacketBuffer ipFragQueue(Ipq q, PacketBuffer skb) {
        int iph = skb.data();
        int fragOff = Ipv4Header.fragOff(skb, iph);
        int offset = (fragOff & Ipv4Header.OFFSET_MASK) << 3;
        int ihl = Ipv4Header.headerLength(skb, iph);
        int end = offset + skb.length() - ihl;

        if ((fragOff & Ipv4Header.FLAG_MF) == 0) {
            // A last fragment must not cut off data already seen, nor disagree with an earlier last fragment.
            if (end < q.len || (q.lastIn && end != q.len)) return discard(q, skb);
            q.lastIn = true;
            q.len = end;
        } else {
            // RFC 791 puts every fragment but the last on an 8-byte boundary. Like Linux, trim a stray tail
            // instead of dropping the fragment; the bytes cut belong to the next fragment's range anyway.
            end &= ~7;
            if (end > q.len) {
                if (q.lastIn) return discard(q, skb);
                q.len = end;
            }
        }
        if (end <= offset) return discard(q, skb);
        skb.trim(ihl + end - offset);

        switch (q.insert(skb, offset, end)) {
            case DUP:
                skb.release();
                return null;
            case OVERLAP:
                return discard(q, skb);
            default:
                break;
        }
        q.iif = skb.ifindex();
        q.meat += end - offset;
        q.truesize += skb.capacity();
        mem += skb.capacity();
        if (offset == 0) q.firstIn = true;
        lruMoveTail(q);

        if (q.firstIn && q.lastIn && q.meat == q.len) return ipFragReasm(q);
        return null;
    }

    /** The queue is beyond repair (Linux's {@code discard_qp}): drop it with the fragment that gave it away. */
    private PacketBuffer discard(Ipq q, PacketBuffer skb) {
        ipqKill(q);
        mib.inc(IpMib.ReasmFails);
        skb.release();
        return null;
    }

    private PacketBuffer ipFragReasm(Ipq q) {
        PacketBuffer head = q.frags[0];
        int hlen = Ipv4Header.headerLength(head, head.data());
        int total = hlen + q.len;
        if (total > MAX_DATAGRAM) {
            // "Oversized IP packet": offsets let a sender describe more than an IPv4 length field can hold.
            ipqKill(q);
            mib.inc(IpMib.ReasmFails);
            return null;
        }
        PacketBuffer skb = pool.allocate(total);
        int at = skb.put(total);
        skb.copyFrom(head, head.data(), at, hlen);
        for (int i = 0; i < q.count; i++) {
            PacketBuffer f = q.frags[i];
            int payload = f.data() + Ipv4Header.headerLength(f, f.data());
            skb.copyFrom(f, payload, at + hlen + fragStart(f), fragEnd(f) - fragStart(f));
        }
        Ipv4Header.setTotalLength(skb, at, total);
        Ipv4Header.setFragOff(skb, at, 0);
        Ipv4Header.updateChecksum(skb, at);
        skb.setNetworkHeader(at);
        skb.setIfindex(q.iif);
        ipqKill(q);
        mib.inc(IpMib.ReasmOKs);
        return skb;
    }

    /**
     * ip_expire: the datagram took too long. Only a queue holding the first fragment can be reported: the ICMP
     * error must quote the header and the first 8 data bytes (RFC 792).
     */
    private void ipExpire(Ipq q) {
        mib.inc(IpMib.ReasmFails);
        mib.inc(IpMib.ReasmTimeout);
        PacketBuffer first = q.firstIn ? q.frags[0].retain() : null;
        ipqKill(q);
        if (first == null) return;
        try {
            timeExceeded.fragmentTimeout(first);
        } finally {
            first.release();
        }
    }

    /** Frees the least recently active queues until at most {@code target} bytes are held. */
    private void ipEvictor(long target) {
        while (mem > target && lruHead != null) {
            ipqKill(lruHead);
            mib.inc(IpMib.ReasmFails);
        }
    }

    private Ipq ipFind(int saddr, int daddr, int id, int protocol) {
        int bucket = ipqHashfn(saddr, daddr, id, protocol);
        for (Ipq q = hash[bucket]; q != null; q = q.hashNext) {
            if (q.saddr == saddr && q.daddr == daddr && q.id == id && q.protocol == protocol) return q;
        }
        Ipq q = new Ipq(saddr, daddr, id, protocol, bucket);
        q.hashNext = hash[bucket];
        hash[bucket] = q;
        lruMoveTail(q);
        queues++;
        loop.schedule(q.timer, sysctls.ipfragTime.get() * 1_000_000_000L);
        return q;
    }

    /** inet_frag_kill plus the frees: unhash, stop the timer, release the fragments. */
    private void ipqKill(Ipq q) {
        loop.cancel(q.timer);
        if (hash[q.bucket] == q) hash[q.bucket] = q.hashNext;
        else {
            Ipq p = hash[q.bucket];
            while (p.hashNext != q) p = p.hashNext;
            p.hashNext = q.hashNext;
        }
        lruUnlink(q);
        for (int i = 0; i < q.count; i++) q.frags[i].release();
        mem -= q.truesize;
        queues--;
    }

    private void lruUnlink(Ipq q) {
        if (q.lruPrev != null) q.lruPrev.lruNext = q.lruNext;
        else if (lruHead == q) lruHead = q.lruNext;
        if (q.lruNext != null) q.lruNext.lruPrev = q.lruPrev;
        else if (lruTail == q) lruTail = q.lruPrev;
        q.lruPrev = q.lruNext = null;
    }

    private void lruMoveTail(Ipq q) {
        if (lruTail == q) return;
        lruUnlink(q);
        q.lruPrev = lruTail;
        if (lruTail != null) lruTail.lruNext = q;
        else lruHead = q;
        lruTail = q;
    }

    /**
     * Murmur3 rounds keyed by a per-stack secret (Linux keys jhash with {@code ip4_frags.rnd}), so a sender who
     * picks ids and addresses cannot pile its queues into one chain.
     */
    private int ipqHashfn(int saddr, int daddr, int id, int protocol) {
        int h = mixIn(mixIn(mixIn(hashRnd, saddr), daddr), id << 16 | protocol);
        h ^= h >>> 16;
        h *= 0x85eb_ca6b;
        h ^= h >>> 13;
        return h & ((1 << HASH_BITS) - 1);
    }

    private static int mixIn(int h, int k) {
        k *= 0xcc9e_2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b87_3593;
        h ^= k;
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe654_6b64;
    }

    // A queued fragment's byte range within the datagram lives in its cb words, as in the kernel's FRAG_CB(skb).
    private static int fragStart(PacketBuffer f) { return (int) f.cb0; }

    private static int fragEnd(PacketBuffer f) { return (int) f.cb1; }

    private enum Insert { OK, DUP, OVERLAP }

    /** One datagram being reassembled ({@code struct ipq}). */
    private final class Ipq {
        final int saddr;
        final int daddr;
        final int id;
        final int protocol;
        final int bucket;
        final Timer timer = new Timer(() -> ipExpire(this));
        Ipq hashNext;
        Ipq lruPrev;
        Ipq lruNext;
        /** Fragments sorted by offset, never overlapping. */
        PacketBuffer[] frags = new PacketBuffer[4];
        int count;
        /** The datagram's data length once the last fragment came, else the furthest end seen. */
        int len;
        /** Data bytes held. */
        int meat;
        long truesize;
        int iif;
        boolean firstIn;
        boolean lastIn;

        Ipq(int saddr, int daddr, int id, int protocol, int bucket) {
            this.saddr = saddr;
            this.daddr = daddr;
            this.id = id;
            this.protocol = protocol;
            this.bucket = bucket;
        }

        /**
         * Inserts {@code skb} covering [offset, end) unless it overlaps what is held. RFC 5722 (IPv6, and Linux
         * applies it to IPv4 since 4.19) has a datagram with overlapping fragments discarded whole: overlaps are
         * how crafted fragments slip data past filters that inspect only one reading of the datagram. A
         * fragment whose bytes were all received already, in one contiguous stretch, is a duplicate (the network
         * repeated it), and only the copy is dropped, as Linux does for a fragment inside a received run.
         */
        Insert insert(PacketBuffer skb, int offset, int end) {
            int lo = 0;
            int hi = count;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (fragEnd(frags[mid]) <= offset) lo = mid + 1;
                else hi = mid;
            }
            if (lo < count && fragStart(frags[lo]) < end) {
                if (fragStart(frags[lo]) > offset) return Insert.OVERLAP;
                int reach = fragEnd(frags[lo]);
                for (int i = lo + 1; i < count && reach < end && fragStart(frags[i]) == reach; i++) {
                    reach = fragEnd(frags[i]);
                }
                return reach >= end ? Insert.DUP : Insert.OVERLAP;
            }
            if (count == frags.length) frags = Arrays.copyOf(frags, count * 2);
            System.arraycopy(frags, lo, frags, lo + 1, count - lo);
            frags[lo] = skb;
            count++;
            skb.cb0 = offset;
            skb.cb1 = end;
            return Insert.OK;
        }
    }
}
