/**
 * <b>Plug-in API</b>: how a protocol registers ({@code struct inet_protosw} rows and {@code inet_protos[]}
 * entries, declared with {@link io.inet4j.protocol.InetProtosw} and {@link io.inet4j.protocol.NetProtocol}; the
 * inet4j processor writes the tables and their {@code META-INF/services} lines) and what its family hands it
 * ({@link io.inet4j.protocol.ProtocolContext}; for AF_INET, {@code io.inet4j.ipv4.InetContext}).
 */
package io.inet4j.protocol;
