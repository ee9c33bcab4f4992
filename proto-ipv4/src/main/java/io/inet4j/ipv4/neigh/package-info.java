/**
 * Neighbours and ARP: the link-layer address of each IPv4 next hop ({@code net/core/neighbour.c} and
 * {@code net/ipv4/arp.c}).
 *
 * <p>{@link io.inet4j.ipv4.neigh.NeighTable} holds the entries and runs Neighbour Unreachability Detection
 * ({@link io.inet4j.ipv4.neigh.NudState}): resolution with a queue of waiting packets, reachability timers,
 * probes and garbage collection. {@link io.inet4j.ipv4.neigh.Arp} is the IPv4 side: it receives ARP frames,
 * answers requests for local addresses, sends the requests the table asks for, and is where IPv4 output hands a
 * packet for its next hop ({@link io.inet4j.ipv4.neigh.Arp#output}). Everything runs on the stack's loop.
 */
package io.inet4j.ipv4.neigh;
