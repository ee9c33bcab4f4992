package io.inet4j.ipv4.ip;

import dagger.Lazy;
import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.frag.IpDefrag;
import io.inet4j.ipv4.frag.IpFragmenter;
import io.inet4j.ipv4.icmp.Icmp;
import io.inet4j.ipv4.neigh.Arp;
import io.inet4j.ipv4.route.Fib;
import io.inet4j.ipv4.route.PmtuExceptions;
import io.inet4j.ipv4.route.Route;
import io.inet4j.ipv4.route.RouteMetrics;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.InetChecksum;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.mib.IpExtMib;
import io.inet4j.mib.IpMib;
import io.inet4j.mib.MibCounters;
import io.inet4j.net.Net;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.NetDevice;
import io.inet4j.netdev.NetdevFeatures;
import io.inet4j.netdev.PacketHandler;
import io.inet4j.netfilter.NfHookOps;
import io.inet4j.netfilter.NfHooks;
import io.inet4j.netfilter.NfInetHook;
import io.inet4j.protocol.NetProtocolHandler;
import io.inet4j.socket.Errno;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The IPv4 layer: input ({@code ip_rcv}, {@code ip_rcv_finish}, {@code ip_local_deliver} in
 * {@code net/ipv4/ip_input.c}), forwarding ({@code ip_forward.c}) and output ({@code ip_output.c}).
 *
 * <p>Input validates every header field before trusting it and counts each drop under its Linux MIB name; it
 * never throws. Transport protocols are found in {@code inetProtos}, a 256-slot array indexed by protocol
 * number: one load per packet, no handler chain.
 *
 * <p>Packet hooks ({@link #netfilter()}) run where Linux's {@code NF_HOOK} calls sit: PRE_ROUTING in {@code ip_rcv}
 * after the header checks and before routing, LOCAL_IN in {@code ip_local_deliver} after reassembly, FORWARD in
 * {@code ip_forward} after the TTL decrement, LOCAL_OUT in {@code __ip_local_out} once the header is written, and
 * POST_ROUTING in {@code ip_output} before fragmentation. With none registered each point is one array-slot read.
 */
@Singleton
public final class Ipv4 implements PacketHandler {
    private static final int LIMITED_BROADCAST = -1;
    private static final IpExtMib[] ECN_COUNTERS = {IpExtMib.InNoECTPkts, IpExtMib.InECT1Pkts, IpExtMib.InECT0Pkts,
            IpExtMib.InCEPkts};
    /** The largest datagram the total-length field can carry ({@code IP_MAX_MTU}, {@code IPV4_MAX_PMTU}). */
    public static final int IP_MAX_MTU = 0xffff;

    private final Net net;
    private final DevInet devinet;
    private final Fib fib;
    private final Arp arp;
    private final IpDefrag defrag;
    private final IpFragmenter fragmenter;
    private final Ipv4Sysctls sysctls;
    private final Lazy<Icmp> icmp;
    private final MibCounters<IpMib> mib;
    private final MibCounters<IpExtMib> extMib;
    private final NetProtocolHandler[] inetProtos = new NetProtocolHandler[256];
    private final PmtuExceptions pmtuExceptions = new PmtuExceptions();
    private final NfHooks nf = new NfHooks();
    private NetDevice loopback;
    private int ipIdent;

    @Inject
    public Ipv4(Net net, DevInet devinet, Fib fib, Arp arp, IpDefrag defrag, IpFragmenter fragmenter,
                Ipv4Sysctls sysctls, Lazy<Icmp> icmp) {
        this.net = net;
        this.devinet = devinet;
        this.fib = fib;
        this.arp = arp;
        this.defrag = defrag;
        this.fragmenter = fragmenter;
        this.sysctls = sysctls;
        this.icmp = icmp;
        this.mib = net.mibs().ip;
        this.extMib = net.mibs().ipExt;
        this.ipIdent = net.random().nextInt();
    }

    public Ipv4Sysctls sysctls() { return sysctls; }

    /** This stack's IPv4 packet hooks ({@code net->nf.hooks_ipv4}). */
    public NfHooks netfilter() { return nf; }

    /** Routes traffic for the stack's own addresses through {@code lo}. */
    public void setLoopback(NetDevice lo) { this.loopback = lo; }

    /** inet_add_protocol: false when the slot is taken (the first registration wins, as in Linux). */
    public synchronized boolean addProtocol(int protocol, NetProtocolHandler handler) {
        if (protocol <= 0 || protocol > 255 || inetProtos[protocol] != null) return false;
        inetProtos[protocol] = handler;
        return true;
    }

    /** The receive handler registered for {@code protocol}, or null. */
    public NetProtocolHandler protocol(int protocol) { return inetProtos[protocol & 0xff]; }

    // ---- input -------------------------------------------------------------------------------------------

    /** ip_rcv: {@code b}'s data starts at the IPv4 header. */
    @Override
    public void receive(NetDevice dev, PacketBuffer b) {
        mib.inc(IpMib.InReceives);
        int at = b.data();
        int len = b.length();
        if (len < Ipv4Header.MIN_LENGTH) {
            drop(b, IpMib.InHdrErrors);
            return;
        }
        int ihl = Ipv4Header.headerLength(b, at);
        if (Ipv4Header.version(b, at) != 4 || ihl < Ipv4Header.MIN_LENGTH || ihl > len) {
            drop(b, IpMib.InHdrErrors);
            return;
        }
        if (InetChecksum.compute(b, at, ihl) != 0) {
            extMib.inc(IpExtMib.InCsumErrors);
            drop(b, IpMib.InHdrErrors);
            return;
        }
        int totLen = Ipv4Header.totalLength(b, at);
        if (totLen > len) {
            extMib.inc(IpExtMib.InTruncatedPkts);
            b.release();
            return;
        }
        if (totLen < ihl) {
            drop(b, IpMib.InHdrErrors);
            return;
        }
        b.trim(totLen); // drop link-layer padding
        extMib.add(IpExtMib.InOctets, totLen);
        extMib.inc(ECN_COUNTERS[Ipv4Header.tos(b, at) & 3]); // ip_rcv_core: IPSTATS_MIB_NOECTPKTS + ECN field
        b.setNetworkHeader(at);
        NfHookOps[] hooks = nf.entries(NfInetHook.PRE_ROUTING);
        if (hooks != null && NfHooks.hookSlow(hooks, b, dev.ifindex(), 0) != 1) return;
        ipRcvFinish(dev, b, at, ihl);
    }

    /** ip_rcv_options: malformed options earn a parameter problem; source-routed datagrams are refused. */
    private boolean rcvOptions(NetDevice dev, PacketBuffer b, int at, int ihl) {
        int r = IpOptions.compile(b, at, ihl);
        if (r == IpOptions.OK) return true;
        if (r == IpOptions.SOURCE_ROUTE) {
            if (sysctls.acceptSourceRoute.get() != 0) return true;
            drop(b, IpMib.InDiscards);
            return false;
        }
        icmp.get().send(b, IcmpHeader.PARAMETER_PROB, 0, r << 24);
        drop(b, IpMib.InHdrErrors);
        return false;
    }

    /** ip_rcv_finish + ip_route_input: options, then local, broadcast, or to be forwarded. */
    private void ipRcvFinish(NetDevice dev, PacketBuffer b, int at, int ihl) {
        int saddr = Ipv4Header.saddr(b, at);
        int daddr = Ipv4Header.daddr(b, at);
        if (isMulticast(saddr) || saddr == LIMITED_BROADCAST) {
            drop(b, IpMib.InAddrErrors); // martian source
            return;
        }
        if (ihl > Ipv4Header.MIN_LENGTH && !rcvOptions(dev, b, at, ihl)) return;
        if (devinet.isLocal(daddr)) {
            localDeliver(b, at);
        } else if (daddr == LIMITED_BROADCAST || devinet.isBroadcast(dev.ifindex(), daddr) || isMulticast(daddr)) {
            extMib.inc(isMulticast(daddr) ? IpExtMib.InMcastPkts : IpExtMib.InBcastPkts);
            localDeliver(b, at);
        } else if (sysctls.ipForward.get() != 0) {
            forward(b, at, daddr);
        } else {
            // Not ours and not a router: Linux counts the datagram as an address error and drops it quietly.
            drop(b, IpMib.InAddrErrors);
        }
    }

    /** ip_local_deliver: reassembles fragments, then hands the datagram to its transport protocol. */
    private void localDeliver(PacketBuffer b, int at) {
        if (Ipv4Header.isFragment(b, at)) {
            b = defrag.ipDefrag(b);
            if (b == null) return;
            at = b.networkHeader();
        }
        NfHookOps[] hooks = nf.entries(NfInetHook.LOCAL_IN);
        if (hooks != null && NfHooks.hookSlow(hooks, b, b.ifindex(), 0) != 1) return;
        int ihl = Ipv4Header.headerLength(b, at);
        int protocol = Ipv4Header.protocol(b, at);
        b.pull(ihl);
        b.setTransportHeader(b.data());
        NetProtocolHandler h = inetProtos[protocol];
        if (h == null) {
            int daddr = Ipv4Header.daddr(b, at);
            if (!isMulticast(daddr) && daddr != LIMITED_BROADCAST) {
                icmp.get().send(b, IcmpHeader.DEST_UNREACH, IcmpHeader.PROT_UNREACH, 0);
            }
            drop(b, IpMib.InUnknownProtos);
            return;
        }
        mib.inc(IpMib.InDelivers);
        h.receive(b);
    }

    /** ip_forward: TTL, route, and out again; only with {@code net.ipv4.ip_forward = 1}. */
    private void forward(PacketBuffer b, int at, int daddr) {
        if (Ipv4Header.ttl(b, at) <= 1) {
            icmp.get().send(b, IcmpHeader.TIME_EXCEEDED, IcmpHeader.EXC_TTL, 0);
            drop(b, IpMib.InHdrErrors);
            return;
        }
        Route r = fib.lookup(daddr);
        NetDevice dev = r == null ? null : net.device(r.ifindex());
        if (dev == null) {
            icmp.get().send(b, IcmpHeader.DEST_UNREACH, IcmpHeader.NET_UNREACH, 0);
            extMib.inc(IpExtMib.InNoRoutes);
            b.release();
            return;
        }
        if (Ipv4Header.dontFragment(b, at) && !fitsMtu(b, at, dev.mtu())) {
            icmp.get().send(b, IcmpHeader.DEST_UNREACH, IcmpHeader.FRAG_NEEDED, dev.mtu());
            drop(b, IpMib.FragFails);
            return;
        }
        Ipv4Header.setTtl(b, at, Ipv4Header.ttl(b, at) - 1);
        Ipv4Header.updateChecksum(b, at);
        NfHookOps[] hooks = nf.entries(NfInetHook.FORWARD);
        if (hooks != null && NfHooks.hookSlow(hooks, b, b.ifindex(), dev.ifindex()) != 1) return;
        mib.inc(IpMib.ForwDatagrams);
        ipOutput(dev, r.gateway() != 0 ? r.gateway() : daddr, b, b.ifindex());
    }

    // ---- output ------------------------------------------------------------------------------------------

    /**
     * Sends a transport segment ({@code b}'s data) to {@code daddr}: routes it, picks the source address when
     * {@code saddr} is 0, pushes the IPv4 header and passes it on (ip_queue_xmit / ip_build_and_send_pkt).
     * Takes ownership of {@code b} in every case. Returns 0, or {@code -ENETUNREACH} / {@code -EHOSTUNREACH} /
     * {@code -EMSGSIZE} / {@code -EACCES} / {@code -EINVAL} as Linux's routing and fragmentation do, or
     * {@code -EPERM} when a LOCAL_OUT or POST_ROUTING hook dropped it (ip_local_out's answer).
     *
     * @param ttl the TTL, or -1 for {@code net.ipv4.ip_default_ttl}
     */
    public int output(PacketBuffer b, int saddr, int daddr, int protocol, int tos, int ttl, boolean df) {
        NetDevice dev;
        int nextHop;
        if (devinet.isLocal(daddr) && loopback != null) {
            dev = loopback;
            nextHop = daddr;
            if (saddr == 0) saddr = daddr;
        } else {
            Route r = fib.lookup(daddr);
            int err = r == null ? Errno.ENETUNREACH.neg() : r.type().error();
            if (err < 0) {
                mib.inc(IpMib.OutNoRoutes);
                b.release();
                return err;
            }
            dev = net.device(r.ifindex());
            nextHop = r.gateway() != 0 ? r.gateway() : daddr;
            if (saddr == 0) saddr = Fib.selectSource(r, daddr, devinet);
        }
        int len = b.length() + Ipv4Header.MIN_LENGTH;
        if (len > IP_MAX_MTU) {
            // The 16-bit total length cannot say it: refused, counted, and the caller told (EMSGSIZE).
            drop(b, IpMib.OutDiscards);
            return Errno.EMSGSIZE.neg();
        }
        int segs = b.gsoSize() == 0 ? 1 : gsoSegs(b, b.gsoSize());
        int at = b.push(Ipv4Header.MIN_LENGTH);
        b.setNetworkHeader(at);
        Ipv4Header.write(b, at, tos, len, nextIdent(segs), df ? Ipv4Header.FLAG_DF : 0,
                ttl < 0 ? sysctls.ipDefaultTtl.get() : ttl, protocol, saddr, daddr);
        mib.inc(IpMib.OutRequests);
        extMib.add(IpExtMib.OutOctets, len);
        NfHookOps[] hooks = nf.entries(NfInetHook.LOCAL_OUT);
        if (hooks != null) {
            // Hooks read the packet by absolute index: they get it in one piece (one copy, only when hooked).
            b.linearize();
            int v = NfHooks.hookSlow(hooks, b, 0, dev.ifindex());
            if (v != 1) return v;
        }
        return ipOutput(dev, nextHop, b, 0);
    }

    /** How many segments a GSO packet (data at its transport header) makes: its payload in {@code mss} pieces. */
    private static int gsoSegs(PacketBuffer b, int mss) {
        int payload = b.length() - TcpOffload.headerLength(b, b.data());
        return Math.max(1, (payload + mss - 1) / mss);
    }

    /** The source address {@link #output} would use towards {@code daddr}, or 0 when there is no route. */
    public int sourceFor(int daddr) {
        if (devinet.isLocal(daddr)) return daddr;
        Route r = fib.lookup(daddr);
        return r == null || r.type().error() < 0 ? 0 : Fib.selectSource(r, daddr, devinet);
    }

    /**
     * ip_route_connect: the source address for a connection to {@code daddr} into {@code src[0]} (the given
     * {@code saddr} when bound), or the routing error: {@code -ENETUNREACH} without a route, the reject route's
     * error otherwise.
     */
    public int routeConnect(int daddr, int saddr, int[] src) {
        if (devinet.isLocal(daddr)) {
            src[0] = saddr != 0 ? saddr : daddr;
            return 0;
        }
        Route r = fib.lookup(daddr);
        if (r == null) return Errno.ENETUNREACH.neg();
        if (r.type().error() < 0) return r.type().error();
        src[0] = saddr != 0 ? saddr : Fib.selectSource(r, daddr, devinet);
        return src[0] == 0 ? Errno.EADDRNOTAVAIL.neg() : 0;
    }

    /**
     * dst_metric for a transport's connection to {@code daddr}: the metrics of the route it leaves by;
     * {@link RouteMetrics#NONE} for our own addresses (the local table's routes carry none) or without a route.
     */
    public RouteMetrics routeMetrics(int daddr) {
        if (devinet.isLocal(daddr)) return RouteMetrics.NONE;
        Route r = fib.lookup(daddr);
        return r == null ? RouteMetrics.NONE : r.metrics();
    }

    /**
     * ipv4_mtu: the MTU of the device traffic to {@code daddr} leaves by (lo's for our own addresses), 576 without
     * a route, never more than an IPv4 datagram can be ({@link #IP_MAX_MTU}: lo's 65536 is one byte too many).
     */
    public int routeMtu(int daddr) {
        int mtu;
        if (devinet.isLocal(daddr) && loopback != null) {
            mtu = loopback.mtu();
        } else {
            Route r = fib.lookup(daddr);
            NetDevice dev = r == null ? null : net.device(r.ifindex());
            mtu = dev == null ? 576 : dev.mtu();
            int pmtu = pmtuExceptions.pmtu(daddr, net.loop().clock().nanoTime());
            if (pmtu != 0) mtu = Math.min(mtu, pmtu);
        }
        return Math.min(mtu, IP_MAX_MTU);
    }

    /**
     * __ip_rt_update_pmtu: an ICMP "fragmentation needed" reported {@code mtu} on the way to {@code daddr}. A
     * smaller MTU than the route's is remembered for {@code net.ipv4.route.mtu_expires} seconds, never below
     * {@code net.ipv4.route.min_pmtu}; a larger one is ignored. Returns the route's MTU afterwards.
     */
    public int updatePmtu(int daddr, int mtu) {
        int old = routeMtu(daddr);
        if (devinet.isLocal(daddr) || mtu > old) return old;
        mtu = Math.max(mtu, Math.min(old, sysctls.routeMinPmtu.get()));
        long now = net.loop().clock().nanoTime();
        pmtuExceptions.update(daddr, mtu, now + sysctls.routeMtuExpires.get() * 1_000_000_000L);
        return routeMtu(daddr);
    }

    /**
     * The {@link NetdevFeatures} of the device traffic to {@code daddr} leaves by ({@code sk_setup_caps}'s
     * {@code dst->dev->features}); none for our own addresses, which lo carries, or without a route.
     */
    public int routeFeatures(int daddr) {
        if (devinet.isLocal(daddr)) return 0;
        Route r = fib.lookup(daddr);
        NetDevice dev = r == null ? null : net.device(r.ifindex());
        return dev == null ? 0 : dev.features();
    }

    /**
     * ip_exceeds_mtu: whether the datagram at {@code at} leaves as it is under {@code mtu}; a GSO packet does when
     * each of its segments will ({@code skb_gso_validate_network_len}).
     */
    private static boolean fitsMtu(PacketBuffer b, int at, int mtu) {
        if (b.gsoSize() == 0) return b.length() <= mtu;
        int tcp = at + Ipv4Header.headerLength(b, at);
        return tcp - at + TcpOffload.headerLength(b, tcp) + b.gsoSize() <= mtu;
    }

    /**
     * The ip_id of a datagram that leaves as {@code segments} packets: GSO numbers its segments on from the first
     * ({@code ip_select_ident_segs}), so the next datagram starts after them.
     */
    private int nextIdent(int segments) {
        int id = ipIdent;
        ipIdent += segments;
        return id & 0xffff;
    }

    /** ip_output: POST_ROUTING, then {@link #finishOutput}; {@code -EPERM} when a hook dropped the packet. */
    private int ipOutput(NetDevice dev, int nextHop, PacketBuffer b, int inIfindex) {
        NfHookOps[] hooks = nf.entries(NfInetHook.POST_ROUTING);
        if (hooks != null) {
            b.linearize();
            int v = NfHooks.hookSlow(hooks, b, inIfindex, dev.ifindex());
            if (v != 1) return v;
        }
        return finishOutput(dev, nextHop, b);
    }

    /**
     * ip_finish_output: fragments what exceeds the device MTU, then resolves the next hop. Offloads the device
     * lacks are done here in software (validate_xmit_skb): a GSO packet is segmented, a partial checksum finished.
     */
    private int finishOutput(NetDevice dev, int nextHop, PacketBuffer b) {
        int features = dev.features();
        if (b.gsoSize() > 0) {
            if ((features & NetdevFeatures.TSO) != 0) {
                neighOutput(dev, nextHop, b);
            } else {
                TcpOffload.segment(net.pool(), b, s -> finishOutput(dev, nextHop, s));
            }
            return 0;
        }
        if (b.ipSummed() == PacketBuffer.CHECKSUM_PARTIAL
                && ((features & NetdevFeatures.HW_CSUM) == 0 || b.length() > dev.mtu())) {
            InetChecksum.completePartial(b);
        }
        if (b.length() <= dev.mtu()) {
            neighOutput(dev, nextHop, b);
            return 0;
        }
        b.linearize(); // ip_fragment cuts the linear part; TCP's segments with DF set seldom come here
        int n = fragmenter.ipFragment(b, dev.mtu(), frag -> neighOutput(dev, nextHop, frag));
        if (n < 0) {
            b.release();
            return n;
        }
        return 0;
    }

    private void neighOutput(NetDevice dev, int nextHop, PacketBuffer b) {
        if (dev == loopback) {
            // lo is NOARP: the frame comes straight back to the same device.
            EthernetHeader.push(b, 0, 0, EthernetHeader.ETH_P_IP);
            dev.transmit(b);
        } else {
            arp.output(dev, nextHop, b);
        }
    }

    private void drop(PacketBuffer b, IpMib counter) {
        mib.inc(counter);
        b.release();
    }

    public static boolean isMulticast(int addr) { return (addr & 0xf0000000) == 0xe0000000; }
}
