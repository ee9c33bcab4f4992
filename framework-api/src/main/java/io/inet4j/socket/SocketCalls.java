package io.inet4j.socket;

import java.util.function.IntSupplier;

/**
 * The system-call layer above a family's {@link ProtoOps} ({@code net/socket.c}'s {@code __sys_bind},
 * {@code __sys_connect}, ...): each call asks the stack's security modules ({@code security_socket_*}, see
 * {@link io.inet4j.hook.SocketSecurity}) and then runs the operation. Every API that offers socket calls to
 * applications goes through here, so a security module sees them all. Loop thread, like the operations.
 *
 * <p>The calls that block (accept, sendmsg, recvmsg) come as an {@link IntSupplier} that a blocking wrapper runs
 * again after each EAGAIN: the security check runs on its first run only, once per system call as in Linux.
 */
public final class SocketCalls {
    private SocketCalls() {}

    /** bind(2). */
    public static int bind(Socket sock, SockAddr addr) {
        int err = sock.sk.net.hooks().securitySocketBind(sock, addr);
        return err != 0 ? err : sock.ops.bind(sock, addr);
    }

    /** connect(2). */
    public static int connect(Socket sock, SockAddr addr, int flags) {
        int err = sock.sk.net.hooks().securitySocketConnect(sock, addr);
        return err != 0 ? err : sock.ops.connect(sock, addr, flags);
    }

    /** listen(2). */
    public static int listen(Socket sock, int backlog) {
        int err = sock.sk.net.hooks().securitySocketListen(sock, backlog);
        return err != 0 ? err : sock.ops.listen(sock, backlog);
    }

    /** accept(2): checked with {@code newSock} still empty, before the first wait. */
    public static IntSupplier accept(Socket sock, Socket newSock, int flags) {
        return checkedOnce(() -> sock.sk.net.hooks().securitySocketAccept(sock, newSock),
                () -> sock.ops.accept(sock, newSock, flags));
    }

    /** sendmsg(2) (sock_sendmsg). */
    public static IntSupplier sendmsg(Socket sock, MsgHdr msg, int flags) {
        return checkedOnce(() -> sock.sk.net.hooks().securitySocketSendmsg(sock, msg), () -> sock.ops.sendmsg(sock, msg, flags));
    }

    /** recvmsg(2) (sock_recvmsg). */
    public static IntSupplier recvmsg(Socket sock, MsgHdr msg, int flags) {
        return checkedOnce(() -> sock.sk.net.hooks().securitySocketRecvmsg(sock, msg, flags),
                () -> sock.ops.recvmsg(sock, msg, flags));
    }

    private static IntSupplier checkedOnce(IntSupplier security, IntSupplier op) {
        return new IntSupplier() {
            private boolean checked;

            @Override
            public int getAsInt() {
                if (!checked) {
                    int err = security.getAsInt();
                    if (err != 0) return err;
                    checked = true;
                }
                return op.getAsInt();
            }
        };
    }
}
