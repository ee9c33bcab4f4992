package io.inet4j.samples.protocol;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.DatagramPorts;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.af.InetDgramOps;
import io.inet4j.ipv4.af.SockStates;
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

/**
 * A protocol the core never heard of: "mini datagrams" over IP protocol 253 (reserved for experiments, RFC
 * 3692), a 4-byte header of source and destination port before the payload. It lives in this samples jar and
 * is found at stack start only through its generated table ({@code MiniDgramProt_Inetsw}) and the receive
 * handler's ({@link MiniDgramRcv}); {@code socket(AF_INET, SOCK_DGRAM, 253)} then just works. Everything it
 * needs from the stack comes through its {@link InetContext}.
 */
@InetProtosw(type = SockType.SOCK_DGRAM, protocol = IpProto.IPPROTO_EXPERIMENT1, ops = InetDgramOps.class)
public final class MiniDgramProt implements Proto {
    static final int HEADER = 4;

    private final InetContext ctx;
    private final Ports ports;

    /** The stack's one port table of this protocol, shared with the receive side. */
    static final class Ports extends DatagramPorts<MiniDgramSock> {
        Ports() { super(49152, 65535); }

        static Ports of(InetContext ctx) { return ctx.generic(Ports.class, c -> new Ports()); }
    }

    public MiniDgramProt(InetContext ctx) {
        this.ctx = ctx;
        this.ports = Ports.of(ctx);
    }

    @Override public String name() { return "MINIDGRAM"; }

    @Override
    public Sock newSock(int type, int protocol) { return new MiniDgramSock(ctx, this, type, protocol); }

    @Override
    public void close(Sock sk, long timeoutNanos) {
        MiniDgramSock s = (MiniDgramSock) sk;
        ports.unhash(s);
        s.queue.clear();
    }

    @Override
    public int getPort(Sock sk, int port) { return ports.getPort((MiniDgramSock) sk, port); }

    @Override
    public int connect(Sock sk, SockAddr addr) {
        if (!(addr instanceof SockAddrIn in)) return Errno.EAFNOSUPPORT.neg();
        MiniDgramSock s = (MiniDgramSock) sk;
        s.daddr = in.address();
        s.dport = in.port();
        s.state = SockStates.TCP_ESTABLISHED;
        return 0;
    }

    @Override
    public int disconnect(Sock sk, int flags) {
        MiniDgramSock s = (MiniDgramSock) sk;
        s.daddr = s.dport = 0;
        s.state = SockStates.TCP_CLOSE;
        return 0;
    }

    @Override
    public int sendmsg(Sock sk, MsgHdr msg, int flags) {
        MiniDgramSock s = (MiniDgramSock) sk;
        SockAddrIn to = msg.name instanceof SockAddrIn in ? in
                : s.state == SockStates.TCP_ESTABLISHED ? new SockAddrIn(s.daddr, s.dport) : null;
        if (to == null) return msg.name != null ? Errno.EAFNOSUPPORT.neg() : Errno.EDESTADDRREQ.neg();
        int len = msg.data.remaining();
        if (len > 0xffff - 20 - HEADER) return Errno.EMSGSIZE.neg();
        PacketBuffer b = ctx.pool().allocate(HEADER + len);
        int at = b.put(HEADER + len);
        b.setShort(at, s.num);
        b.setShort(at + 2, to.port());
        b.write(at + HEADER, msg.data, len);
        int err = ctx.ip().output(b, s.saddr, to.address(), IpProto.IPPROTO_EXPERIMENT1, s.tos, s.ttl, false);
        return err < 0 ? err : len;
    }

    @Override
    public int recvmsg(Sock sk, MsgHdr msg, int flags) {
        MiniDgramSock s = (MiniDgramSock) sk;
        MiniDgramSock.Datagram d = (flags & MsgFlags.MSG_PEEK) != 0 ? s.queue.peek() : s.queue.poll();
        if (d == null) return Errno.EAGAIN.neg();
        int n = Math.min(d.payload().length, msg.data.remaining());
        msg.data.put(d.payload(), 0, n);
        msg.flags = n < d.payload().length ? MsgFlags.MSG_TRUNC : 0;
        msg.name = new SockAddrIn(d.from(), d.port());
        return n;
    }

    @Override
    public int poll(Sock sk) {
        return PollEvents.POLLOUT | (((MiniDgramSock) sk).queue.isEmpty() ? 0 : PollEvents.POLLIN);
    }
}
