package io.inet4j.protocol;

import io.inet4j.net.Net;

/**
 * What a protocol family hands the protocols it registers, the typed analog of what {@code inet_init()} and
 * {@code sock_net(sk)} give a Linux protocol. This base carries the stack itself (loop, buffer pool, sysctls,
 * MIB counters, devices, per-stack state with {@link Net#generic}); a family extends it with its own layer's
 * services (AF_INET's {@code InetContext}: IP output, routing, addresses, ICMP).
 *
 * <p>A protocol's constructor takes the family's context (or nothing); its generated table passes it.
 */
public interface ProtocolContext {
    /** The stack this protocol instance serves. */
    Net net();

    /**
     * Where the stack found its protocol tables; a protocol that keeps a registry of its own (TCP's congestion
     * controls) looks there too, so one class path decides what a stack has.
     */
    ClassLoader classLoader();
}
