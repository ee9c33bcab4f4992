package io.inet4j.udp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.hook.AttachType;
import io.inet4j.hook.SockAddrContext;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.af.InetDgramOps;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.mib.MibCounters;
import io.inet4j.mib.UdpMib;
import io.inet4j.protocol.InetProtosw;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.Proto;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.udp.wire.UdpHeader;

/**
 * {@code udp_prot} ({@code net/ipv4/udp.c}, with {@code ip4_datagram_connect} from {@code datagram.c}): UDP
 * sockets. Built as any third party would build a protocol: only the public plug-in API, registered by its
 * annotation (the processor writes {@code UdpProt_Inetsw} and its {@code META-INF/services} line), everything
 * from the stack through its {@link InetContext}. The receive side is {@link UdpRcv}; both share the stack's
 * {@link UdpTable}. Registered like Linux's entry: permanent, {@code inet_dgram_ops}.
 */
@InetProtosw(type = SockType.SOCK_DGRAM, protocol = IpProto.IPPROTO_UDP, ops = InetDgramOps.class,
        flags = InetProtosw.PERMANENT)
public final class UdpProt implements Proto {
    private final InetContext ctx;
    private final UdpTable table;
    private final MibCounters<UdpMib> mib;
    /** ip_route_connect's source address out-parameter; loop thread only, so one is enough. */
    private final int[] src = new int[1];

    public UdpProt(InetContext ctx) {
        this.ctx = ctx;
        this.table = UdpTable.of(ctx);
        this.mib = ctx.mibs().udp;
    }

    @Override public String name() { return "UDP"; }

    @Override
    public Sock newSock(int type, int protocol) { return new UdpSock(ctx, this, type, protocol); }

    /** udp_lib_close: leaves the hash and frees what the queue holds. */
    @Override
    public void close(Sock sk, long timeoutNanos) {
        UdpSock us = (UdpSock) sk;
        table.unhash(us);
        us.purge();
        us.state = SockStates.TCP_CLOSE;
    }

    @Override
    public int getPort(Sock sk, int port) { return table.getPort((UdpSock) sk, port); }

    @Override
    public void unhash(Sock sk) { table.unhash((UdpSock) sk); }

    /**
     * ip4_datagram_connect: routes to the peer (EACCES for a broadcast without SO_BROADCAST), takes the route's
     * source as the local address where none is bound, and fixes the peer so only its datagrams are received.
     */
    @Override
    public int connect(Sock sk, SockAddr addr) {
        if (!(addr instanceof SockAddrIn in)) return Errno.EAFNOSUPPORT.neg();
        UdpSock us = (UdpSock) sk;
        int err = ctx.ip().routeConnect(in.address(), us.saddr, src);
        if (err < 0) return err;
        if (ctx.devinet().isBroadcast(0, in.address()) && !us.broadcast) return Errno.EACCES.neg();
        if (us.saddr == 0) us.saddr = src[0];
        if (us.rcvSaddr == 0) us.rcvSaddr = src[0];
        us.daddr = in.address();
        us.dport = in.port();
        us.state = SockStates.TCP_ESTABLISHED;
        return 0;
    }

    /** udp_pre_connect: the INET4_CONNECT hooks of the socket's scope, which may refuse or rewrite the address. */
    @Override
    public int preConnect(Sock sk, SockAddr.Holder addr) { return SockAddrContext.runConnect(sk, addr); }

    /**
     * __udp_disconnect (connect with AF_UNSPEC): forgets the peer, and the local address and port unless the
     * application bound them itself.
     */
    @Override
    public int disconnect(Sock sk, int flags) {
        UdpSock us = (UdpSock) sk;
        us.state = SockStates.TCP_CLOSE;
        us.daddr = 0;
        us.dport = 0;
        if ((us.userlocks & Sock.SOCK_BINDADDR_LOCK) == 0) us.saddr = us.rcvSaddr = 0;
        if ((us.userlocks & Sock.SOCK_BINDPORT_LOCK) == 0) table.unhash(us);
        return 0;
    }

    /**
     * udp_sendmsg: one datagram to {@code msg.name} or the connected peer. EMSGSIZE over 65507 bytes, EACCES to a
     * broadcast without SO_BROADCAST, a pending error (ICMP port unreachable: ECONNREFUSED) before anything is
     * sent; IP fragments what exceeds the route's MTU. {@code MSG_CONFIRM} is accepted (the neighbour is
     * confirmed by ARP here).
     */
    @Override
    public int sendmsg(Sock sk, MsgHdr msg, int flags) {
        UdpSock us = (UdpSock) sk;
        int len = msg.data.remaining();
        if (len > 0xffff) return Errno.EMSGSIZE.neg();
        if ((flags & MsgFlags.MSG_OOB) != 0) return Errno.EOPNOTSUPP.neg();
        int daddr;
        int dport;
        int saddr = us.saddr;
        if (msg.name != null) {
            if (!(msg.name instanceof SockAddrIn in)) return Errno.EAFNOSUPPORT.neg();
            if (in.port() == 0) return Errno.EINVAL.neg();
            daddr = in.address();
            dport = in.port();
            if (us.scope.enabled(AttachType.UDP4_SENDMSG)) {
                // BPF_CGROUP_RUN_PROG_UDP4_SENDMSG: may refuse, or rewrite the destination and the source (ipc.addr).
                SockAddrContext hook = new SockAddrContext(us, in, 0);
                int err = us.scope.run(AttachType.UDP4_SENDMSG, hook);
                if (err != 0) return err;
                if (hook.userPort() == 0) return Errno.EINVAL.neg();
                daddr = hook.userIp4();
                dport = hook.userPort();
                if (hook.msgSrcIp4() != 0) saddr = hook.msgSrcIp4();
            }
        } else {
            if (us.state != SockStates.TCP_ESTABLISHED) return Errno.EDESTADDRREQ.neg();
            daddr = us.daddr;
            dport = us.dport;
        }
        if (len > UdpHeader.MAX_PAYLOAD) return Errno.EMSGSIZE.neg();
        int err = ctx.ip().routeConnect(daddr, saddr, src);
        if (err < 0) return err;
        if (ctx.devinet().isBroadcast(0, daddr) && !us.broadcast) return Errno.EACCES.neg();
        err = us.takeError();
        if (err != 0) return err;
        if ((us.shutdown & Sock.SEND_SHUTDOWN) != 0) return Errno.EPIPE.neg();
        saddr = src[0];
        int ulen = UdpHeader.LENGTH + len;
        PacketBuffer b = ctx.pool().allocate(ulen);
        int at = b.put(ulen);
        b.write(at + UdpHeader.LENGTH, msg.data, len);
        UdpHeader.emit(b, at, us.num, dport, ulen, saddr, daddr);
        err = ctx.ip().output(b, saddr, daddr, IpProto.IPPROTO_UDP, us.tos, us.ttl, dontFragment(daddr, ulen));
        if (err < 0) {
            if (err == Errno.ENOBUFS.neg()) mib.inc(UdpMib.SndbufErrors);
            return err;
        }
        mib.inc(UdpMib.OutDatagrams);
        return len;
    }

    /**
     * __ip_make_skb under IP_PMTUDISC_WANT, UDP's default while {@code net.ipv4.ip_no_pmtu_disc} is 0: DF on a
     * datagram that fits the path MTU, so a router may report a smaller one; a larger datagram is fragmented here
     * and goes without it.
     */
    private boolean dontFragment(int daddr, int ulen) {
        return UdpRcv.pmtuDiscovery(ctx) && Ipv4Header.MIN_LENGTH + ulen <= ctx.ip().routeMtu(daddr);
    }

    /**
     * udp_recvmsg: one datagram per call, the sender in {@code msg.name}. A pending error comes first;
     * {@code MSG_PEEK} leaves the datagram queued; a short buffer gets the head of it and {@code MSG_TRUNC} in
     * {@code msg.flags}, and with {@code MSG_TRUNC} in {@code flags} the call returns the datagram's real length.
     * Without IP_RECVERR there is no error queue: {@code MSG_ERRQUEUE} answers EAGAIN.
     */
    @Override
    public int recvmsg(Sock sk, MsgHdr msg, int flags) {
        UdpSock us = (UdpSock) sk;
        if ((flags & MsgFlags.MSG_ERRQUEUE) != 0) return Errno.EAGAIN.neg();
        int err = us.takeError();
        if (err != 0) return err;
        boolean peek = (flags & MsgFlags.MSG_PEEK) != 0;
        PacketBuffer b = peek ? us.receiveQueue.peek() : us.dequeue();
        if (b == null) {
            if ((us.shutdown & Sock.RCV_SHUTDOWN) == 0) return Errno.EAGAIN.neg();
            msg.name = null; // end of input: no datagram, no sender (msg_namelen 0)
            return 0;
        }
        int ulen = b.length();
        int copied = Math.min(ulen, msg.data.remaining());
        b.read(b.data(), msg.data, copied);
        msg.flags = copied < ulen ? MsgFlags.MSG_TRUNC : 0;
        msg.name = SockAddrIn.sameOrNew(msg.name, Ipv4Header.saddr(b, b.networkHeader()),
                UdpHeader.source(b, b.transportHeader()));
        if (us.scope.enabled(AttachType.UDP4_RECVMSG)) {
            // BPF_CGROUP_RUN_PROG_UDP4_RECVMSG: rewrites the sender reported; it cannot refuse the datagram.
            SockAddrContext hook = new SockAddrContext(us, (SockAddrIn) msg.name);
            us.scope.run(AttachType.UDP4_RECVMSG, hook);
            msg.name = hook.userAddr();
        }
        if (!peek) {
            mib.inc(UdpMib.InDatagrams);
            b.release();
        }
        return (flags & MsgFlags.MSG_TRUNC) != 0 ? ulen : copied;
    }

    /** datagram_poll's protocol part: readable with a datagram queued, writable always (sends do not queue). */
    @Override
    public int poll(Sock sk) {
        int mask = PollEvents.POLLOUT | PollEvents.POLLWRNORM;
        if (!((UdpSock) sk).receiveQueue.isEmpty()) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        return mask;
    }
}
