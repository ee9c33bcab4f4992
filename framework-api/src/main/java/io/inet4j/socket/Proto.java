package io.inet4j.socket;

import java.util.List;

/**
 * A transport protocol's socket operations ({@code struct proto}, e.g. {@code tcp_prot}, {@code ping_prot}).
 * The family's {@link ProtoOps} handle the socket-level part of a call and delegate here. One instance per
 * stack; register it with {@code @InetProtosw}.
 *
 * <p>Calls run on the stack's loop and return {@code 0} / a count, or {@code -errno}. Defaults answer
 * EOPNOTSUPP, as the kernel does for a missing function pointer.
 */
public interface Proto {
    /** The protocol's name as {@code /proc/net/protocols} shows it ({@code TCP}, {@code PING}). */
    String name();

    /** sk_alloc with this protocol's {@code obj_size}: a new socket, not yet initialised. */
    Sock newSock(int type, int protocol);

    /** sk_prot->init. */
    default int init(Sock sk) { return 0; }

    /** sk_prot->close: the application let go of the socket; {@code timeoutNanos} is the linger time. */
    void close(Sock sk, long timeoutNanos);

    /**
     * sk_prot->pre_connect: runs the INET4_CONNECT hooks of the socket's scope on {@code addr.value} after the
     * protocol's own address checks (as {@code tcp_v4_pre_connect}), which may rewrite it; the caller then
     * connects to what {@code addr.value} holds. Called only when a hook is attached there
     * ({@code BPF_CGROUP_PRE_CONNECT_ENABLED}). Returns 0 or {@code -errno} (EPERM when a hook denied).
     */
    default int preConnect(Sock sk, SockAddr.Holder addr) { return 0; }

    default int connect(Sock sk, SockAddr addr) { return Errno.EOPNOTSUPP.neg(); }

    default int disconnect(Sock sk, int flags) { return Errno.EOPNOTSUPP.neg(); }

    /** sk_prot->accept: an established child, or null with {@code err[0]} set to {@code -errno}. */
    default Sock accept(Sock sk, int flags, int[] err) {
        err[0] = Errno.EOPNOTSUPP.neg();
        return null;
    }

    default void shutdown(Sock sk, int how) {}

    default int setsockopt(Sock sk, int level, int optname, int value) { return Errno.ENOPROTOOPT.neg(); }

    default int getsockopt(Sock sk, int level, int optname, int[] value) { return Errno.ENOPROTOOPT.neg(); }

    /** An option whose value is bytes, not an int (Linux's char-buffer options such as TCP_CONGESTION). */
    default int setsockopt(Sock sk, int level, int optname, byte[] optval) { return Errno.ENOPROTOOPT.neg(); }

    /** Fills {@code optval} with a bytes-valued option; returns the length written ({@code optlen}) or -errno. */
    default int getsockopt(Sock sk, int level, int optname, byte[] optval) { return Errno.ENOPROTOOPT.neg(); }

    default int sendmsg(Sock sk, MsgHdr msg, int flags) { return Errno.EOPNOTSUPP.neg(); }

    default int recvmsg(Sock sk, MsgHdr msg, int flags) { return Errno.EOPNOTSUPP.neg(); }

    /** sk_prot->bind, for protocols that bind themselves (raw sockets); null-equivalent: inet_bind does it. */
    default int bind(Sock sk, SockAddr addr) { return Errno.EOPNOTSUPP.neg(); }

    /** sk_prot->get_port: reserve {@code port} (0 = pick one) for {@code sk}. */
    default int getPort(Sock sk, int port) { return Errno.EOPNOTSUPP.neg(); }

    /** sk_prot->put_port: gives back the port {@link #getPort} reserved (an INET4_POST_BIND hook denied the bind). */
    default void putPort(Sock sk) {}

    /** sk_prot->hash / unhash: enter or leave the protocol's lookup tables. */
    default int hash(Sock sk) { return 0; }

    default void unhash(Sock sk) {}

    /** sk_prot->keepalive: SO_KEEPALIVE was switched on or off ({@code tcp_set_keepalive}). */
    default void keepalive(Sock sk, boolean on) {}

    /**
     * sk_stream_closing: a close that lingers ({@code SO_LINGER} &gt; 0) waits while this holds, i.e. while the
     * protocol's own FIN is not yet acknowledged (TCP: FIN_WAIT1, CLOSING, LAST_ACK).
     */
    default boolean closing(Sock sk) { return false; }

    /**
     * This stack's connections the application closed that the protocol is still delivering ({@link Orphans}):
     * closing the stack waits for them, bounded, as a Linux kernel finishes them after the program exits. Loop
     * thread only. Protocols without such connections keep the default, none.
     */
    default Orphans orphans() { return Orphans.NONE; }

    /**
     * One line per connection {@link #orphans} counts, as {@code ss} would show it (state, addresses, what the peer
     * has not acknowledged, retransmissions), for the warning of a stack closed with some unfinished. Loop thread only.
     */
    default List<String> describeOrphans() { return List.of(); }

    /** {@code no_autobind}: true when sending must not pick a local port by itself (TCP binds on connect). */
    default boolean noAutobind() { return false; }

    /** sk_prot->ioctl ({@code tcp_ioctl}); a command the protocol does not know is ENOTTY, as user space sees it. */
    default int ioctl(Sock sk, int cmd, int[] arg) { return Errno.ENOTTY.neg(); }

    /** Readiness beyond the generic bits ({@code tcp_poll}, {@code datagram_poll}). */
    default int poll(Sock sk) { return 0; }
}
