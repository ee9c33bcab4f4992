package io.inet4j.ipv4.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.NetnsIpv4;
import io.inet4j.ipv4.af.InetSock;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.ipv4.ip.Ipv4Sysctls;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.net.Net;
import io.inet4j.net.NetConfig;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.Proto;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;

/** One stack with a TCP-like hash table set, and shorthands to make bound, listening and connected sockets. */
final class HashFixture {
    static final int LOCAL = SockAddrIn.parseAddress("10.0.0.1");
    static final int LOCAL2 = SockAddrIn.parseAddress("10.0.0.2");
    static final int PEER = SockAddrIn.parseAddress("192.0.2.7");

    /** Never recycles a TIME_WAIT entry (TCP with tcp_tw_reuse off). */
    static final TimewaitCheck NO_TW_REUSE = new TimewaitCheck() {
        @Override public boolean unique(InetSock sk, InetTimewaitSock tw, boolean portWasBound) { return false; }
        @Override public boolean mayReuse(InetSock sk) { return false; }
    };

    private static final Proto PROTO = new Proto() {
        @Override public String name() { return "TEST"; }
        @Override public Sock newSock(int type, int protocol) { throw new UnsupportedOperationException(); }
        @Override public void close(Sock sk, long timeoutNanos) {}
    };

    final SimulatedEventLoop loop = new SimulatedEventLoop();
    final Net net;
    final Ipv4Sysctls sysctls;
    final InetHashinfo h;

    HashFixture() { this(1); }

    HashFixture(long seed) {
        net = new Net(NetConfig.named("t").withSeed(seed), loop, PacketBufferPool.standard());
        sysctls = new Ipv4Sysctls(net.sysctls());
        h = new InetHashinfo(net, sysctls, keyedPortOffset(net.random().nextLong()));
    }

    /** A stand-in for SipHash: a keyed 64-bit mix of the destination. */
    static EphemeralPortOffset keyedPortOffset(long key) {
        return (saddr, daddr, dport) -> {
            long x = key ^ ((long) saddr << 32 | (daddr & 0xFFFF_FFFFL));
            x = (x ^ x >>> 33) * 0xFF51_AFD7_ED55_8CCDL + dport;
            x = (x ^ x >>> 33) * 0xC4CE_B9FE_1A85_EC53L;
            return x ^ x >>> 33;
        };
    }

    InetSock sock() { return new InetSock(new NetnsIpv4(net, null, null, null, null, null), PROTO, SockType.SOCK_STREAM, IpProto.IPPROTO_TCP); }

    InetSock sock(int addr, boolean reuse, boolean reuseport, int dev) {
        InetSock sk = sock();
        sk.rcvSaddr = sk.saddr = addr;
        sk.reuse = reuse;
        sk.reuseport = reuseport;
        sk.boundDevIf = dev;
        return sk;
    }

    /** bind(): the result of inet_csk_get_port. */
    int bind(InetSock sk, int port) { return h.inetCskGetPort(sk, port); }

    InetSock listener(int addr, int port, boolean reuseport, int dev) {
        InetSock sk = sock(addr, false, reuseport, dev);
        assertThat(bind(sk, port)).isZero();
        assertThat(h.inetCskListenStart(sk)).isZero();
        return sk;
    }

    /** A socket about to connect (addresses set, SYN_SENT as tcp_v4_connect leaves it), not yet hashed. */
    InetSock connecting(int saddr, int daddr, int dport) {
        InetSock sk = sock();
        sk.rcvSaddr = sk.saddr = saddr;
        sk.daddr = daddr;
        sk.dport = dport;
        sk.state = SockStates.TCP_SYN_SENT;
        return sk;
    }

    /** A connected socket with a port from inet_hash_connect; fails the test if there was none. */
    InetSock connect(int saddr, int daddr, int dport) {
        InetSock sk = connecting(saddr, daddr, dport);
        assertThat(h.inetHashConnect(sk, NO_TW_REUSE)).isZero();
        return sk;
    }

    /** tcp_time_wait then tcp_done: the connection becomes a TIME_WAIT entry of {@code timeoNanos}; the socket lets go. */
    InetTimewaitSock timeWait(InetSock sk, long timeoNanos) {
        InetTimewaitSock tw = new InetTimewaitSock(sk, SockStates.TCP_TIME_WAIT);
        h.inetTwskHashdance(tw, sk, timeoNanos);
        h.inetPutPort(sk);
        sk.state = SockStates.TCP_CLOSE;
        return tw;
    }

    void portRange(int low, int high) { sysctls.ipLocalPortRange.set(low + " " + high); }
}
