package io.inet4j.ipv4.neigh;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.IfAddr;
import io.inet4j.ipv4.wire.ArpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.loop.EventLoop;
import io.inet4j.net.Net;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.MacAddress;
import io.inet4j.netdev.NetDevice;
import io.inet4j.netdev.PacketHandler;
import io.inet4j.socket.Errno;

/**
 * ARP for IPv4 over Ethernet ({@code net/ipv4/arp.c}, RFC 826): the receive handler for EtherType 0x0806, the
 * solicitations of the {@link NeighTable} it owns, gratuitous announcements of new addresses, and the output step
 * IPv4 hands each packet to once it knows the next hop ({@link #output}).
 *
 * <p>Behaviour follows Linux's defaults: {@code arp_ignore=0} (answer for any local address on any device),
 * {@code arp_announce=0} (a request's sender address is the waiting packet's source when local),
 * {@code arp_accept=0} (unsolicited ARP updates existing entries but creates none). Duplicate addresses are not
 * detected: a request for our address from someone claiming that same address is answered, as Linux does, and
 * its sender is not learned. Wiring: register with {@code net.packetTypes().add(ETH_P_ARP, arp)} and
 * {@code devinet.addListener(arp)}. Loop thread throughout.
 */
public final class Arp implements PacketHandler, DevInet.Listener {
    private static final int INADDR_BROADCAST = -1;
    /** 01:00:5e:00:00:00, the base of ip_eth_mc_map (RFC 1112). */
    private static final long ETH_MC_BASE = 0x0100_5e00_0000L;
    private static final long ETH_BROADCAST = MacAddress.BROADCAST.bits();

    private final Net net;
    private final EventLoop loop;
    private final DevInet devinet;
    private final NeighParms parms;
    private final NeighTable tbl;

    /** Registers the {@code net.ipv4.neigh.default.*} sysctls in {@code net}; one instance per stack. */
    public Arp(Net net, DevInet devinet) {
        this.net = net;
        this.loop = net.loop();
        this.devinet = devinet;
        this.parms = new NeighParms(net.sysctls());
        this.tbl = new NeighTable(net, parms, this::arpSolicit);
    }

    public NeighTable table() { return tbl; }

    public NeighParms parms() { return parms; }

    /**
     * The neighbour output step of {@code ip_finish_output2}: sends an IPv4 packet to {@code nextHop} through
     * {@code dev}, resolving the link-layer address first when needed. Takes ownership of {@code ipPacket}, whose
     * data starts at the IPv4 header with at least 14 bytes of headroom.
     *
     * <p>The limited broadcast, a directed broadcast of the device's subnet and multicast groups (01:00:5e plus
     * the group's low 23 bits) need no resolution. Anything else goes through the table
     * ({@code neigh_resolve_output}): at once when resolved, else queued while ARP asks. Returns 0, or
     * {@code -EINVAL} when the table is full and the packet was dropped (Linux's "no neighbour" case).
     */
    public int output(NetDevice dev, int nextHop, PacketBuffer ipPacket) {
        loop.assertInLoop();
        if (nextHop == INADDR_BROADCAST) {
            NeighTable.linkOutput(dev, ETH_BROADCAST, ipPacket);
            return 0;
        }
        if (isMulticast(nextHop)) {
            NeighTable.linkOutput(dev, ipEthMcMap(nextHop), ipPacket);
            return 0;
        }
        Neighbour n = tbl.lookup(dev.ifindex(), nextHop);
        if (n == null) {
            // Only a miss pays for the broadcast test: no entry is ever made for a broadcast address.
            if (devinet.isBroadcast(dev.ifindex(), nextHop)) {
                NeighTable.linkOutput(dev, ETH_BROADCAST, ipPacket);
                return 0;
            }
            n = tbl.create(dev, nextHop, false);
            if (n == null) {
                ipPacket.release();
                return Errno.EINVAL.neg();
            }
        }
        tbl.neighResolveOutput(n, ipPacket);
        return 0;
    }

    /**
     * arp_rcv: takes an ARP frame whose data starts at the ARP header, drops malformed ones (counted as
     * {@link NeighStat#rcv_malformed}), processes the rest. Never throws on bad input; always releases the frame.
     */
    @Override
    public void receive(NetDevice dev, PacketBuffer b) {
        try {
            loop.assertInLoop();
            int at = b.data();
            if (b.length() < ArpHeader.LENGTH
                    || ArpHeader.htype(b, at) != ArpHeader.HTYPE_ETHER
                    || ArpHeader.ptype(b, at) != ArpHeader.PTYPE_IP
                    || ArpHeader.hlen(b, at) != 6
                    || ArpHeader.plen(b, at) != 4
                    || (ArpHeader.oper(b, at) != ArpHeader.OP_REQUEST && ArpHeader.oper(b, at) != ArpHeader.OP_REPLY)) {
                tbl.stats().inc(NeighStat.rcv_malformed);
                return;
            }
            arpProcess(dev, b, at);
        } finally {
            b.release();
        }
    }

    /**
     * arp_process: answer requests for local addresses and learn their senders; otherwise refresh an existing
     * entry for the sender (REACHABLE for a reply sent to us, STALE for anything else).
     */
    private void arpProcess(NetDevice dev, PacketBuffer b, int at) {
        int op = ArpHeader.oper(b, at);
        long sha = ArpHeader.senderMac(b, at);
        int sip = ArpHeader.senderIp(b, at);
        long tha = ArpHeader.targetMac(b, at);
        int tip = ArpHeader.targetIp(b, at);
        // Nobody may own a multicast or loopback address on a wire.
        if (isMulticast(tip) || isLoopback(tip)) return;
        boolean unicastToUs = b.macHeader() >= 0 && EthernetHeader.destination(b, b.macHeader()) == dev.mac().bits();

        if (sip == 0) {
            // RFC 5227 probe from a host checking that an address is free: answer if it is ours, learn nothing.
            if (op == ArpHeader.OP_REQUEST && devinet.isLocal(tip)) arpSend(dev, ArpHeader.OP_REPLY, sha, tip, sha, 0);
            return;
        }
        if (op == ArpHeader.OP_REQUEST && devinet.isLocal(tip)) {
            tbl.stats().inc(unicastToUs ? NeighStat.rcv_probes_ucast : NeighStat.rcv_probes_mcast);
            // Like Linux, no answer when the table cannot hold the asker: we could not talk back anyway.
            if (devinet.isLocal(sip) || tbl.neighEventNs(dev, sip, sha) != null) {
                arpSend(dev, ArpHeader.OP_REPLY, sha, tip, sha, sip);
            }
            return;
        }
        Neighbour n = tbl.lookup(dev.ifindex(), sip);
        if (n == null) return;
        // Several different replies in a row (proxies): keep the first, unless it is an announcement.
        boolean override = arpIsGarp(dev, op, sip, tip, sha, tha)
                || loop.clock().nanoTime() - (n.updated + parms.locktimeNanos()) > 0;
        NudState state = op == ArpHeader.OP_REPLY && unicastToUs ? NudState.REACHABLE : NudState.STALE;
        tbl.neighUpdate(n, sha, state, override ? NeighTable.NEIGH_UPDATE_F_OVERRIDE : 0);
    }

    /** arp_is_garp: sender and target address equal (a reply also repeats its hardware address), unicast. */
    private boolean arpIsGarp(NetDevice dev, int op, int sip, int tip, long sha, long tha) {
        return sip == tip && (op != ArpHeader.OP_REPLY || tha == sha)
                && !devinet.isLocal(sip) && !devinet.isBroadcast(dev.ifindex(), sip);
    }

    /**
     * arp_solicit: the table wants a probe. The first ucast_solicit slots of the count are unicast probes to the
     * known address (PROBE), the next app_solicit would go to a user-space resolver (there is none: the slot
     * passes silently), the rest are broadcast requests (INCOMPLETE).
     */
    private void arpSolicit(Neighbour n, PacketBuffer lastQueued) {
        int saddr = 0;
        if (lastQueued != null && lastQueued.length() >= Ipv4Header.MIN_LENGTH) {
            int src = Ipv4Header.saddr(lastQueued, lastQueued.data());
            if (devinet.isLocal(src)) saddr = src;
        }
        if (saddr == 0) saddr = devinet.selectAddr(n.ifindex, n.key);
        int probes = n.probes - parms.ucastSolicit.get();
        long dstHw;
        if (probes < 0) {
            dstHw = n.lladdr;
        } else if (probes - parms.appSolicit.get() < 0) {
            return;
        } else {
            dstHw = ETH_BROADCAST;
        }
        arpSend(n.dev, ArpHeader.OP_REQUEST, dstHw, saddr, 0, n.key);
    }

    /**
     * Gratuitous ARP: a broadcast request with sender and target both {@code addr}, so that neighbours holding
     * an entry for {@code addr} learn this device's address at once (RFC 5227 announcement).
     */
    public void announce(NetDevice dev, int addr) {
        loop.assertInLoop();
        arpSend(dev, ArpHeader.OP_REQUEST, ETH_BROADCAST, addr, 0, addr);
    }

    /**
     * inetaddr notifier: announce a new address on a device that is up (a device opened later is not announced
     * here). An entry that the new subnet's broadcast address would shadow is removed.
     */
    @Override
    public void added(IfAddr a) {
        if (loop.inEventLoop()) inetAddrUp(a);
        else loop.execute(() -> inetAddrUp(a));
    }

    private void inetAddrUp(IfAddr a) {
        if (a.broadcast() != 0) tbl.delete(a.ifindex(), a.broadcast());
        NetDevice dev = net.device(a.ifindex());
        if (dev != null && dev.isUp()) announce(dev, a.local());
    }

    /** Entries belong to the device, not to an address: Linux leaves them when an address goes, and so do we. */
    @Override
    public void removed(IfAddr a) { }

    /** arp_send_dst: builds an Ethernet/IPv4 ARP packet from this device's hardware address and sends it. */
    private void arpSend(NetDevice dev, int op, long dstHw, int spa, long tha, int tpa) {
        PacketBuffer b = net.pool().allocate(ArpHeader.LENGTH);
        int at = b.put(ArpHeader.LENGTH);
        b.setNetworkHeader(at);
        long src = dev.mac().bits();
        ArpHeader.write(b, at, op, src, spa, tha, tpa);
        EthernetHeader.push(b, dstHw, src, EthernetHeader.ETH_P_ARP);
        dev.transmit(b);
    }

    /** ip_eth_mc_map. */
    private static long ipEthMcMap(int group) { return ETH_MC_BASE | (group & 0x7f_ffff); }

    private static boolean isMulticast(int addr) { return (addr & 0xf000_0000) == 0xe000_0000; }

    private static boolean isLoopback(int addr) { return (addr >>> 24) == 127; }
}
