package io.inet4j.ipv4.hash;

import static io.inet4j.ipv4.hash.HashFixture.LOCAL;
import static io.inet4j.ipv4.hash.HashFixture.NO_TW_REUSE;
import static io.inet4j.ipv4.hash.HashFixture.PEER;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.af.InetSock;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Errno;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** inet_hash_connect: the ephemeral port a connecting socket gets, and when it gets none. */
class HashConnectTest {
    private static final long TIME_WAIT_LEN = 60_000_000_000L;

    private final HashFixture f = new HashFixture();
    private final int eaddrnotavail = Errno.EADDRNOTAVAIL.neg();

    @Test
    void evenPortsFirstThenOddThenNone() {
        f.portRange(40000, 40009);
        for (int i = 0; i < 10; i++) {
            InetSock sk = f.connect(LOCAL, PEER, 80);
            assertThat(sk.num).isBetween(40000, 40009);
            assertThat(sk.num % 2).as("connect %d got %d", i, sk.num).isEqualTo(i < 5 ? 0 : 1);
        }
        assertThat(f.h.inetHashConnect(f.connecting(LOCAL, PEER, 80), NO_TW_REUSE)).isEqualTo(eaddrnotavail);
    }

    @Test
    void theConnectedSocketIsInBothHashes() {
        InetSock sk = f.connect(LOCAL, PEER, 80);
        assertThat(sk.bindHash).isSameAs(f.h.bucket(sk.num));
        assertThat(f.h.bucket(sk.num).connectOwned()).isTrue();
        assertThat(f.h.lookupEstablished(PEER, 80, LOCAL, sk.num, 1)).isSameAs(sk);
    }

    @Test
    void differentDestinationsStartAtDifferentPorts() {
        Set<Integer> firstPorts = new HashSet<>();
        for (int d = 0; d < 100; d++) firstPorts.add(f.connect(LOCAL, PEER + d, 80).num);
        assertThat(firstPorts).hasSizeGreaterThan(90).allMatch(p -> p % 2 == 0);
    }

    @Test
    void theSameSeedChoosesTheSamePorts() {
        assertThat(portsChosen(new HashFixture(42))).isEqualTo(portsChosen(new HashFixture(42)))
                .isNotEqualTo(portsChosen(new HashFixture(43)));
    }

    private static List<Integer> portsChosen(HashFixture fx) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 50; i++) ports.add(fx.connect(LOCAL, PEER + i % 7, 80 + i % 3).num);
        return ports;
    }

    @Test
    void connectionsToDifferentDestinationsShareAPortButNotToTheSameOne() {
        f.portRange(40000, 40000);
        assertThat(f.connect(LOCAL, PEER, 80).num).isEqualTo(40000);
        assertThat(f.connect(LOCAL, PEER, 81).num).isEqualTo(40000);
        assertThat(f.connect(LOCAL, PEER + 1, 80).num).isEqualTo(40000);
        assertThat(f.connect(HashFixture.LOCAL2, PEER, 80).num).isEqualTo(40000);
        assertThat(f.h.inetHashConnect(f.connecting(LOCAL, PEER, 80), NO_TW_REUSE)).isEqualTo(eaddrnotavail);
    }

    @Test
    void reservedAndBoundPortsAreSkipped() {
        f.portRange(40000, 40009);
        f.sysctls.ipLocalReservedPorts.set("40000-40005");
        assertThat(f.bind(f.sock(0, false, false, 0), 40006)).isZero();
        assertThat(f.connect(LOCAL, PEER, 80).num).isEqualTo(40008);
        assertThat(Set.of(f.connect(LOCAL, PEER, 80).num, f.connect(LOCAL, PEER, 80).num)).containsOnly(40007, 40009);
        assertThat(f.h.inetHashConnect(f.connecting(LOCAL, PEER, 80), NO_TW_REUSE)).isEqualTo(eaddrnotavail);
    }

    @Test
    void aClosedConnectionGivesItsPortBack() {
        f.portRange(40000, 40000);
        InetSock sk = f.connect(LOCAL, PEER, 80);
        f.h.inetUnhash(sk);
        f.h.inetPutPort(sk);
        assertThat(f.h.bucket(40000)).isNull();
        assertThat(f.h.lookupEstablished(PEER, 80, LOCAL, 40000, 1)).isNull();
        assertThat(f.connect(LOCAL, PEER, 80).num).isEqualTo(40000);
    }

    @Test
    void timeWaitHoldsTheFourTupleUnlessTheProtocolRecyclesIt() {
        f.portRange(40000, 40000);
        InetSock old = f.connect(LOCAL, PEER, 80);
        InetTimewaitSock tw = f.timeWait(old, TIME_WAIT_LEN);
        assertThat(f.h.inetHashConnect(f.connecting(LOCAL, PEER, 80), NO_TW_REUSE)).isEqualTo(eaddrnotavail);

        List<String> asked = new ArrayList<>();
        InetSock sk = f.connecting(LOCAL, PEER, 80);
        int err = f.h.inetHashConnect(sk, (s, t, bound) -> {
            asked.add((s == sk) + " " + (t == tw) + " " + bound);
            return true;
        });
        assertThat(err).isZero();
        assertThat(asked).containsExactly("true true false");
        assertThat(sk.num).isEqualTo(40000);
        assertThat(f.h.lookupEstablished(PEER, 80, LOCAL, 40000, 1)).isSameAs(sk);
        assertThat(tw.bindBucket()).isNull();
        assertThat(tw.isScheduled()).isFalse();
        assertThat(f.h.timewaitCount()).isZero();
        assertThat(f.net.mibs().tcpExt.get(TcpExtMib.TWRecycled)).isEqualTo(1);
    }

    @Test
    void whenRecyclingIsRuledOutTheProtocolIsNotAskedPerEntry() {
        f.portRange(40000, 40001);
        f.timeWait(f.connect(LOCAL, PEER, 80), TIME_WAIT_LEN);
        int[] asked = new int[1];
        TimewaitCheck never = new TimewaitCheck() {
            @Override public boolean unique(InetSock sk, InetTimewaitSock tw, boolean portWasBound) {
                asked[0]++;
                return true;
            }
            @Override public boolean mayReuse(InetSock sk) { return false; }
        };
        InetSock sk = f.connecting(LOCAL, PEER, 80);
        assertThat(f.h.inetHashConnect(sk, never)).isZero();
        assertThat(sk.num).isEqualTo(40001);
        assertThat(asked[0]).isZero();
    }

    @Test
    void aBoundSocketKeepsItsPortAndPassesTheFourTupleCheck() {
        InetSock a = f.sock(LOCAL, true, false, 0);
        InetSock b = f.sock(LOCAL, true, false, 0);
        assertThat(f.bind(a, 5000)).isZero();
        assertThat(f.bind(b, 5000)).isZero();
        a.daddr = b.daddr = PEER;
        a.dport = b.dport = 80;
        assertThat(f.h.inetHashConnect(a, NO_TW_REUSE)).isZero();
        assertThat(f.h.inetHashConnect(b, NO_TW_REUSE)).isEqualTo(eaddrnotavail);
        b.dport = 81;
        assertThat(f.h.inetHashConnect(b, NO_TW_REUSE)).isZero();
        assertThat(a.num).isEqualTo(5000);
        assertThat(b.num).isEqualTo(5000);
        assertThat(f.h.lookupEstablished(PEER, 81, LOCAL, 5000, 1)).isSameAs(b);
    }

    @Test
    void aBoundSocketAsksAboutTimeWaitAsBound() {
        InetSock a = f.sock(LOCAL, true, false, 0);
        assertThat(f.bind(a, 5000)).isZero();
        a.daddr = PEER;
        a.dport = 80;
        assertThat(f.h.inetHashConnect(a, NO_TW_REUSE)).isZero();
        InetTimewaitSock tw = f.timeWait(a, TIME_WAIT_LEN);

        InetSock b = f.sock(LOCAL, true, false, 0);
        assertThat(f.bind(b, 5000)).isZero();
        b.daddr = PEER;
        b.dport = 80;
        List<Boolean> bound = new ArrayList<>();
        assertThat(f.h.inetHashConnect(b, (s, t, portWasBound) -> bound.add(portWasBound))).isZero();
        assertThat(bound).containsExactly(true);
        assertThat(tw.bindBucket()).isNull();
        assertThat(f.h.lookupEstablished(PEER, 80, LOCAL, 5000, 1)).isSameAs(b);
    }

    @Test
    void oneAddressHoldsFarMoreConnectionsThanPortsToTwentyDestinations() {
        int perDestination = 6_000;
        Set<Long> tuples = new HashSet<>();
        for (int i = 0; i < perDestination; i++) {
            for (int d = 0; d < 20; d++) {
                InetSock sk = f.connect(LOCAL, PEER + d, 443);
                assertThat(sk.num).isBetween(32768, 60999);
                assertThat(tuples.add((long) d << 16 | sk.num)).isTrue();
            }
        }
        assertThat(tuples).hasSize(120_000);
        assertThat(f.h.ehashSize()).isEqualTo(120_000);
    }
}
