package io.inet4j.hook;

import io.inet4j.socket.Errno;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;

/**
 * What an INET4_BIND, INET4_CONNECT, UDP4_SENDMSG or UDP4_RECVMSG hook sees and may rewrite: the analog of
 * {@code struct bpf_sock_addr}. {@link #userIp4()} / {@link #userPort()} are the address of the call ({@code
 * user_ip4}, {@code user_port}): the destination of connect and sendmsg, the local address of bind, the source
 * recvmsg reports. Rewriting them redirects the call transparently; {@link #msgSrcIp4()} is sendmsg's source
 * address ({@code msg_src_ip4}).
 *
 * <p>A datagram protocol runs the hooks from its own code as the kernel's {@code udp_sendmsg} does:
 * <pre>{@code
 * if (!connected && sk.scope.enabled(AttachType.UDP4_SENDMSG)) {
 *     SockAddrContext ctx = new SockAddrContext(sk, dst, saddr);
 *     int err = sk.scope.run(AttachType.UDP4_SENDMSG, ctx);
 *     if (err != 0) return err;
 *     if (ctx.userPort() == 0) return Errno.EINVAL.neg();   // the hook set an invalid port
 *     dst = ctx.userAddr();
 *     saddr = ctx.msgSrcIp4();
 * }
 * }</pre>
 * and {@link #runConnect} from its {@code preConnect}.
 */
public final class SockAddrContext {
    private final Sock sk;
    private int userIp4;
    private int userPort;
    private int msgSrcIp4;

    /** The context of a call of {@code sk} with address {@code addr}. */
    public SockAddrContext(Sock sk, SockAddrIn addr) { this(sk, addr, 0); }

    /** The context of a sendmsg of {@code sk} to {@code addr} from {@code msgSrcIp4} (0: the stack picks). */
    public SockAddrContext(Sock sk, SockAddrIn addr, int msgSrcIp4) {
        this.sk = sk;
        this.userIp4 = addr.address();
        this.userPort = addr.port();
        this.msgSrcIp4 = msgSrcIp4;
    }

    /**
     * A protocol's {@code pre_connect} for INET4_CONNECT ({@code tcp_v4_pre_connect}, {@code udp_pre_connect}):
     * EINVAL for an address that is not IPv4 (the kernel's {@code addr_len} check), then the hooks of {@code sk}'s
     * scope ({@code BPF_CGROUP_RUN_PROG_INET4_CONNECT}), which may rewrite {@code addr.value}. 0 or {@code -errno}.
     */
    public static int runConnect(Sock sk, SockAddr.Holder addr) {
        if (!(addr.value instanceof SockAddrIn in)) return Errno.EINVAL.neg();
        SockAddrContext ctx = new SockAddrContext(sk, in);
        int err = sk.scope.run(AttachType.INET4_CONNECT, ctx);
        if (err == 0) addr.value = ctx.userAddr();
        return err;
    }

    public int family() { return sk.family; }

    public int type() { return sk.type; }

    public int protocol() { return sk.protocol; }

    /** The call's IPv4 address, network order as {@link SockAddrIn} keeps it. */
    public int userIp4() { return userIp4; }

    public int userPort() { return userPort; }

    public void setUserIp4(int address) { this.userIp4 = address; }

    /** Host order, 0..65535. */
    public void setUserPort(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        this.userPort = port;
    }

    /** The address and port as they stand after the hooks. */
    public SockAddrIn userAddr() { return new SockAddrIn(userIp4, userPort); }

    public int msgSrcIp4() { return msgSrcIp4; }

    public void setMsgSrcIp4(int address) { this.msgSrcIp4 = address; }

    /** The scope the socket belongs to. */
    public Scope scope() { return sk.scope; }
}
