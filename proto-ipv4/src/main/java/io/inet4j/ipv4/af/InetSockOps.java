package io.inet4j.ipv4.af;

import io.inet4j.hook.AttachType;
import io.inet4j.hook.SockAddrContext;
import io.inet4j.hook.SockContext;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.Errno;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.ProtoOps;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockOptions;
import io.inet4j.socket.Socket;
import io.inet4j.socket.SocketState;

/**
 * What {@code inet_stream_ops}, {@code inet_dgram_ops} and {@code inet_sockraw_ops} share in
 * {@code net/ipv4/af_inet.c}: {@code inet_release}, {@code inet_bind}, {@code inet_getname},
 * {@code inet_shutdown}, the socket- and IP-level options, and the autobind before sending.
 */
public abstract class InetSockOps implements ProtoOps {
    private static final int SHUT_RD = 0;
    private static final int SHUT_RDWR = 2;

    @Override public final int family() { return AddressFamily.AF_INET; }

    @Override
    public int release(Socket sock) {
        Sock sk = sock.sk;
        if (sk == null) return 0;
        long linger = sk.lingerSeconds >= 0 ? sk.lingerSeconds * 1_000_000_000L : 0;
        sk.prot.close(sk, linger);
        sk.socket = null;
        sock.sk = null;
        sock.state = SocketState.SS_FREE;
        return 0;
    }

    /**
     * inet_bind: the family checks, then the protocol's own bind if it has one, else the INET4_BIND hooks (which
     * may rewrite the address, before any check as in {@code inet_bind_sk}) and {@link #inetBind}.
     */
    @Override
    public int bind(Socket sock, SockAddr addr) {
        if (!(addr instanceof SockAddrIn in)) {
            return addr != null && addr.family() == AddressFamily.AF_INET ? Errno.EINVAL.neg() : Errno.EAFNOSUPPORT.neg();
        }
        Sock sk = sock.sk;
        int r = sk.prot.bind(sk, addr);
        if (r != Errno.EOPNOTSUPP.neg()) return r;
        if (sk.scope.enabled(AttachType.INET4_BIND)) {
            SockAddrContext ctx = new SockAddrContext(sk, in);
            r = sk.scope.run(AttachType.INET4_BIND, ctx);
            if (r != 0) return r;
            in = ctx.userAddr();
        }
        return inetBind((InetSock) sk, in);
    }

    /** The {@code bpf_sock} view of {@code sk} for INET_SOCK_CREATE and INET4_POST_BIND hooks. */
    static SockContext sockContext(InetSock sk) { return new SockContext(sk, sk.rcvSaddr, sk.num, sk.daddr, sk.dport); }

    /** __inet_bind: address must be ours (or any/broadcast), port reserved through {@code get_port}. */
    public static int inetBind(InetSock sk, SockAddrIn addr) {
        int a = addr.address();
        DevInet devinet = sk.inet.devinet();
        boolean multicast = (a & 0xf0000000) == 0xe0000000;
        if (a != 0 && a != -1 && !multicast && !devinet.isLocal(a)) return Errno.EADDRNOTAVAIL.neg();
        if (sk.state != SockStates.TCP_CLOSE || sk.num != 0) return Errno.EINVAL.neg();
        sk.rcvSaddr = a;
        sk.saddr = multicast || a == -1 ? 0 : a;
        int err = sk.prot.getPort(sk, addr.port());
        if (err < 0) {
            sk.rcvSaddr = sk.saddr = 0;
            return err == Errno.EOPNOTSUPP.neg() ? 0 : Errno.EADDRINUSE.neg();
        }
        if (sk.scope.enabled(AttachType.INET4_POST_BIND)) {
            err = sk.scope.run(AttachType.INET4_POST_BIND, sockContext(sk));
            if (err != 0) {
                sk.rcvSaddr = sk.saddr = 0;
                sk.prot.putPort(sk);
                return err;
            }
        }
        if (a != 0) sk.userlocks |= Sock.SOCK_BINDADDR_LOCK;
        if (addr.port() != 0) sk.userlocks |= Sock.SOCK_BINDPORT_LOCK;
        sk.daddr = 0;
        sk.dport = 0;
        return 0;
    }

    /** inet_autobind: picks a local port (or echo identifier) before the first send. */
    protected static int autobind(InetSock sk) {
        if (sk.num != 0 || sk.prot.noAutobind()) return 0;
        int err = sk.prot.getPort(sk, 0);
        if (err == Errno.EOPNOTSUPP.neg()) return 0;
        return err < 0 ? Errno.EAGAIN.neg() : 0;
    }

    @Override
    public int getname(Socket sock, SockAddr.Holder out, boolean peer) {
        InetSock sk = (InetSock) sock.sk;
        if (peer) {
            if (sk.dport == 0 && sk.daddr == 0) return Errno.ENOTCONN.neg();
            out.value = new SockAddrIn(sk.daddr, sk.dport);
        } else {
            out.value = new SockAddrIn(sk.rcvSaddr != 0 ? sk.rcvSaddr : sk.saddr, sk.num);
        }
        return 0;
    }

    @Override
    public int poll(Socket sock) {
        Sock sk = sock.sk;
        int mask = sk.prot.poll(sk);
        if (sk.err != 0) mask |= PollEvents.POLLERR;
        if (sk.shutdown == Sock.SHUTDOWN_MASK) mask |= PollEvents.POLLHUP;
        if ((sk.shutdown & Sock.RCV_SHUTDOWN) != 0) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLRDHUP;
        return mask;
    }

    /** inet_shutdown: SHUT_RD, SHUT_WR or SHUT_RDWR become the RCV/SEND shutdown bits. */
    @Override
    public int shutdown(Socket sock, int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) return Errno.EINVAL.neg();
        Sock sk = sock.sk;
        int bits = how + 1;
        int err = sock.state == SocketState.SS_CONNECTED || sock.state == SocketState.SS_CONNECTING ? 0
                : Errno.ENOTCONN.neg();
        sk.shutdown |= bits;
        sk.prot.shutdown(sk, bits);
        sk.stateChange();
        return err;
    }

    @Override
    public int setsockopt(Socket sock, int level, int optname, int value) {
        Sock sk = sock.sk;
        if (level == SockOpt.SOL_SOCKET) return SockOptions.setsockopt(sk, optname, value);
        if (level == SockOpt.SOL_IP) {
            InetSock inet = (InetSock) sk;
            switch (optname) {
                case SockOpt.IP_TTL -> {
                    if (value != -1 && (value < 1 || value > 255)) return Errno.EINVAL.neg();
                    inet.ttl = (short) value;
                    return 0;
                }
                case SockOpt.IP_TOS -> {
                    inet.tos = (short) (value & 0xff);
                    return 0;
                }
                default -> {
                    return Errno.ENOPROTOOPT.neg();
                }
            }
        }
        return sk.prot.setsockopt(sk, level, optname, value);
    }

    @Override
    public int getsockopt(Socket sock, int level, int optname, int[] value) {
        Sock sk = sock.sk;
        if (level == SockOpt.SOL_SOCKET) return SockOptions.getsockopt(sk, optname, value);
        if (level == SockOpt.SOL_IP) {
            InetSock inet = (InetSock) sk;
            switch (optname) {
                case SockOpt.IP_TTL -> value[0] = inet.ttl;
                case SockOpt.IP_TOS -> value[0] = inet.tos;
                default -> {
                    return Errno.ENOPROTOOPT.neg();
                }
            }
            return 0;
        }
        return sk.prot.getsockopt(sk, level, optname, value);
    }

    @Override
    public int sendmsg(Socket sock, MsgHdr msg, int flags) {
        InetSock sk = (InetSock) sock.sk;
        int err = autobind(sk);
        if (err < 0) return err;
        return sk.prot.sendmsg(sk, msg, flags);
    }

    @Override
    public int recvmsg(Socket sock, MsgHdr msg, int flags) { return sock.sk.prot.recvmsg(sock.sk, msg, flags); }
}
