package io.inet4j.samples.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.UdpMib;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.SocketFd;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The name-lookup sample between two stacks: answers, NXDOMAIN, a lost query retried, a dead server. */
@Timeout(30)
class NameLookupTest {
    private static final SockAddrIn SERVER = new SockAddrIn(SockAddrIn.parseAddress(TwoStacks.B), 5353);
    private static final long SECOND = 1_000_000_000L;

    private static SocketFd udp(InetStack s) throws Exception { return s.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_UDP); }

    private static Thread serve(SocketFd fd) {
        Thread t = new Thread(new NameServer(fd, Map.of("www.example", "192.0.2.80")), "name-server");
        t.start();
        return t;
    }

    @Test
    void answersKnownNamesAndNxdomainForOthers() throws Exception {
        try (ThreadedStacks t = new ThreadedStacks(); SocketFd server = udp(t.b); SocketFd client = udp(t.a)) {
            server.bind(SERVER);
            serve(server);
            NameClient resolver = new NameClient(client, SERVER, SECOND, 3);
            assertThat(SockAddrIn.formatAddress(resolver.resolve("www.example"))).isEqualTo("192.0.2.80");
            assertThatThrownBy(() -> resolver.resolve("nope.example")).isInstanceOf(UnknownHostException.class);
        }
    }

    @Test
    void aLostQueryIsSentAgainAfterTheTimeout() throws Exception {
        try (ThreadedStacks t = new ThreadedStacks(); SocketFd client = udp(t.a)) {
            SocketFd deaf = udp(t.b);
            deaf.bind(SERVER);
            int[] got = new int[1];
            Exception[] failed = new Exception[1];
            Thread asker = new Thread(() -> {
                try {
                    got[0] = new NameClient(client, SERVER, SECOND / 2, 3).resolve("www.example");
                } catch (Exception e) {
                    failed[0] = e;
                }
            });
            asker.start();
            // The first query reaches a socket that never answers, as if the answer had been lost.
            assertThat(deaf.recvmsg(new MsgHdr(ByteBuffer.allocate(512), null), 0, 5 * SECOND)).isPositive();
            deaf.close();
            SocketFd server = udp(t.b);
            server.bind(SERVER);
            serve(server);
            asker.join(10_000);
            assertThat(failed[0]).isNull();
            assertThat(SockAddrIn.formatAddress(got[0])).isEqualTo("192.0.2.80");
            server.close();
        }
    }

    @Test
    void noServerEndsInATimeoutAfterEveryTry() throws Exception {
        try (ThreadedStacks t = new ThreadedStacks(); SocketFd client = udp(t.a)) {
            NameClient resolver = new NameClient(client, SERVER, SECOND / 10, 2);
            assertThatThrownBy(() -> resolver.resolve("www.example")).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("after 2 tries");
            assertThat(t.b.net().mibs().udp.get(UdpMib.NoPorts)).isEqualTo(2);
        }
    }
}
