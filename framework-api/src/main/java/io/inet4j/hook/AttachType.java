package io.inet4j.hook;

import java.util.List;
import java.util.Locale;

/**
 * Where a scope's hooks attach: the analog of the kernel's {@code enum cgroup_bpf_attach_type}
 * ({@code CGROUP_INET_SOCK_CREATE}, {@code CGROUP_INET4_CONNECT}, ...), each typed by the context its hooks see
 * ({@code struct bpf_sock}, {@code bpf_sock_addr}, {@code bpf_sock_ops}). Parsed from the kernel's constant name or
 * the name {@code bpftool cgroup attach} takes ({@code connect4}, {@code sock_ops}, ...).
 *
 * @param <C> the context a hook at this point receives
 */
public final class AttachType<C> {
    /** inet_create, after the protocol's init ({@code BPF_CGROUP_INET_SOCK_CREATE}); deny: EPERM, socket released. */
    public static final AttachType<SockContext> INET_SOCK_CREATE =
            new AttachType<>(0, "INET_SOCK_CREATE", "sock_create", SockContext.class);
    /** inet_bind, before any check; may rewrite the address and port ({@code BPF_CGROUP_INET4_BIND}). */
    public static final AttachType<SockAddrContext> INET4_BIND =
            new AttachType<>(1, "INET4_BIND", "bind4", SockAddrContext.class);
    /** __inet_bind, once the port is taken; deny: unbound again, EPERM ({@code BPF_CGROUP_INET4_POST_BIND}). */
    public static final AttachType<SockContext> INET4_POST_BIND =
            new AttachType<>(2, "INET4_POST_BIND", "post_bind4", SockContext.class);
    /** The protocol's pre_connect; may rewrite the destination ({@code BPF_CGROUP_INET4_CONNECT}). */
    public static final AttachType<SockAddrContext> INET4_CONNECT =
            new AttachType<>(3, "INET4_CONNECT", "connect4", SockAddrContext.class);
    /** A datagram protocol's sendmsg to an explicit destination ({@code BPF_CGROUP_UDP4_SENDMSG}). */
    public static final AttachType<SockAddrContext> UDP4_SENDMSG =
            new AttachType<>(4, "UDP4_SENDMSG", "sendmsg4", SockAddrContext.class);
    /**
     * A datagram protocol's recvmsg: may rewrite the source address reported ({@code BPF_CGROUP_UDP4_RECVMSG}); it
     * cannot refuse the datagram (the kernel's verifier makes such programs return 1), so the caller ignores the
     * verdict.
     */
    public static final AttachType<SockAddrContext> UDP4_RECVMSG =
            new AttachType<>(5, "UDP4_RECVMSG", "recvmsg4", SockAddrContext.class);
    /** TCP's callbacks ({@code BPF_CGROUP_SOCK_OPS}); see {@link SockOp}. */
    public static final AttachType<SockOpsContext> SOCK_OPS =
            new AttachType<>(6, "SOCK_OPS", "sock_ops", SockOpsContext.class);

    private static final List<AttachType<?>> VALUES =
            List.of(INET_SOCK_CREATE, INET4_BIND, INET4_POST_BIND, INET4_CONNECT, UDP4_SENDMSG, UDP4_RECVMSG, SOCK_OPS);

    private final int ordinal;
    private final String name;
    private final String bpftoolName;
    private final Class<C> contextType;

    private AttachType(int ordinal, String name, String bpftoolName, Class<C> contextType) {
        this.ordinal = ordinal;
        this.name = name;
        this.bpftoolName = bpftoolName;
        this.contextType = contextType;
    }

    /** Every attach type, in declaration order. */
    public static List<AttachType<?>> values() { return VALUES; }

    /** The attach type named {@code s}: the constant name or bpftool's, any case; IllegalArgumentException else. */
    public static AttachType<?> parse(String s) {
        for (AttachType<?> t : VALUES) {
            if (t.name.equalsIgnoreCase(s) || t.bpftoolName.equalsIgnoreCase(s)) return t;
        }
        throw new IllegalArgumentException("no attach type " + s + "; one of " + VALUES.stream()
                .map(t -> t.bpftoolName).toList());
    }

    public int ordinal() { return ordinal; }

    public String name() { return name; }

    /** The name {@code bpftool cgroup attach} uses ({@code connect4}). */
    public String bpftoolName() { return bpftoolName; }

    public Class<C> contextType() { return contextType; }

    @Override
    public String toString() { return name.toLowerCase(Locale.ROOT).equals(bpftoolName) ? name : name + "(" + bpftoolName + ")"; }
}
