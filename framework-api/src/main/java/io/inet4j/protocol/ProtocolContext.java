package io.inet4j.protocol;

/**
 * What a registered protocol gets from its family at stack start, as {@code inet_init()} hands its protocols the
 * IPv4 services; the generated tables pass it to the protocol's constructor.
 */
public interface ProtocolContext {
    /** The stack (network namespace) the protocol is created for. */
    io.inet4j.net.Net net();
}
