package io.inet4j.tcp.cong;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a {@link TcpCongestionOps} under a name, as {@code tcp_register_congestion_control} adds to
 * {@code tcp_cong_list}: the processor writes {@code <Name>_TcpCongestion}, a {@link TcpCongestionTable}, and its
 * {@code META-INF/services} entry. The class needs a public no-argument constructor; each socket gets its own
 * instance.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TcpCongestion {
    /** The name {@code net.ipv4.tcp_congestion_control} and {@code TCP_CONGESTION} select it by (under 16 chars). */
    String value();
}
