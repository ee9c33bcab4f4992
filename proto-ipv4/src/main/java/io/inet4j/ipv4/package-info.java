/**
 * <b>Plug-in API</b> of the AF_INET family: what a protocol from a jar the core never saw is handed
 * ({@link io.inet4j.ipv4.InetContext}) and may keep ({@link io.inet4j.ipv4.DatagramPorts}). The stack implements
 * the context with {@link io.inet4j.ipv4.NetnsIpv4}, its {@code struct netns_ipv4}.
 *
 * <p>The plug-in API is this package and {@code io.inet4j.protocol} (registration annotations and tables),
 * {@code io.inet4j.socket} ({@code Proto}, {@code ProtoOps}, {@code Sock}, {@code Errno}, addresses, message
 * headers), {@code io.inet4j.ipv4.af} ({@code InetSock} and the shared {@code InetDgramOps} / {@code InetStreamOps}
 * tables), {@code io.inet4j.buffer} ({@code PacketBuffer}), {@code io.inet4j.netdev} (the {@code Link} SPI),
 * {@code io.inet4j.tcp.cong} (congestion controls) and {@code io.inet4j.stack.SocketFd} (a blocking handle for a
 * plug-in's own sockets). Every other package is the stack's own and may change.
 */
package io.inet4j.ipv4;
