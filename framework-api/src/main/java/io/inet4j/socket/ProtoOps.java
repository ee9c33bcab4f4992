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

    int sendmsg(Socket sock, MsgHdr msg, int flags);

    int recvmsg(Socket sock, MsgHdr msg, int flags);
}
