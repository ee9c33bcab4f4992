package io.inet4j.ipv4.af;

import io.inet4j.hook.AttachType;
import io.inet4j.hook.Scope;
import io.inet4j.net.Net;
import io.inet4j.protocol.InetProtosw;
import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.NetProtoFamily;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.socket.SocketState;

/** The AF_INET family ({@code inet_family_ops}): {@link #create} is {@code inet_create}. */
public final class InetFamily implements NetProtoFamily {
    private final InetSwitch inetsw;

    public InetFamily(InetSwitch inetsw) { this.inetsw = inetsw; }

    @Override public int family() { return AddressFamily.AF_INET; }

    @Override
    public int create(Net net, Socket sock, int protocol, boolean kern, Scope scope) {
        if (protocol < 0 || protocol > 255) return Errno.EINVAL.neg();
        sock.state = SocketState.SS_UNCONNECTED;
        int[] err = new int[1];
        InetSwitch.Entry answer = inetsw.lookup(sock.type, protocol, err);
        if (answer == null) return err[0];
        if (protocol == IpProto.IPPROTO_IP) protocol = answer.protocol();
        sock.ops = answer.ops();
        Sock sk = answer.prot().newSock(sock.type, protocol);
        sk.scope = scope;
        if ((answer.flags() & InetProtosw.REUSE) != 0) sk.reuse = true;
        if (sk instanceof InetSock inet) {
            inet.isIcsk = (answer.flags() & InetProtosw.ICSK) != 0;
            if (sock.type == SockType.SOCK_RAW) inet.num = protocol;
        }
        sock.sk = sk;
        sk.socket = sock;
        if (sk instanceof InetSock inet && inet.num != 0) {
            int e = sk.prot.hash(sk);
            if (e < 0) return e;
        }
        int e = sk.prot.init(sk);
        if (e == 0 && !kern && scope.enabled(AttachType.INET_SOCK_CREATE)) {
            e = scope.run(AttachType.INET_SOCK_CREATE, InetSockOps.sockContext((InetSock) sk));
        }
        if (e < 0) {
            sk.prot.close(sk, 0); // out_sk_release
            sk.socket = null;
            sock.sk = null;
            return e;
        }
        return 0;
    }
}
