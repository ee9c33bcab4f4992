package io.inet4j.ipv4.hash;

/**
 * {@code secure_ipv4_port_ephemeral(saddr, daddr, dport)}: a keyed 64-bit hash of the connection's destination
 * (RFC 6056 algorithm 4). Its low bits pick the perturbation slot, its high 32 bits the starting offset, so a peer
 * cannot predict our next source port. TCP passes its SipHash ({@code TcpIsn::secureIpv4PortEphemeral}).
 */
@FunctionalInterface
public interface EphemeralPortOffset {
    long portOffset(int saddr, int daddr, int dport);
}
