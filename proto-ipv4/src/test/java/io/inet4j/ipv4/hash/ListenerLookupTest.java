package io.inet4j.ipv4.hash;

import static io.inet4j.ipv4.hash.HashFixture.LOCAL;
import static io.inet4j.ipv4.hash.HashFixture.LOCAL2;
import static io.inet4j.ipv4.hash.HashFixture.PEER;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.af.InetSock;
import io.inet4j.ipv4.af.SockStates;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** __inet_lookup_listener: which listener a connection request reaches. */
class ListenerLookupTest {
    private final HashFixture f = new HashFixture();

    @Test
    void aListenerOnTheDestinationAddressBeatsTheWildcard() {
        InetSock any = f.listener(0, 80, true, 0);
        InetSock exact = f.listener(LOCAL, 80, true, 0);
        assertThat(f.h.lookupListener(PEER, 40000, LOCAL, 80, 1)).isSameAs(exact);
        assertThat(f.h.lookupListener(PEER, 40000, LOCAL2, 80, 1)).isSameAs(any);
        assertThat(f.h.lookupListener(PEER, 40000, LOCAL, 81, 1)).isNull();
    }

    @Test
    void aListenerOnTheArrivalDeviceBeatsAnUnboundOne() {
        InetSock unbound = f.listener(LOCAL, 80, true, 0);
        InetSock onDev2 = f.listener(LOCAL, 80, true, 2);
        assertThat(f.h.lookupListener(PEER, 40000, LOCAL, 80, 2)).isSameAs(onDev2);
        assertThat(f.h.lookupListener(PEER, 40000, LOCAL, 80, 3)).isSameAs(unbound);
    }

    @Test
    void aListenerOnAnotherDeviceNeverMatches() {
        InetSock onDev2 = f.listener(LOCAL, 80, false, 2);
        assertThat(f.h.lookupListener(PEER, 40000, LOCAL, 80, 2)).isSameAs(onDev2);
        assertThat(f.h.lookupListener(PEER, 40000, LOCAL, 80, 3)).isNull();
    }

    @Test
    void reuseportSpreadsFlowsAndKeepsEachFlowOnOneListener() {
        List<InetSock> group = List.of(f.listener(0, 80, true, 0), f.listener(0, 80, true, 0), f.listener(0, 80, true, 0),
                f.listener(0, 80, true, 0));
        assertThat(group.get(0).reuseportCb).isNotNull().isSameAs(group.get(3).reuseportCb);
        assertThat(group.get(0).reuseportCb.size()).isEqualTo(4);

        Map<InetSock, Integer> hits = new HashMap<>();
        for (int port = 1024; port < 5024; port++) {
            InetSock sk = f.h.lookupListener(PEER, port, LOCAL, 80, 1);
            hits.merge(sk, 1, Integer::sum);
            assertThat(f.h.lookupListener(PEER, port, LOCAL, 80, 1)).isSameAs(sk);
        }
        assertThat(hits.keySet()).containsExactlyInAnyOrderElementsOf(group);
        assertThat(hits.values()).allMatch(n -> n > 800);
    }

    @Test
    void reuseportGroupsFormPerAddress() {
        InetSock any = f.listener(0, 80, true, 0);
        InetSock exact = f.listener(LOCAL, 80, true, 0);
        assertThat(any.reuseportCb).isNotSameAs(exact.reuseportCb);
        assertThat(exact.reuseportCb.size()).isEqualTo(1);
    }

    @Test
    void unhashedListenersLeaveTheirGroupAndTheLookup() {
        InetSock a = f.listener(0, 80, true, 0);
        InetSock b = f.listener(0, 80, true, 0);
        f.h.inetUnhash(a);
        assertThat(a.reuseportCb).isNull();
        assertThat(b.reuseportCb.size()).isEqualTo(1);
        for (int port = 1024; port < 1100; port++) assertThat(f.h.lookupListener(PEER, port, LOCAL, 80, 1)).isSameAs(b);
        f.h.inetUnhash(b);
        assertThat(f.h.lookupListener(PEER, 1024, LOCAL, 80, 1)).isNull();
    }

    @Test
    void listeningWithoutABoundPortPicksOne() {
        InetSock sk = f.sock(0, false, false, 0);
        assertThat(f.h.inetCskListenStart(sk)).isZero();
        assertThat(sk.state).isEqualTo(SockStates.TCP_LISTEN);
        assertThat(sk.num).isBetween(32768, 60999);
        assertThat(f.h.lookupListener(PEER, 1024, LOCAL, sk.num, 1)).isSameAs(sk);
    }

    @Test
    void lookupPrefersAnEstablishedConnectionToTheListener() {
        InetSock listener = f.listener(0, 80, false, 0);
        InetSock child = f.sock(LOCAL, false, false, 0);
        child.daddr = PEER;
        child.dport = 40000;
        child.state = SockStates.TCP_ESTABLISHED;
        assertThat(f.h.inetInheritPort(listener, child)).isZero();
        assertThat(child.num).isEqualTo(80);
        assertThat(f.h.ehashInsert(child)).isTrue();
        assertThat(f.h.lookup(PEER, 40000, LOCAL, 80, 1)).isSameAs(child);
        assertThat(f.h.lookup(PEER, 40001, LOCAL, 80, 1)).isSameAs(listener);
    }
}
