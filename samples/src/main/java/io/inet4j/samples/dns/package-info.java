/**
 * A DNS-style request/response over UDP on inet4j: {@link io.inet4j.samples.dns.NameServer} answers
 * {@link io.inet4j.samples.dns.NameQuery} lookups from a table; {@link io.inet4j.samples.dns.NameClient} asks
 * with a timeout and retries, as a stub resolver does.
 */
package io.inet4j.samples.dns;
