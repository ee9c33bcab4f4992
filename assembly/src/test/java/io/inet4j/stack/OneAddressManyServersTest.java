package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One client address holds more connections than {@code ip_local_port_range} has ports, as Linux lets it: a local
 * port is reused toward another destination, since the 4-tuple, not the port, must be unique
 * ({@code __inet_hash_connect} with {@code __inet_check_established}); one destination still gets one connection per
 * port, then EADDRNOTAVAIL. Shrunk to 100 ports and 3 servers, with the whole handshake between two stacks.
 */
class OneAddressManyServersTest {
    private static final int FIRST_PORT = 40000;
    private static final int PORTS = 100;
    private static final String[] SERVERS = {"10.0.0.2", "10.0.0.3", "10.0.0.4"};
    private static final int SERVICE = 80;

    @Test
    void everyLocalPortServesEachServerOnceThenTheRangeIsExhausted() throws ErrnoException {
        SimulatedEventLoop loop = new SimulatedEventLoop();
        InMemoryLink[] wire = InMemoryLink.pair("veth-c", "veth-s", 1500);
        try (InetStack client = InetStack.builder().name("client").seed(1).loop(loop)
                     .sysctl("net.ipv4.ip_local_port_range", FIRST_PORT + " " + (FIRST_PORT + PORTS - 1))
                     .link(wire[0], "10.0.0.1/24").build();
             InetStack server = InetStack.builder().name("server").seed(2).loop(loop)
                     .link(wire[1], SERVERS[0] + "/24", SERVERS[1] + "/24", SERVERS[2] + "/24").build()) {
            loop.runFor(10_000_000L);
            SocketFd listener = server.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
            listener.bind(new SockAddrIn(SockAddrIn.INADDR_ANY, SERVICE));
            listener.listen(1024);

            List<SocketFd> connections = new ArrayList<>();
            for (String s : SERVERS) {
                for (int i = 0; i < PORTS; i++) {
                    SocketFd fd = client.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
                    assertThat(connect(fd, s)).isEqualTo(Errno.EINPROGRESS.neg());
                    connections.add(fd);
                }
                loop.runFor(100_000_000L);
            }

            Map<Integer, Integer> usesOfPort = new HashMap<>();
            Set<String> tuples = new HashSet<>();
            for (SocketFd fd : connections) {
                assertThat(fd.poll() & PollEvents.POLLOUT).as("established").isNotZero();
                SockAddrIn local = fd.getsockname();
                SockAddrIn peer = fd.getpeername();
                assertThat(SockAddrIn.formatAddress(local.address())).isEqualTo("10.0.0.1");
                assertThat(local.port()).isBetween(FIRST_PORT, FIRST_PORT + PORTS - 1);
                assertThat(tuples.add(local.port() + " " + peer)).isTrue();
                usesOfPort.merge(local.port(), 1, Integer::sum);
            }
            assertThat(usesOfPort).hasSize(PORTS).allSatisfy((port, uses) -> assertThat(uses).isEqualTo(SERVERS.length));
            Socket l = listener.socket();
            int accepted = 0;
            while (l.ops.accept(l, new Socket(SockType.SOCK_STREAM), 0) == 0) accepted++;
            assertThat(accepted).isEqualTo(PORTS * SERVERS.length);

            SocketFd oneTooMany = client.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
            assertThat(connect(oneTooMany, SERVERS[1])).isEqualTo(Errno.EADDRNOTAVAIL.neg());
            assertThatThrownBy(() -> oneTooMany.connect(new SockAddrIn(SockAddrIn.parseAddress(SERVERS[2]), SERVICE)))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EADDRNOTAVAIL));
        }
    }

    /** connect(2) on the loop's thread, without waiting for the handshake: EINPROGRESS, or the error. */
    private static int connect(SocketFd fd, String server) {
        Socket c = fd.socket();
        return c.ops.connect(c, new SockAddrIn(SockAddrIn.parseAddress(server), SERVICE), 0);
    }
}
