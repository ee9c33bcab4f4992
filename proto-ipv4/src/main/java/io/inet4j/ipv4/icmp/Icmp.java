package io.inet4j.ipv4.icmp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.mib.IcmpMib;
import io.inet4j.mib.MibCounters;
import io.inet4j.net.Net;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The sending side of ICMP ({@code icmp_send} and {@code icmp_reply} in {@code net/ipv4/icmp.c}): error
 * messages about datagrams we could not deliver, with RFC 1122's rules on when not to send one and Linux's
 * two rate limits (a global token bucket and one per destination host).
 */
@Singleton
public final class Icmp {
    /** RFC 1812: an ICMP error should fit in 576 bytes. */
    private static final int MAX_ERROR_LENGTH = 576;
    private static final int IPTOS_PREC_INTERNETCONTROL = 0xc0;
    private static final int PEERS_MAX = 4096;

    private final Net net;
    private final Ipv4 ipv4;
    private final DevInet devinet;
    private final IcmpSysctls sysctls;
    private final MibCounters<IcmpMib> mib;
    private long globalCredit;
    private long globalStamp;
    /** Per-destination token buckets ({@code inet_peer} rate_tokens): destination -> {tokens, last}. */
    private final Map<Integer, long[]> peers = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, long[]> e) { return size() > PEERS_MAX; }
    };

    @Inject
    public Icmp(Net net, Ipv4 ipv4, DevInet devinet, IcmpSysctls sysctls) {
        this.net = net;
        this.ipv4 = ipv4;
        this.devinet = devinet;
        this.sysctls = sysctls;
        this.mib = net.mibs().icmp;
    }

    public IcmpSysctls sysctls() { return sysctls; }

    /**
     * icmp_send: reports a problem with the datagram whose IPv4 header is at {@code skbIn.networkHeader()}.
     * Does not take ownership. Silently does nothing where RFC 1122 forbids an error: about an ICMP error, a
     * non-first fragment, a broadcast or multicast, or a source that names no single host.
     */
    public void send(PacketBuffer skbIn, int type, int code, int info) {
        int at = skbIn.networkHeader();
        if (at < 0 || skbIn.tail() - at < Ipv4Header.MIN_LENGTH) return;
        int ihl = Ipv4Header.headerLength(skbIn, at);
        int saddr = Ipv4Header.saddr(skbIn, at);
        int daddr = Ipv4Header.daddr(skbIn, at);
        if (saddr == 0 || Ipv4.isMulticast(saddr) || saddr == -1) return;
        if (Ipv4.isMulticast(daddr) || devinet.isBroadcast(0, daddr)) return;
        if (Ipv4Header.fragOffsetBytes(skbIn, at) != 0) return;
        if (Ipv4Header.protocol(skbIn, at) == IpProto.IPPROTO_ICMP) {
            // Never an error about an error; unknown types count as errors too (RFC 1122 3.2.2).
            if (skbIn.tail() - at < ihl + 1) return;
            int innerType = skbIn.getByte(at + ihl);
            if (innerType >= IcmpHeader.NR_ICMP_TYPES || IcmpHeader.isError(innerType)) return;
        }
        if (!rateAllow(type, saddr)) {
            mib.inc(IcmpMib.OutRateLimitHost);
            return;
        }
        int quoted = Math.min(skbIn.tail() - at, Math.min(Ipv4Header.totalLength(skbIn, at),
                MAX_ERROR_LENGTH - Ipv4Header.MIN_LENGTH - IcmpHeader.LENGTH));
        PacketBuffer b = net.pool().allocate(IcmpHeader.LENGTH + quoted);
        int icmpAt = b.put(IcmpHeader.LENGTH + quoted);
        IcmpHeader.setType(b, icmpAt, type);
        IcmpHeader.setCode(b, icmpAt, code);
        IcmpHeader.setRest(b, icmpAt, info);
        b.copyFrom(skbIn, at, icmpAt + IcmpHeader.LENGTH, quoted);
        IcmpHeader.updateChecksum(b, icmpAt, IcmpHeader.LENGTH + quoted);
        int src = devinet.isLocal(daddr) ? daddr : 0;
        int tos = (Ipv4Header.tos(skbIn, at) & 0x1e) | IPTOS_PREC_INTERNETCONTROL;
        transmit(b, src, saddr, type, tos);
    }

    /**
     * icmp_reply: turns a received echo or timestamp request ({@code b}'s data at its ICMP header, IPv4 header
     * at {@code networkHeader()}) into the reply in place and sends it back. Takes ownership.
     */
    public void reply(PacketBuffer b, int replyType) {
        int ipAt = b.networkHeader();
        int saddr = Ipv4Header.saddr(b, ipAt);
        int daddr = Ipv4Header.daddr(b, ipAt);
        int tos = Ipv4Header.tos(b, ipAt);
        int at = b.data();
        IcmpHeader.setType(b, at, replyType);
        IcmpHeader.setCode(b, at, 0);
        IcmpHeader.updateChecksum(b, at, b.length());
        // A reply to a broadcast comes from our own address on that network, never from the broadcast.
        transmit(b, devinet.isLocal(daddr) ? daddr : 0, saddr, replyType, tos);
    }

    /** Sends an ICMP message built at {@code b}'s data, counting it. Takes ownership. */
    public int transmit(PacketBuffer b, int saddr, int daddr, int type, int tos) {
        int err = ipv4.output(b, saddr, daddr, IpProto.IPPROTO_ICMP, tos, -1, false);
        if (err < 0) {
            mib.inc(IcmpMib.OutErrors);
            return err;
        }
        mib.inc(IcmpMib.OutMsgs);
        IcmpMib out = outCounter(type);
        if (out != null) mib.inc(out);
        return 0;
    }

    /** icmpv4_xrlim_allow + icmp_global_allow: only the types in {@code icmp_ratemask} are limited. */
    private boolean rateAllow(int type, int daddr) {
        if (type >= 32 || (sysctls.ratemask.get() & (1 << type)) == 0) return true;
        long now = net.loop().clock().nanoTime();
        long perSec = sysctls.msgsPerSec.get();
        if (perSec > 0) {
            long elapsed = now - globalStamp;
            long refill = elapsed * perSec / 1_000_000_000L;
            if (refill > 0) {
                globalCredit = Math.min(sysctls.msgsBurst.get(), globalCredit + refill);
                globalStamp = now;
            }
            if (globalCredit <= 0) return false;
            globalCredit--;
        }
        long timeout = sysctls.ratelimit.get() * 1_000_000L;
        if (timeout == 0) return true;
        // inet_peer_xrlim_allow: tokens accrue with time up to a burst of six messages.
        long burst = 6 * timeout;
        long[] p = peers.computeIfAbsent(daddr, k -> new long[] {burst, now});
        p[0] = Math.min(burst, p[0] + (now - p[1]));
        p[1] = now;
        if (p[0] < timeout) return false;
        p[0] -= timeout;
        return true;
    }

    private static IcmpMib outCounter(int type) {
        return switch (type) {
            case IcmpHeader.ECHO_REPLY -> IcmpMib.OutEchoReps;
            case IcmpHeader.DEST_UNREACH -> IcmpMib.OutDestUnreachs;
            case IcmpHeader.SOURCE_QUENCH -> IcmpMib.OutSrcQuenchs;
            case IcmpHeader.REDIRECT -> IcmpMib.OutRedirects;
            case IcmpHeader.ECHO -> IcmpMib.OutEchos;
            case IcmpHeader.TIME_EXCEEDED -> IcmpMib.OutTimeExcds;
            case IcmpHeader.PARAMETER_PROB -> IcmpMib.OutParmProbs;
            case IcmpHeader.TIMESTAMP -> IcmpMib.OutTimestamps;
            case IcmpHeader.TIMESTAMP_REPLY -> IcmpMib.OutTimestampReps;
            default -> null;
        };
    }

    /** icmp_err_convert: the errno a socket sees for a destination-unreachable code. */
    public static int unreachErrno(int code) {
        return switch (code) {
            case IcmpHeader.NET_UNREACH -> Errno.ENETUNREACH.number();
            case IcmpHeader.HOST_UNREACH -> Errno.EHOSTUNREACH.number();
            case IcmpHeader.PROT_UNREACH -> Errno.ENOPROTOOPT.number();
            case IcmpHeader.PORT_UNREACH -> Errno.ECONNREFUSED.number();
            case IcmpHeader.FRAG_NEEDED -> Errno.EMSGSIZE.number();
            case 9, 10, 13 -> Errno.EACCES.number(); // administratively prohibited
            default -> Errno.EHOSTUNREACH.number();
        };
    }
}
