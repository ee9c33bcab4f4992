package io.inet4j.samples.protocol;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.af.InetDgramOps;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.net.Net;
import io.inet4j.protocol.InetProtosw;
import io.inet4j.socket.AddressFamily;
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
 * handler's ({@link MiniDgramRcv}); {@code socket(AF_INET, SOCK_DGRAM, 253)} then just works.
 */
@InetProtosw(type = SockType.SOCK_DGRAM, protocol = IpProto.IPPROTO_EXPERIMENT1, ops = InetDgramOps.class)
public final class MiniDgramProt implements Proto {
    static final int HEADER = 4;

    private final Net net;
    private final MiniDgramTable table;

    public MiniDgramProt(Net net) {
        this.net = net;
        this.table = MiniDgramTable.of(net);
    }

    @Override public String name() { return "MINIDGRAM"; }

    @Override
    public Sock newSock(int type, int protocol) { return new MiniDgramSock(net, this, type, protocol); }

    @Override
    public void close(Sock sk, long timeoutNanos) {
        MiniDgramSock s = (MiniDgramSock) sk;
        table.unhash(s);
        s.purge();
    }

    @Override
    public int getPort(Sock sk, int port) { return table.getPort((MiniDgramSock) sk, port); }

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
        int daddr;
        int dport;
        if (msg.name != null) {
            if (msg.name.family() != AddressFamily.AF_INET) return Errno.EAFNOSUPPORT.neg();
            daddr = ((SockAddrIn) msg.name).address();
            dport = ((SockAddrIn) msg.name).port();
        } else if (s.state == SockStates.TCP_ESTABLISHED) {
            daddr = s.daddr;
            dport = s.dport;
        } else {
            return Errno.EDESTADDRREQ.neg();
        }
        int len = msg.data.remaining();
        if (len > 0xffff - 20 - HEADER) return Errno.EMSGSIZE.neg();
        PacketBuffer b = net.pool().allocate(HEADER + len);
        int at = b.put(HEADER + len);
        b.setShort(at, s.num);
        b.setShort(at + 2, dport);
        b.write(at + HEADER, msg.data, len);
        int err = net.service(Ipv4.class).output(b, s.saddr, daddr, IpProto.IPPROTO_EXPERIMENT1, s.tos, s.ttl, false);
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
