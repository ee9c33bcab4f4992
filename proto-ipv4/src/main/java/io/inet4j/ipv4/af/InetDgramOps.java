package io.inet4j.ipv4.af;

import io.inet4j.hook.AttachType;
import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.Errno;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.Socket;
import io.inet4j.socket.SocketState;

/**
 * The call table of datagram sockets ({@code inet_dgram_ops}; ping sockets use it too, as
 * {@code inet_sockraw_ops} differs only in poll): connect sets a default peer, AF_UNSPEC dissolves it, and
 * listen/accept do not apply.
 */
public final class InetDgramOps extends InetSockOps {
    public static final InetDgramOps INSTANCE = new InetDgramOps();

    /** inet_dgram_connect. */
    @Override
    public int connect(Socket sock, SockAddr addr, int flags) {
        if (addr == null) return Errno.EINVAL.neg();
        InetSock sk = (InetSock) sock.sk;
        if (addr.family() == AddressFamily.AF_UNSPEC) {
            int r = sk.prot.disconnect(sk, flags);
            sock.state = SocketState.SS_UNCONNECTED;
            return r;
        }
        if (sk.scope.enabled(AttachType.INET4_CONNECT)) { // BPF_CGROUP_PRE_CONNECT_ENABLED
            SockAddr.Holder to = new SockAddr.Holder();
            to.value = addr;
            int err = sk.prot.preConnect(sk, to);
            if (err != 0) return err;
            addr = to.value;
        }
        int err = autobind(sk);
        if (err < 0) return err;
        err = sk.prot.connect(sk, addr);
        if (err == 0) sock.state = SocketState.SS_CONNECTED;
        return err;
    }

    @Override
    public int accept(Socket sock, Socket newSock, int flags) { return Errno.EOPNOTSUPP.neg(); }

    @Override
    public int listen(Socket sock, int backlog) { return Errno.EOPNOTSUPP.neg(); }
}
