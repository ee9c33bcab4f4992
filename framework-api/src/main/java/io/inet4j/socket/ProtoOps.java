package io.inet4j.socket;

/**
 * A family's socket-call table ({@code struct proto_ops}, e.g. {@code inet_stream_ops}, {@code inet_dgram_ops}):
 * the socket-level half of each call, which switches on {@link Socket#state} and then calls the {@link Proto}.
 * Stateless and shared by all sockets of the kind. Calls run on the stack's loop and return {@code -errno}
 * on failure; blocking is layered above (they answer EAGAIN / EINPROGRESS and the caller sleeps).
 */
public interface ProtoOps {
    int family();

    int release(Socket sock);

    int bind(Socket sock, SockAddr addr);

    int connect(Socket sock, SockAddr addr, int flags);

    /** Takes an established connection off {@code sock} into {@code newSock}. */
    int accept(Socket sock, Socket newSock, int flags);

    int getname(Socket sock, SockAddr.Holder out, boolean peer);

    /** Readiness mask, {@link PollEvents} bits. */
    int poll(Socket sock);

    int listen(Socket sock, int backlog);

    int shutdown(Socket sock, int how);

    int setsockopt(Socket sock, int level, int optname, int value);

    int getsockopt(Socket sock, int level, int optname, int[] value);

    /**
     * A bytes-valued option ({@code sock_common_setsockopt}): no SOL_SOCKET option takes bytes yet, the rest go
     * to the protocol.
     */
    default int setsockopt(Socket sock, int level, int optname, byte[] optval) {
        if (level == SockOpt.SOL_SOCKET) return Errno.ENOPROTOOPT.neg();
        return sock.sk.prot.setsockopt(sock.sk, level, optname, optval);
    }

    /** Reads a bytes-valued option into {@code optval}; returns the length written or -errno. */
    default int getsockopt(Socket sock, int level, int optname, byte[] optval) {
        if (level == SockOpt.SOL_SOCKET) return Errno.ENOPROTOOPT.neg();
        return sock.sk.prot.getsockopt(sock.sk, level, optname, optval);
    }

    /**
     * ioctl(2) on the socket ({@code inet_ioctl}): the protocol answers the commands it knows
     * ({@link SockIoctl}), writing the result to {@code arg[0]}.
     */
    default int ioctl(Socket sock, int cmd, int[] arg) { return sock.sk.prot.ioctl(sock.sk, cmd, arg); }

    int sendmsg(Socket sock, MsgHdr msg, int flags);

    int recvmsg(Socket sock, MsgHdr msg, int flags);
}
