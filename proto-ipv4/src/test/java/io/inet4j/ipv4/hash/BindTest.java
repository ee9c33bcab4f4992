package io.inet4j.ipv4.hash;

import static io.inet4j.ipv4.hash.HashFixture.LOCAL;
import static io.inet4j.ipv4.hash.HashFixture.LOCAL2;
import static io.inet4j.ipv4.hash.HashFixture.PEER;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.af.InetSock;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.socket.Errno;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** inet_csk_get_port: bind conflicts with an explicit port, and the port search of bind(0). */
class BindTest {
    private final HashFixture f = new HashFixture();
    private final int eaddrinuse = Errno.EADDRINUSE.neg();

    /**
     * A first socket bound to 5000 (and listening when {@code listen1}), then a second one binding 5000. Addresses:
     * A and B are two local addresses, * the wildcard. Options: r = SO_REUSEADDR, p = SO_REUSEPORT, a digit = the
     * bound device.
     */
    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({
        "A,        A,        in use",
        "A,        B,        ok",
        "A,        *,        in use",
        "*,        A,        in use",
        "*,        *,        in use",
        "A r,      A r,      ok",
        "* r,      A r,      ok",
        "A r,      A,        in use",
        "A,        A r,      in use",
        "A r L,    A r,      in use",
        "A p,      A p,      ok",
        "A p L,    A p,      ok",
        "* p,      A p,      ok",
        "A p,      A,        in use",
        "A,        A p,      in use",
        "A 1,      A 2,      ok",
        "A 1,      A 1,      in use",
        "A 1,      A,        in use",
        "*,        A 2,      in use",
    })
    void explicitPortConflicts(String first, String second, String expected) {
        InetSock sk1 = parse(first);
        assertThat(f.bind(sk1, 5000)).isZero();
        if (first.contains("L")) assertThat(f.h.inetCskListenStart(sk1)).isZero();
        assertThat(f.bind(parse(second), 5000)).isEqualTo(expected.equals("ok") ? 0 : eaddrinuse);
    }

    private InetSock parse(String spec) {
        int addr = spec.startsWith("A") ? LOCAL : spec.startsWith("B") ? LOCAL2 : 0;
        int dev = 0;
        for (char c : spec.toCharArray()) if (Character.isDigit(c)) dev = c - '0';
        return f.sock(addr, spec.contains("r"), spec.contains("p"), dev);
    }

    @Test
    void reuseaddrSocketsShareAPortUntilOneListens() {
        InetSock a = f.sock(LOCAL, true, false, 0);
        InetSock b = f.sock(LOCAL, true, false, 0);
        assertThat(f.bind(a, 5000)).isZero();
        assertThat(f.bind(b, 5000)).isZero();

        assertThat(f.h.inetCskListenStart(a)).isZero();
        assertThat(f.h.inetCskListenStart(b)).isEqualTo(eaddrinuse);
        assertThat(b.state).isEqualTo(SockStates.TCP_CLOSE);
        assertThat(b.num).as("still bound").isEqualTo(5000);
    }

    @Test
    void reuseportListenersShareAPort() {
        f.listener(LOCAL, 5000, true, 0);
        f.listener(LOCAL, 5000, true, 0);
        assertThat(f.bind(f.sock(LOCAL, false, false, 0), 5000)).isEqualTo(eaddrinuse);
    }

    @Test
    void timeWaitHoldsThePortAgainstAllButReuseaddr() {
        InetSock server = f.listener(0, 5000, false, 0);
        InetSock child = f.sock(LOCAL, true, false, 0);
        child.daddr = PEER;
        child.dport = 40000;
        child.state = SockStates.TCP_ESTABLISHED;
        assertThat(f.h.inetInheritPort(server, child)).isZero();
        assertThat(f.h.ehashInsert(child)).isTrue();
        f.h.inetUnhash(server);
        f.h.inetPutPort(server);
        f.timeWait(child, 60_000_000_000L);

        assertThat(f.bind(f.sock(0, false, false, 0), 5000)).isEqualTo(eaddrinuse);
        assertThat(f.bind(f.sock(0, true, false, 0), 5000)).isZero();
    }

    @Test
    void releasingTheLastOwnerFreesTheBucket() {
        InetSock a = f.sock(LOCAL, false, false, 0);
        assertThat(f.bind(a, 5000)).isZero();
        assertThat(f.h.bucket(5000)).isNotNull();
        f.h.inetPutPort(a);
        assertThat(a.num).isZero();
        assertThat(f.h.bucket(5000)).isNull();
        assertThat(f.bind(f.sock(LOCAL, false, false, 0), 5000)).isZero();
    }

    @Test
    void bindZeroPicksOddPortsFromTheRange() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            InetSock sk = f.sock(0, false, false, 0);
            assertThat(f.bind(sk, 0)).isZero();
            ports.add(sk.num);
        }
        assertThat(ports).hasSize(200).allMatch(p -> p % 2 == 1 && p >= 32768 && p <= 60999);
    }

    @Test
    void bindZeroTakesEvenPortsOnlyWhenTheOddOnesAreGone() {
        f.portRange(40000, 40009);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            InetSock sk = f.sock(0, false, false, 0);
            assertThat(f.bind(sk, 0)).isZero();
            assertThat(sk.num % 2).as("port %d, bind %d", sk.num, i).isEqualTo(i < 5 ? 1 : 0);
            ports.add(sk.num);
        }
        assertThat(ports).hasSize(10);
        assertThat(f.bind(f.sock(0, false, false, 0), 0)).isEqualTo(eaddrinuse);
    }

    @Test
    void bindZeroWithReuseaddrTriesTheLowerHalfFirst() {
        for (int i = 0; i < 50; i++) {
            InetSock sk = f.sock(0, true, false, 0);
            assertThat(f.bind(sk, 0)).isZero();
            assertThat(sk.num).isBetween(32768, 32768 + (60999 + 1 - 32768) / 2 - 1);
        }
    }

    @Test
    void bindZeroSkipsReservedPorts() {
        f.portRange(40000, 40009);
        f.sysctls.ipLocalReservedPorts.set("40001,40003,40005,40007");
        InetSock sk = f.sock(0, false, false, 0);
        assertThat(f.bind(sk, 0)).isZero();
        assertThat(sk.num).isEqualTo(40009);
        for (int i = 0; i < 5; i++) {
            InetSock even = f.sock(0, false, false, 0);
            assertThat(f.bind(even, 0)).isZero();
            assertThat(even.num).isIn(40000, 40002, 40004, 40006, 40008);
        }
        assertThat(f.bind(f.sock(0, false, false, 0), 0)).isEqualTo(eaddrinuse);
    }

    @Test
    void bindZeroAvoidsPortsConnectUses() {
        f.portRange(40000, 40003);
        f.connect(LOCAL, PEER, 80);
        f.connect(LOCAL, PEER, 80);
        f.connect(LOCAL, PEER, 80);
        InetSock sk = f.sock(0, false, false, 0);
        assertThat(f.bind(sk, 0)).isZero();
        assertThat(f.bind(f.sock(0, false, false, 0), 0)).isEqualTo(eaddrinuse);
    }

    @Test
    void bindToAPortConnectSharesStopsConnectFromSharingIt() {
        f.portRange(40000, 40000);
        InetSock c = f.connect(LOCAL, PEER, 80);
        assertThat(c.num).isEqualTo(40000);
        assertThat(f.h.bucket(40000).connectOwned()).isTrue();

        assertThat(f.bind(f.sock(LOCAL2, false, false, 0), 40000)).as("another address does not overlap").isZero();
        assertThat(f.h.bucket(40000).connectOwned()).isFalse();
        InetSock d = f.connecting(LOCAL, PEER, 81);
        assertThat(f.h.inetHashConnect(d, HashFixture.NO_TW_REUSE)).isEqualTo(Errno.EADDRNOTAVAIL.neg());
    }
}
