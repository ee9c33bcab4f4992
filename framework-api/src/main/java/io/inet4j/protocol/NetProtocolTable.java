package io.inet4j.protocol;

/** One generated entry of {@code inet_protos[]}, found with {@link java.util.ServiceLoader}. */
public interface NetProtocolTable {
    int protocol();

    /** The handler class's name, for listings. */
    String name();

    NetProtocolHandler newHandler(ProtocolContext ctx);
}
