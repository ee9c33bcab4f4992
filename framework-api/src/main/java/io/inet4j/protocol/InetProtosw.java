package io.inet4j.protocol;

import io.inet4j.socket.ProtoOps;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an entry of the AF_INET switch table ({@code struct inet_protosw} in {@code inetsw_array}): sockets of
 * {@link #type} and {@link #protocol} are served by the annotated {@link io.inet4j.socket.Proto} with the
 * socket-call table {@link #ops}.
 *
 * <p>The inet4j annotation processor turns each annotated class {@code Foo} into a generated
 * {@code Foo_Inetsw} ({@link InetProtoswTable}) plus its {@code META-INF/services} line, so a protocol in any
 * jar on the class path is registered at stack start. The class needs a public constructor taking either
 * nothing or the family's context ({@link ProtocolContext} or a subtype, for AF_INET proto-ipv4's
 * {@code InetContext}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface InetProtosw {
    /** Reuse of the local port is allowed ({@code INET_PROTOSW_REUSE}). */
    int REUSE = 0x01;
    /** Cannot be overridden or removed ({@code INET_PROTOSW_PERMANENT}). */
    int PERMANENT = 0x02;
    /** A connection-oriented protocol using {@code inet_connection_sock} ({@code INET_PROTOSW_ICSK}). */
    int ICSK = 0x04;

    /** {@link io.inet4j.socket.SockType} constant. */
    int type();

    /** {@link io.inet4j.socket.IpProto} constant; never {@code IPPROTO_IP} (that means "any" in socket()). */
    int protocol();

    /**
     * The socket-call table: a class with a public no-argument constructor or a {@code public static final
     * INSTANCE} field. Left at its default, the processor reports it as missing.
     */
    Class<? extends ProtoOps> ops() default ProtoOps.class;

    /** {@link #REUSE}, {@link #PERMANENT}, {@link #ICSK}. */
    int flags() default 0;
}
