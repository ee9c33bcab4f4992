package io.inet4j.stack;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.socket.IpProto;

/**
 * Which shard of a {@link ShardedStack} owns a received frame: software RSS (the kernel's {@code get_rps_cpu}
 * deciding by flow, with the shard's own rule instead of a hash table). The rule depends on the 4-tuple only, so
 * it holds whatever queue the frame came in on:
 * <ul>
 *   <li>a local port inside {@code ip_local_port_range} belongs to the shard whose slice of the range it is in:
 *       each shard connects from its own slice ({@link #range}), so its connections come back to it;</li>
 *   <li>any other local port (a listener's) goes by a hash of the remote address and port, so the connections
 *       of one listener spread over the shards, each of which listens on that port.</li>
 * </ul>
 * ICMP errors go by the 4-tuple of the datagram they quote, to the shard whose flow they concern. ARP goes to
 * every shard ({@link #EVERY_SHARD}), since each keeps its own neighbour table. What has no 4-tuple to read (IP
 * fragments, echo requests, other EtherTypes) stays on the queue's own shard.
 */
final class FlowSteering {
    /** What {@link #shardOf} answers for a frame every shard must see. */
    static final int EVERY_SHARD = -1;

    private final int shards;
    private final int low;
    private final int high;
    /** Ports per slice of the range; the last slice also takes the remainder. */
    private final int slice;

    /** {@code shards} shards over the ephemeral range {@code low..high}, which must give each at least one port. */
    FlowSteering(int shards, int low, int high) {
        if (shards < 1) throw new IllegalArgumentException("shards " + shards + " < 1");
        if (high - low + 1 < shards) {
            throw new IllegalArgumentException("ip_local_port_range " + low + " " + high + " has fewer ports than " + shards + " shards");
        }
        this.shards = shards;
        this.low = low;
        this.high = high;
        this.slice = (high - low + 1) / shards;
    }

    int shards() { return shards; }

    /** The {@code ip_local_port_range} of {@code shard}: its slice, {@code {low, high}}. */
    int[] range(int shard) {
        int from = low + shard * slice;
        return new int[] {from, shard == shards - 1 ? high : from + slice - 1};
    }

    /** The shard owning a flow, from our port and the peer's address and port. */
    int shardOf(int localPort, int remoteAddr, int remotePort) {
        if (localPort >= low && localPort <= high) return Math.min((localPort - low) / slice, shards - 1);
        int h = (remoteAddr * 0x9E3779B1) ^ remotePort;
        // murmur3's finalizer: neighbouring addresses and ports land on unrelated shards.
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return (h & 0x7fffffff) % shards;
    }

    /** The shard for a received Ethernet frame, {@link #EVERY_SHARD}, or {@code arrivedOn} when it has no 4-tuple. */
    int shardOf(PacketBuffer frame, int arrivedOn) {
        int at = frame.data();
        int end = frame.tail();
        if (end - at < EthernetHeader.LENGTH) return arrivedOn;
        int type = EthernetHeader.etherType(frame, at);
        if (type == EthernetHeader.ETH_P_ARP) return EVERY_SHARD;
        if (type != EthernetHeader.ETH_P_IP) return arrivedOn;
        int ip = at + EthernetHeader.LENGTH;
        int l4 = transportHeader(frame, ip, end);
        if (l4 < 0) return arrivedOn;
        int protocol = Ipv4Header.protocol(frame, ip);
        if (protocol == IpProto.IPPROTO_TCP || protocol == IpProto.IPPROTO_UDP) {
            if (end - l4 < 4) return arrivedOn;
            return shardOf(frame.getShort(l4 + 2), Ipv4Header.saddr(frame, ip), frame.getShort(l4));
        }
        if (protocol != IpProto.IPPROTO_ICMP || end - l4 < IcmpHeader.LENGTH) return arrivedOn;
        int icmpType = IcmpHeader.type(frame, l4);
        if (icmpType != IcmpHeader.DEST_UNREACH && icmpType != IcmpHeader.TIME_EXCEEDED
                && icmpType != IcmpHeader.PARAMETER_PROB) {
            return arrivedOn;
        }
        // The quoted datagram is one we sent: its source port is ours, its destination the peer.
        int inner = l4 + IcmpHeader.LENGTH;
        int innerL4 = transportHeader(frame, inner, end);
        if (innerL4 < 0 || end - innerL4 < 4) return arrivedOn;
        int innerProtocol = Ipv4Header.protocol(frame, inner);
        if (innerProtocol != IpProto.IPPROTO_TCP && innerProtocol != IpProto.IPPROTO_UDP) return arrivedOn;
        return shardOf(frame.getShort(innerL4), Ipv4Header.daddr(frame, inner), frame.getShort(innerL4 + 2));
    }

    /** Where the transport header of the IPv4 header at {@code ip} starts, or -1 for a fragment or a short header. */
    private static int transportHeader(PacketBuffer frame, int ip, int end) {
        if (end - ip < Ipv4Header.MIN_LENGTH) return -1;
        int ihl = Ipv4Header.headerLength(frame, ip);
        if (Ipv4Header.version(frame, ip) != 4 || ihl < Ipv4Header.MIN_LENGTH || end - ip < ihl) return -1;
        // A fragment's ports may be in another one.
        if (Ipv4Header.isFragment(frame, ip)) return -1;
        return ip + ihl;
    }
}
