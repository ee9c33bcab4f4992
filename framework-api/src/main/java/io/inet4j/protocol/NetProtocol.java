package io.inet4j.protocol;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the receive handler of an IP protocol number ({@code struct net_protocol} in {@code inet_protos[]},
 * e.g. {@code tcp_v4_rcv}, {@code icmp_rcv}) on a {@link NetProtocolHandler}. The processor generates
 * {@code Foo_NetProtocol} ({@link NetProtocolTable}) and its services line.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface NetProtocol {
    /** The IP protocol number, 1..255. */
    int protocol();
}
