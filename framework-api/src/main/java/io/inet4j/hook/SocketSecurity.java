package io.inet4j.hook;

import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.Socket;

/**
 * A security module's socket hooks: the analog of the LSM hooks {@code security_socket_create}, {@code _bind},
 * {@code _connect}, {@code _listen}, {@code _accept}, {@code _sendmsg} and {@code _recvmsg}, called by the
 * system-call layer ({@code io.inet4j.socket.SocketCalls}, as {@code net/socket.c} calls them) before the
 * family's operation. Each returns 0 to let the call go on or {@code -errno} (a positive errno is taken as its
 * negative) to fail it. Modules stack ({@link Hooks#addSecurity}); the first that refuses decides. They run on the
 * stack's loop and are contained like hooks.
 */
public interface SocketSecurity {
    /** socket(2), before the socket exists; {@code scope} is the one it would belong to. */
    default int socketCreate(Scope scope, int family, int type, int protocol, boolean kern) { return 0; }

    default int socketBind(Socket sock, SockAddr address) { return 0; }

    default int socketConnect(Socket sock, SockAddr address) { return 0; }

    default int socketListen(Socket sock, int backlog) { return 0; }

    /** accept(2), before it waits; {@code newSock} is the still-empty socket the connection will be put in. */
    default int socketAccept(Socket sock, Socket newSock) { return 0; }

    default int socketSendmsg(Socket sock, MsgHdr msg) { return 0; }

    default int socketRecvmsg(Socket sock, MsgHdr msg, int flags) { return 0; }
}
