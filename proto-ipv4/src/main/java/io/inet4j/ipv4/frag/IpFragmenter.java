package io.inet4j.ipv4.frag;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.mib.IpMib;
import io.inet4j.mib.MibCounters;
import io.inet4j.net.Net;
import io.inet4j.socket.Errno;
import java.util.function.Consumer;

/**
 * Splits an IPv4 datagram that exceeds the link MTU into fragments ({@code ip_fragment} and the slow path of
 * {@code ip_do_fragment} in {@code net/ipv4/ip_output.c}). Loop thread only.
 *
 * <p>Each fragment is a fresh pooled buffer with the original's headroom, so the link layer can still push its
 * header in front, and with the original's device and {@code cb} words (what {@code ip_copy_metadata} carries,
 * e.g. the next hop). The first fragment keeps every option; later ones keep only those with the "copied" bit,
 * as RFC 791 section 3.2 prescribes. Linux's {@code ip_options_fragment} instead overwrites the others with NOPs
 * and keeps the header length; dropping them leaves later fragments more room for data.
 */
public final class IpFragmenter {
    private static final int IPOPT_END = 0;
    private static final int IPOPT_NOOP = 1;
    private static final int IPOPT_COPY = 0x80;

    private final PacketBufferPool pool;
    private final MibCounters<IpMib> mib;

    public IpFragmenter(Net net) {
        this.pool = net.pool();
        this.mib = net.mibs().ip;
    }

    /**
     * ip_fragment: hands {@code skb} (data at its IPv4 header) to {@code output} whole when it fits in {@code mtu},
     * else as fragments, releasing the original. Counts FragOKs per datagram fragmented and FragCreates per
     * fragment.
     *
     * @return how many buffers went to {@code output}; or, leaving {@code skb} with the caller and counting
     *     FragFails, {@code -EMSGSIZE} when DF forbids fragmenting (the caller owes an ICMP "fragmentation
     *     needed") and {@code -EINVAL} when the MTU leaves no room for 8 bytes of data after the header
     */
    public int ipFragment(PacketBuffer skb, int mtu, Consumer<PacketBuffer> output) {
        int iph = skb.data();
        if (skb.length() <= mtu) {
            output.accept(skb);
            return 1;
        }
        if (Ipv4Header.dontFragment(skb, iph)) {
            mib.inc(IpMib.FragFails);
            return Errno.EMSGSIZE.neg();
        }
        if (mtu - Ipv4Header.headerLength(skb, iph) < 8) {
            mib.inc(IpMib.FragFails);
            return Errno.EINVAL.neg();
        }
        return ipDoFragment(skb, mtu, output);
    }

    private int ipDoFragment(PacketBuffer skb, int mtu, Consumer<PacketBuffer> output) {
        int iph = skb.data();
        int hlen = Ipv4Header.headerLength(skb, iph);
        int fragOff = Ipv4Header.fragOff(skb, iph);
        // A datagram being forwarded may itself be a fragment: its pieces continue its offset and its MF.
        int offset = (fragOff & Ipv4Header.OFFSET_MASK) << 3;
        boolean notLastFrag = (fragOff & Ipv4Header.FLAG_MF) != 0;
        int ptr = iph + hlen;
        int left = skb.length() - hlen;
        int count = 0;
        while (left > 0) {
            // hlen + left bounds every fragment's size, as mtu does: later headers are never longer.
            PacketBuffer frag = pool.allocateRaw(skb.headroom() + Math.min(mtu, hlen + left));
            frag.reserve(skb.headroom());
            int at = frag.data();
            int fhlen = copyHeader(skb, iph, hlen, count == 0, frag, at);
            int len = Math.min(left, mtu - fhlen);
            if (len < left) len &= ~7;
            frag.put(fhlen + len);
            frag.copyFrom(skb, ptr, at + fhlen, len);
            ptr += len;
            left -= len;

            Ipv4Header.setFragOff(frag, at, (offset >>> 3) | (left > 0 || notLastFrag ? Ipv4Header.FLAG_MF : 0));
            Ipv4Header.setTotalLength(frag, at, fhlen + len);
            Ipv4Header.updateChecksum(frag, at);
            frag.setNetworkHeader(at);
            frag.setIfindex(skb.ifindex());
            frag.cb0 = skb.cb0;
            frag.cb1 = skb.cb1;
            offset += len;
            count++;
            mib.inc(IpMib.FragCreates);
            output.accept(frag);
        }
        skb.release();
        mib.inc(IpMib.FragOKs);
        return count;
    }

    /**
     * Writes a fragment's header at {@code at}: the whole original header for the first fragment, else the fixed
     * part plus the copied options, padded with End-of-Options to a 4-byte multiple. Returns its length. A
     * malformed option ends the copy, as it ends {@code ip_options_fragment}'s walk.
     */
    private static int copyHeader(PacketBuffer skb, int iph, int hlen, boolean first, PacketBuffer frag, int at) {
        if (first) {
            frag.copyFrom(skb, iph, at, hlen);
            return hlen;
        }
        frag.copyFrom(skb, iph, at, Ipv4Header.MIN_LENGTH);
        int len = Ipv4Header.MIN_LENGTH;
        int opt = iph + Ipv4Header.MIN_LENGTH;
        int end = iph + hlen;
        while (opt < end) {
            int type = skb.getByte(opt);
            if (type == IPOPT_END) break;
            if (type == IPOPT_NOOP) {
                opt++;
                continue;
            }
            int optlen = opt + 1 < end ? skb.getByte(opt + 1) : 0;
            if (optlen < 2 || opt + optlen > end) break;
            if ((type & IPOPT_COPY) != 0) {
                frag.copyFrom(skb, opt, at + len, optlen);
                len += optlen;
            }
            opt += optlen;
        }
        while ((len & 3) != 0) frag.setByte(at + len++, IPOPT_END);
        // Version 4 and the new IHL; Ipv4Header has no setter for this byte.
        frag.setByte(at, 0x40 | len >>> 2);
        return len;
    }
}
