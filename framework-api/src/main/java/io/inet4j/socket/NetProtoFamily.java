package io.inet4j.socket;

import io.inet4j.hook.Scope;
import io.inet4j.net.Net;

/** An address family's socket constructor ({@code struct net_proto_family}, e.g. {@code inet_family_ops}). */
public interface NetProtoFamily {
    int family();

    /**
     * Fills in {@code sock.ops} and {@code sock.sk} for (type, protocol), the socket belonging to {@code scope};
     * returns 0 or {@code -errno}.
     */
    int create(Net net, Socket sock, int protocol, boolean kern, Scope scope);
}
