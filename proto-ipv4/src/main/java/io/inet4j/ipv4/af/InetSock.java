package io.inet4j.ipv4.af;

import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.hash.InetBindBucket;
import io.inet4j.ipv4.hash.ReuseportGroup;
import io.inet4j.ipv4.hash.TupleKey;
import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.Proto;
import io.inet4j.socket.Sock;

/**
 * An AF_INET socket ({@code struct inet_sock}): the addresses and ports of a socket, in host order, plus the IP
 * options a socket may set. Protocol sockets (ping, TCP) extend it.
 */
public class InetSock extends Sock implements TupleKey {
    /** The stack's IPv4 half this socket lives in ({@code sock_net(sk)->ipv4}). */
    public final InetContext inet;
    /** Bound local address ({@code inet_rcv_saddr}); 0 = any. */
    public int rcvSaddr;
    /** Source address used when sending ({@code inet_saddr}). */
    public int saddr;
    /** Local port ({@code inet_num}); for raw and ping sockets the protocol / echo identifier. */
    public int num;
    /** Remote address and port once connected ({@code inet_daddr}, {@code inet_dport}). */
    public int daddr;
    public int dport;
    /** IP_TTL; -1 means the stack default ({@code net.ipv4.ip_default_ttl}). Shorts: every socket carries them. */
    public short ttl = -1;
    /** IP_TOS, 0-255 ({@code inet->tos}). */
    public short tos;
    /** Set by {@code INET_PROTOSW_ICSK}: a connection-oriented socket. */
    public boolean isIcsk;

    public InetSock(InetContext inet, Proto prot, int type, int protocol) {
        super(inet.net(), prot, AddressFamily.AF_INET, type, protocol);
        this.inet = inet;
        state = SockStates.TCP_CLOSE;
    }

    /** {@code skc_addrpair}: {@link #rcvSaddr} and {@link #daddr}, the established hash's key with {@link #hashPorts}. */
    @Override
    public final long hashAddrs() { return TupleKey.addrPair(rcvSaddr, daddr); }

    /** {@code skc_portpair}: {@link #num} and {@link #dport}. */
    @Override
    public final int hashPorts() { return TupleKey.portPair(num, dport); }

    /** icsk_bind_hash: the bucket of the port this socket holds in its protocol's InetHashinfo, or null. */
    public InetBindBucket bindHash;
    /** sk_bind_node: the next owner of {@link #bindHash} (maintained by InetHashinfo). */
    public InetSock bindNext;
    /** sk_bind_node: the previous owner of {@link #bindHash} (maintained by InetHashinfo). */
    public InetSock bindPrev;
    /** sk_reuseport_cb: the SO_REUSEPORT group of a hashed listener, or null (maintained by InetHashinfo). */
    public ReuseportGroup reuseportCb;
}
