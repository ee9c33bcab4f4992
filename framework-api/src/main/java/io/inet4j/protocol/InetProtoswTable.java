package io.inet4j.protocol;

import io.inet4j.socket.Proto;
import io.inet4j.socket.ProtoOps;

/**
 * One generated row of the AF_INET switch table ({@code inet_protosw}), found with {@link java.util.ServiceLoader}.
 * Written by the processor for each {@link InetProtosw}; hand-written ones work the same way.
 */
public interface InetProtoswTable {
    int type();

    int protocol();

    int flags();

    /** The protocol class's name, for listings and error messages. */
    String name();

    /** A new instance of the protocol for one stack. */
    Proto newProto(ProtocolContext ctx);

    /** The shared socket-call table. */
    ProtoOps ops();
}
