package io.inet4j.ipv4.icmp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.hook.SockAddrContext;
import io.inet4j.ipv4.af.InetDgramOps;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.ipv4.InetContext;
import io.inet4j.net.Net;
import io.inet4j.protocol.InetProtosw;
import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;

/**
 * {@code ping_prot} ({@code net/ipv4/ping.c}): ICMP echo over a datagram socket. The application writes an
 * echo request (type 8, code 0, any payload); the stack sets the identifier to the socket's own and fills in
 * the checksum. Registered like Linux's entry: not permanent, port reuse allowed.
 */
@InetProtosw(type = SockType.SOCK_DGRAM, protocol = IpProto.IPPROTO_ICMP, ops = InetDgramOps.class,
        flags = InetProtosw.REUSE)
public final class PingProt implements io.inet4j.socket.Proto {
    private static final int MAX_PAYLOAD = 0xffff - Ipv4Header.MIN_LENGTH;

    private final InetContext ctx;
    private final Net net;
    private final PingTable table;
    private final Ipv4 ipv4;
    private final DevInet devinet;

    public PingProt(InetContext ctx) {
        this.ctx = ctx;
        this.net = ctx.net();
        this.table = PingTable.of(ctx);
        this.ipv4 = ctx.ip();
        this.devinet = ctx.devinet();
    }

    @Override public String name() { return "PING"; }

    @Override
    public Sock newSock(int type, int protocol) { return new PingSock(ctx, this, type, protocol); }

    @Override
    public void close(Sock sk, long timeoutNanos) {
        PingSock ps = (PingSock) sk;
        table.unhash(ps);
        ps.purge();
        ps.state = SockStates.TCP_CLOSE;
    }

    @Override
    public int getPort(Sock sk, int port) { return table.getPort((PingSock) sk, port); }

    @Override
    public void unhash(Sock sk) { table.unhash((PingSock) sk); }

    /** ping_bind: an address of ours (or any), and the port as the echo identifier. */
    @Override
    public int bind(Sock sk, SockAddr addr) {
        PingSock ps = (PingSock) sk;
        SockAddrIn in = (SockAddrIn) addr;
        if (in.address() != 0 && !devinet.isLocal(in.address())) return Errno.EADDRNOTAVAIL.neg();
        if (ps.num != 0) return Errno.EINVAL.neg();
        int err = table.getPort(ps, in.port());
        if (err < 0) return err;
        ps.rcvSaddr = ps.saddr = in.address();
        return 0;
    }

    /** ping_pre_connect: the INET4_CONNECT hooks, which may rewrite the peer. */
    @Override
    public int preConnect(Sock sk, SockAddr.Holder addr) { return SockAddrContext.runConnect(sk, addr); }

    /** ip4_datagram_connect: fixes the peer and the source address the route gives. */
    @Override
    public int connect(Sock sk, SockAddr addr) {
        if (!(addr instanceof SockAddrIn in)) return Errno.EAFNOSUPPORT.neg();
        PingSock ps = (PingSock) sk;
        int src = ipv4.sourceFor(in.address());
        if (src == 0) return Errno.ENETUNREACH.neg();
        if (ps.saddr == 0) ps.saddr = src;
        ps.daddr = in.address();
        ps.dport = 0;
        ps.state = SockStates.TCP_ESTABLISHED;
        return 0;
    }

    @Override
    public int disconnect(Sock sk, int flags) {
        PingSock ps = (PingSock) sk;
        ps.daddr = 0;
        ps.state = SockStates.TCP_CLOSE;
        if ((ps.userlocks & Sock.SOCK_BINDADDR_LOCK) == 0) ps.saddr = ps.rcvSaddr;
        return 0;
    }

    /** ping_v4_sendmsg. */
    @Override
    public int sendmsg(Sock sk, MsgHdr msg, int flags) {
        PingSock ps = (PingSock) sk;
        int len = msg.data.remaining();
        if (len > MAX_PAYLOAD) return Errno.EMSGSIZE.neg();
        if (len < IcmpHeader.LENGTH) return Errno.EINVAL.neg();
        int daddr;
        if (msg.name != null) {
            if (msg.name.family() != AddressFamily.AF_INET) return Errno.EAFNOSUPPORT.neg();
            daddr = ((SockAddrIn) msg.name).address();
        } else {
            if (ps.state != SockStates.TCP_ESTABLISHED) return Errno.EDESTADDRREQ.neg();
            daddr = ps.daddr;
        }
        int p = msg.data.position();
        if ((msg.data.get(p) & 0xff) != IcmpHeader.ECHO || msg.data.get(p + 1) != 0) return Errno.EINVAL.neg();
        if (devinet.isBroadcast(0, daddr) && !ps.broadcast) return Errno.EACCES.neg();
        PacketBuffer b = net.pool().allocate(len);
        int at = b.put(len);
        b.write(at, msg.data, len);
        IcmpHeader.setId(b, at, ps.num);
        IcmpHeader.updateChecksum(b, at, len);
        int err = ipv4.output(b, ps.saddr, daddr, IpProto.IPPROTO_ICMP, ps.tos, ps.ttl, false);
        if (err < 0) return err;
        net.mibs().icmp.inc(io.inet4j.mib.IcmpMib.OutMsgs);
        net.mibs().icmp.inc(io.inet4j.mib.IcmpMib.OutEchos);
        return len;
    }

    /** ping_recvmsg: one echo reply per call, truncated to the buffer with MSG_TRUNC set. */
    @Override
    public int recvmsg(Sock sk, MsgHdr msg, int flags) {
        PingSock ps = (PingSock) sk;
        if ((flags & MsgFlags.MSG_OOB) != 0) return Errno.EOPNOTSUPP.neg();
        if ((flags & MsgFlags.MSG_ERRQUEUE) != 0) return recvError(ps, msg);
        PacketBuffer b = (flags & MsgFlags.MSG_PEEK) != 0 ? ps.receiveQueue.peek() : ps.dequeue();
        if (b == null) {
            int err = ps.takeError();
            if (err != 0) return err;
            if ((ps.shutdown & Sock.RCV_SHUTDOWN) == 0) return Errno.EAGAIN.neg();
            msg.name = null; // end of input: no datagram, no sender (msg_namelen 0)
            return 0;
        }
        int len = b.length();
        int copied = Math.min(len, msg.data.remaining());
        b.read(b.data(), msg.data, copied);
        msg.flags = copied < len ? MsgFlags.MSG_TRUNC : 0;
        msg.name = SockAddrIn.sameOrNew(msg.name, Ipv4Header.saddr(b, b.networkHeader()), 0);
        if ((flags & MsgFlags.MSG_PEEK) == 0) b.release();
        return (flags & MsgFlags.MSG_TRUNC) != 0 ? len : copied;
    }

    /** MSG_ERRQUEUE: the oldest ICMP error as two bytes (type, code), the offender in {@code msg.name}. */
    private static int recvError(PingSock ps, MsgHdr msg) {
        PingSock.IcmpError e = ps.pollError();
        if (e == null) return Errno.EAGAIN.neg();
        msg.name = new SockAddrIn(e.offender(), 0);
        if (msg.data.remaining() < 2) {
            msg.flags = MsgFlags.MSG_ERRQUEUE | MsgFlags.MSG_TRUNC;
            return 0;
        }
        msg.flags = MsgFlags.MSG_ERRQUEUE;
        msg.data.put((byte) e.type());
        msg.data.put((byte) e.code());
        return 2;
    }

    @Override
    public int poll(Sock sk) {
        PingSock ps = (PingSock) sk;
        int mask = PollEvents.POLLOUT | PollEvents.POLLWRNORM;
        if (!ps.receiveQueue.isEmpty()) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if (!ps.errorQueue.isEmpty()) mask |= PollEvents.POLLERR;
        return mask;
    }
}
