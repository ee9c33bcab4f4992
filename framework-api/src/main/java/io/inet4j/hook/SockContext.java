package io.inet4j.hook;

import io.inet4j.socket.Sock;

/**
 * What an INET_SOCK_CREATE or INET4_POST_BIND hook sees: the analog of {@code struct bpf_sock}. The socket's
 * family, type, protocol and addresses (network order ints, host order ports) as they are at the hook; like the
 * kernel, a hook may set {@link #setBoundDevIf the bound device}.
 */
public final class SockContext {
    private final Sock sk;
    private final int srcIp4;
    private final int srcPort;
    private final int dstIp4;
    private final int dstPort;

    /** The context of {@code sk} with its current addresses (the family's fields, {@code inet_sock}). */
    public SockContext(Sock sk, int srcIp4, int srcPort, int dstIp4, int dstPort) {
        this.sk = sk;
        this.srcIp4 = srcIp4;
        this.srcPort = srcPort;
        this.dstIp4 = dstIp4;
        this.dstPort = dstPort;
    }

    public int family() { return sk.family; }

    public int type() { return sk.type; }

    public int protocol() { return sk.protocol; }

    /** TCP state numbers, {@code BPF_TCP_*}. */
    public int state() { return sk.state; }

    public int srcIp4() { return srcIp4; }

    public int srcPort() { return srcPort; }

    public int dstIp4() { return dstIp4; }

    public int dstPort() { return dstPort; }

    public int boundDevIf() { return sk.boundDevIf; }

    /** Binds the socket to device {@code ifindex} ({@code bpf_sock->bound_dev_if} is writable). */
    public void setBoundDevIf(int ifindex) { sk.boundDevIf = ifindex; }

    /** The scope the socket belongs to. */
    public Scope scope() { return sk.scope; }
}
