package io.inet4j.ipv4.af;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.protocol.InetProtosw;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.Proto;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockType;
import org.junit.jupiter.api.Test;

/** inet_register_protosw / inet_create lookup rules. */
class InetSwitchTest {
    private static Proto proto(String name) {
        return new Proto() {
            @Override public String name() { return name; }
            @Override public Sock newSock(int type, int protocol) { throw new UnsupportedOperationException(); }
            @Override public void close(Sock sk, long timeoutNanos) {}
        };
    }

    private final InetSwitch sw = new InetSwitch();
    private final int[] err = new int[1];

    private InetSwitch.Refusal register(int type, int protocol, int flags, String name) {
        return sw.register(type, protocol, flags, () -> proto(name), InetDgramOps.INSTANCE);
    }

    @Test
    void permanentEntryCannotBeOverridden() {
        assertThat(register(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, InetProtosw.PERMANENT, "tcp")).isNull();
        assertThat(register(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, 0, "evil")).isEqualTo(InetSwitch.Refusal.OVERRIDES_PERMANENT);
        assertThat(register(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, InetProtosw.PERMANENT, "evil2"))
                .isEqualTo(InetSwitch.Refusal.OVERRIDES_PERMANENT);
        assertThat(sw.lookup(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, err).prot().name()).isEqualTo("tcp");
    }

    @Test
    void permanentEntryCannotBeRemoved() {
        register(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, InetProtosw.PERMANENT, "tcp");
        InetSwitch.Entry tcp = sw.lookup(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, err);
        assertThat(sw.unregister(tcp)).isFalse();
        assertThat(sw.lookup(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, err)).isSameAs(tcp);
    }

    @Test
    void laterEntryShadowsNonPermanentOneAndRevertsWhenRemoved() {
        register(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP, InetProtosw.REUSE, "ping");
        register(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP, 0, "better-ping");
        InetSwitch.Entry winner = sw.lookup(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP, err);
        assertThat(winner.prot().name()).isEqualTo("better-ping");
        assertThat(sw.unregister(winner)).isTrue();
        assertThat(sw.lookup(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP, err).prot().name()).isEqualTo("ping");
    }

    @Test
    void newEntryGoesAfterPermanentOnesSoWildcardStillPicksThePermanent() {
        register(SockType.SOCK_DGRAM, IpProto.IPPROTO_UDP, InetProtosw.PERMANENT, "udp");
        register(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP, 0, "ping");
        assertThat(sw.lookup(SockType.SOCK_DGRAM, IpProto.IPPROTO_IP, err).prot().name()).isEqualTo("udp");
    }

    @Test
    void ipprotoIpPicksTheFirstEntryOfTheType() {
        register(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP, 0, "ping");
        register(SockType.SOCK_DGRAM, IpProto.IPPROTO_EXPERIMENT1, 0, "mini");
        assertThat(sw.lookup(SockType.SOCK_DGRAM, IpProto.IPPROTO_IP, err).prot().name()).isEqualTo("mini");
    }

    @Test
    void wildcardEntryServesAnyProtocolOfItsType() {
        register(SockType.SOCK_RAW, IpProto.IPPROTO_IP, InetProtosw.REUSE, "raw");
        assertThat(sw.lookup(SockType.SOCK_RAW, 89, err).prot().name()).isEqualTo("raw");
    }

    @Test
    void unknownTypeIsESOCKTNOSUPPORTAndUnknownProtocolIsEPROTONOSUPPORT() {
        register(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, InetProtosw.PERMANENT, "tcp");
        assertThat(sw.lookup(SockType.SOCK_SEQPACKET, 0, err)).isNull();
        assertThat(err[0]).isEqualTo(Errno.ESOCKTNOSUPPORT.neg());
        assertThat(sw.lookup(SockType.SOCK_STREAM, IpProto.IPPROTO_UDP, err)).isNull();
        assertThat(err[0]).isEqualTo(Errno.EPROTONOSUPPORT.neg());
    }

    @Test
    void illegalTypeIsRefused() {
        assertThat(register(SockType.SOCK_MAX, 6, 0, "x")).isEqualTo(InetSwitch.Refusal.ILLEGAL_TYPE);
        assertThat(register(-1, 6, 0, "x")).isEqualTo(InetSwitch.Refusal.ILLEGAL_TYPE);
    }

    @Test
    void protoIsCreatedOnlyForAcceptedEntries() {
        register(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, InetProtosw.PERMANENT, "tcp");
        boolean[] created = new boolean[1];
        sw.register(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP, 0, () -> {
            created[0] = true;
            return proto("x");
        }, InetDgramOps.INSTANCE);
        assertThat(created[0]).isFalse();
    }
}
