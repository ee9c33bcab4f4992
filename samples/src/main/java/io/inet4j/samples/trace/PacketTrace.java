package io.inet4j.samples.trace;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.wire.ArpHeader;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.loop.Clock;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.NetDevice;
import io.inet4j.netdev.PacketTap;
import io.inet4j.socket.IpProto;
import java.io.PrintStream;
import java.util.function.Predicate;

/**
 * A {@link PacketTap} that prints one tcpdump-style line per frame ({@code 10.0.0.1 > 10.0.0.2: ICMP echo
 * request, id 1, seq 1, length 64}). Decoding checks every length first: a trace must never fail on a frame the
 * stack itself would drop.
 */
public final class PacketTrace implements PacketTap {
    /** Decodes the payload of one IP protocol for the trace line ({@link TcpDecoder} for TCP). */
    public interface TransportDecoder {
        /**
         * The line for the {@code len}-byte segment at {@code at} from {@code saddr} to {@code daddr}, addresses
         * included: a transport with ports puts them there, as tcpdump does ({@code 10.0.0.1.40000 > 10.0.0.2.80: ...}).
         */
        String describe(PacketBuffer b, int at, int len, int saddr, int daddr);
    }

    private final PrintStream out;
    private final Clock clock;
    private final long start;
    private final TransportDecoder tcp;
    private final Predicate<String> filter;

    public PacketTrace(PrintStream out, Clock clock, TransportDecoder tcp, Predicate<String> filter) {
        this.out = out;
        this.clock = clock;
        this.start = clock.nanoTime();
        this.tcp = tcp;
        this.filter = filter;
    }

    @Override
    public void frame(NetDevice dev, PacketBuffer frame, boolean outgoing) {
        String line = describe(frame);
        if (!filter.test(line)) return;
        long us = (clock.nanoTime() - start) / 1000;
        out.printf("%3d.%06d %-6s %s %s%n", us / 1_000_000, us % 1_000_000, dev.name(), outgoing ? "Out" : "In ", line);
    }

    /** One line for the Ethernet frame at {@code b.data()}. */
    public String describe(PacketBuffer b) {
        int at = b.data();
        int len = b.length();
        if (len < EthernetHeader.LENGTH) return "truncated frame, length " + len;
        int type = EthernetHeader.etherType(b, at);
        int p = at + EthernetHeader.LENGTH;
        int rest = len - EthernetHeader.LENGTH;
        return switch (type) {
            case EthernetHeader.ETH_P_ARP -> arp(b, p, rest);
            case EthernetHeader.ETH_P_IP -> ip(b, p, rest);
            default -> String.format("ethertype 0x%04x, length %d", type, len);
        };
    }

    private static String arp(PacketBuffer b, int at, int len) {
        if (len < ArpHeader.LENGTH) return "ARP, truncated";
        return switch (ArpHeader.oper(b, at)) {
            case ArpHeader.OP_REQUEST -> "ARP, Request who-has " + addr(ArpHeader.targetIp(b, at)) + " tell "
                    + addr(ArpHeader.senderIp(b, at)) + ", length " + len;
            case ArpHeader.OP_REPLY -> "ARP, Reply " + addr(ArpHeader.senderIp(b, at)) + " is-at "
                    + new io.inet4j.netdev.MacAddress(ArpHeader.senderMac(b, at)) + ", length " + len;
            default -> "ARP, unknown operation " + ArpHeader.oper(b, at);
        };
    }

    private String ip(PacketBuffer b, int at, int len) {
        if (len < Ipv4Header.MIN_LENGTH) return "IP, truncated";
        int ihl = Ipv4Header.headerLength(b, at);
        int tot = Ipv4Header.totalLength(b, at);
        if (ihl < Ipv4Header.MIN_LENGTH || ihl > len || tot > len || tot < ihl) return "IP, bad header";
        int saddr = Ipv4Header.saddr(b, at);
        int daddr = Ipv4Header.daddr(b, at);
        String hosts = addr(saddr) + " > " + addr(daddr) + ": ";
        int proto = Ipv4Header.protocol(b, at);
        int frag = Ipv4Header.fragOffsetBytes(b, at);
        String fragInfo = Ipv4Header.isFragment(b, at)
                ? " (frag " + Ipv4Header.id(b, at) + ":" + (tot - ihl) + "@" + frag + (Ipv4Header.moreFragments(b, at) ? "+" : "") + ")"
                : "";
        if (frag != 0) return hosts + "ip-proto-" + proto + fragInfo;
        int t = at + ihl;
        int tlen = tot - ihl;
        String line = switch (proto) {
            case IpProto.IPPROTO_ICMP -> hosts + icmp(b, t, tlen);
            case IpProto.IPPROTO_TCP -> tcp != null ? tcp.describe(b, t, tlen, saddr, daddr) : hosts + "TCP, length " + tlen;
            default -> hosts + "ip-proto-" + proto + " " + tlen;
        };
        return line + fragInfo;
    }

    private static String icmp(PacketBuffer b, int at, int len) {
        if (len < IcmpHeader.LENGTH) return "ICMP, truncated";
        int type = IcmpHeader.type(b, at);
        String what = switch (type) {
            case IcmpHeader.ECHO -> "echo request, id " + IcmpHeader.id(b, at) + ", seq " + IcmpHeader.sequence(b, at);
            case IcmpHeader.ECHO_REPLY -> "echo reply, id " + IcmpHeader.id(b, at) + ", seq " + IcmpHeader.sequence(b, at);
            case IcmpHeader.DEST_UNREACH -> "destination unreachable, code " + IcmpHeader.code(b, at);
            case IcmpHeader.TIME_EXCEEDED -> "time exceeded, code " + IcmpHeader.code(b, at);
            default -> "type " + type;
        };
        return "ICMP " + what + ", length " + len;
    }

    static String addr(int a) { return io.inet4j.socket.SockAddrIn.formatAddress(a); }

    @Override
    public void close() { out.flush(); }
}
