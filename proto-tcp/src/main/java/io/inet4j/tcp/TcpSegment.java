package io.inet4j.tcp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;

/**
 * The fields of the segment being processed ({@code TCP_SKB_CB(skb)} plus the addresses from the IP header):
 * parsed once by {@link TcpV4Rcv}, read by every receive-path function. One instance per stack, reused for every
 * segment: receive processing never nests, because even loopback traffic comes back through a device backlog.
 */
final class TcpSegment {
    PacketBuffer skb;
    /** Offset of the TCP header in {@link #skb}; the payload follows {@link #hdrLen} bytes later. */
    int th;
    int hdrLen;
    int saddr;
    int daddr;
    int sport;
    int dport;
    int seq;
    int ack;
    int flags;
    int window;
    int payloadLen;
    int urgPtr;
    /** The IP header's TOS byte, whose low two bits are the ECN field ({@code ip_dsfield}). */
    int ipDsfield;
    /**
     * For a SYN that ends a TIME_WAIT, the ISN its new connection must use, else 0 ({@code tcp_tw_isn}); set by
     * {@link TcpTimewait#process}.
     */
    int twIsn;
    final TcpOptions.Parsed opts = new TcpOptions.Parsed();

    boolean has(int flag) { return (flags & flag) != 0; }

    /** Sequence space the segment occupies: payload plus SYN and FIN ({@code end_seq - seq}). */
    int seqLen() {
        return payloadLen + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
    }

    int endSeq() { return seq + seqLen(); }

    /** The MSS the peer's SYN announced, RFC 9293's default 536 when it carried none. */
    int peerMss() { return opts.mss() > 0 ? opts.mss() : Tcp.TCP_MSS_DEFAULT; }
}
