package io.inet4j.ipv4.af;

import io.inet4j.hook.AttachType;
import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.Errno;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.Socket;
import io.inet4j.socket.SocketState;

/**
 * The call table of stream sockets ({@code inet_stream_ops}): {@code inet_stream_connect} with its socket-state
 * switch, {@code inet_listen}, {@code inet_accept}. Blocking is layered above: connect answers
 * {@code -EINPROGRESS} while the handshake runs, and a second call after it settles reports the outcome, exactly
 * as a second {@code connect()} does on Linux after a non-blocking one.
 */
public final class InetStreamOps extends InetSockOps {
    public static final InetStreamOps INSTANCE = new InetStreamOps();

    private static final int CONNECTING = (1 << SockStates.TCP_SYN_SENT) | (1 << SockStates.TCP_SYN_RECV);

    /** __inet_stream_connect. */
    @Override
    public int connect(Socket sock, SockAddr addr, int flags) {
        Sock sk = sock.sk;
        if (addr != null && addr.family() == AddressFamily.AF_UNSPEC) {
            int err = sk.prot.disconnect(sk, flags);
            sock.state = err != 0 ? SocketState.SS_DISCONNECTING : SocketState.SS_UNCONNECTED;
            return err;
        }
        int err;
        switch (sock.state) {
            case SS_CONNECTED -> {
                return Errno.EISCONN.neg();
            }
            case SS_CONNECTING -> err = Errno.EALREADY.neg();
            case SS_UNCONNECTED -> {
                if (sk.state != SockStates.TCP_CLOSE) return Errno.EISCONN.neg();
                if (addr == null) return Errno.EINVAL.neg();
                if (!(addr instanceof SockAddrIn)) return Errno.EAFNOSUPPORT.neg();
                if (sk.scope.enabled(AttachType.INET4_CONNECT)) { // BPF_CGROUP_PRE_CONNECT_ENABLED
                    SockAddr.Holder to = new SockAddr.Holder();
                    to.value = addr;
                    err = sk.prot.preConnect(sk, to);
                    if (err != 0) return err;
                    addr = to.value;
                }
                err = sk.prot.connect(sk, addr);
                if (err < 0) return err;
                sock.state = SocketState.SS_CONNECTING;
                err = Errno.EINPROGRESS.neg();
            }
            default -> {
                return Errno.EINVAL.neg();
            }
        }
        if (((1 << sk.state) & CONNECTING) != 0) return err;
        if (sk.state == SockStates.TCP_CLOSE) {
            int e = sk.takeError();
            sock.state = SocketState.SS_UNCONNECTED;
            if (sk.prot.disconnect(sk, flags) != 0) sock.state = SocketState.SS_DISCONNECTING;
            return e != 0 ? e : Errno.ECONNABORTED.neg();
        }
        sock.state = SocketState.SS_CONNECTED;
        return 0;
    }

    /** True while a connect started by {@link #connect} is still in its handshake. */
    public static boolean connecting(Socket sock) {
        return sock.sk != null && ((1 << sock.sk.state) & CONNECTING) != 0;
    }

    /** inet_listen: only an unconnected stream socket in CLOSE or LISTEN; a listener may change its backlog. */
    @Override
    public int listen(Socket sock, int backlog) {
        InetConnectionSock sk = (InetConnectionSock) sock.sk;
        if (sock.state != SocketState.SS_UNCONNECTED) return Errno.EINVAL.neg();
        if (sk.state != SockStates.TCP_CLOSE && sk.state != SockStates.TCP_LISTEN) return Errno.EINVAL.neg();
        int somaxconn = sk.net.coreSysctls().somaxconn.get();
        sk.maxAckBacklog = Math.max(0, Math.min(backlog, somaxconn));
        if (sk.state != SockStates.TCP_LISTEN) {
            int err = sk.prot.hash(sk);
            if (err < 0) return err;
        }
        return 0;
    }

    /** inet_accept: an established child becomes {@code newSock}, SS_CONNECTED. */
    @Override
    public int accept(Socket sock, Socket newSock, int flags) {
        int[] err = new int[1];
        Sock child = sock.sk.prot.accept(sock.sk, flags, err);
        if (child == null) return err[0];
        newSock.ops = sock.ops;
        newSock.sk = child;
        child.socket = newSock;
        newSock.state = SocketState.SS_CONNECTED;
        return 0;
    }
}
