package io.inet4j.tcp;

import io.inet4j.ipv4.af.InetSock;
import io.inet4j.ipv4.hash.InetHashinfo;
import io.inet4j.ipv4.hash.InetTimewaitSock;
import io.inet4j.ipv4.hash.TimewaitCheck;
import io.inet4j.socket.Sock;

/**
 * TCP's use of the inet hash tables ({@code tcp_hashinfo}): ports, the established and listening hashes and
 * TIME_WAIT entries, with TCP's rules on top — when a closing socket lets go of its port
 * ({@code tcp_set_state}) and whether a TIME_WAIT 4-tuple may be reused ({@code tcp_twsk_unique}).
 */
final class TcpHashes implements TimewaitCheck {
    private final InetHashinfo h;

    TcpHashes(Tcp tcp) {
        this.h = new InetHashinfo(tcp.net, tcp.ipv4.sysctls(), tcp.isn::secureIpv4PortEphemeral);
    }

    int getPort(TcpSock tp, int port) { return h.inetCskGetPort(tp, port); }

    /** inet_put_port. */
    void putPort(TcpSock tp) { h.inetPutPort(tp); }

    int hashConnect(TcpSock tp) { return h.inetHashConnect(tp, this); }

    int listenStart(TcpSock tp) { return h.inetCskListenStart(tp); }

    void inheritPort(TcpSock listener, TcpSock child) { h.inetInheritPort(listener, child); }

    void ehashInsert(TcpSock tp) { h.ehashInsert(tp); }

    Object lookupEstablished(int raddr, int rport, int laddr, int lport, int ifindex) {
        return h.lookupEstablished(raddr, rport, laddr, lport, ifindex);
    }

    TcpSock lookupListener(int raddr, int rport, int laddr, int lport, int ifindex) {
        return (TcpSock) h.lookupListener(raddr, rport, laddr, lport, ifindex);
    }

    /**
     * The unhash of {@code tcp_set_state(TCP_CLOSE)}: out of the lookup tables, and the port released unless the
     * application bound it explicitly (then it is held until the socket is destroyed).
     */
    void unhash(TcpSock tp) {
        h.inetUnhash(tp);
        if ((tp.userlocks & Sock.SOCK_BINDPORT_LOCK) == 0) h.inetPutPort(tp);
    }

    /** What destroying a socket releases: every table entry and the port. */
    void release(TcpSock tp) {
        h.inetUnhash(tp);
        h.inetPutPort(tp);
    }

    void timewaitHashdance(TcpSock tp, TcpTimewaitSock tw, long timeoNanos) { h.inetTwskHashdance(tw, tp, timeoNanos); }

    void timewaitKill(TcpTimewaitSock tw) { h.inetTwskKill(tw); }

    void timewaitReschedule(TcpTimewaitSock tw, long timeoNanos) { h.inetTwskReschedule(tw, timeoNanos); }

    int timewaitCount() { return h.timewaitCount(); }

    /**
     * tcp_twsk_unique: Linux reuses a TIME_WAIT 4-tuple only when timestamps tell the incarnations apart; inet4j
     * does not negotiate timestamps yet, so it never does.
     */
    @Override
    public boolean unique(InetSock sk, InetTimewaitSock tw, boolean portWasBound) { return false; }

    @Override
    public boolean mayReuse(InetSock sk) { return false; }
}
