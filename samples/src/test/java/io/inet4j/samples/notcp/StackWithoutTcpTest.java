package io.inet4j.samples.notcp;

import static io.inet4j.ipv4.testing.PingSockets.readable;
import static io.inet4j.ipv4.testing.PingSockets.recv;
import static io.inet4j.ipv4.testing.PingSockets.sendEcho;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.af.InetInit;
import io.inet4j.ipv4.testing.PingSockets;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.samples.protocol.MiniDgramExchange;
import io.inet4j.samples.protocol.MiniDgramProt;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.SocketErrors;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/**
 * A stack built with proto-tcp absent from the class path (this class runs in its own surefire execution that
 * removes {@code proto-tcp} and the {@code inet4j} assembly, see samples/pom.xml): it still builds, answers
 * ping, serves the sample datagram protocol, and answers stream sockets as Linux without TCP would.
 */
class StackWithoutTcpTest {
    @Test
    void tcpIsReallyAbsent() {
        assertThatThrownBy(() -> Class.forName("io.inet4j.tcp.TcpProt")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.inet4j.assembly.InetAssembly")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void pingAndThePluginDatagramProtocolWork() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            assertThat(t.a.registrations()).extracting(InetInit.Registration::name)
                    .contains(MiniDgramProt.class.getName(), "io.inet4j.ipv4.icmp.PingProt")
                    .noneMatch(name -> name.startsWith("io.inet4j.tcp."));

            Socket ping = PingSockets.open(t.a);
            assertThat(sendEcho(ping, TwoStacks.B, 1, 56)).isEqualTo(64);
            assertThat(t.runUntil(1, () -> readable(ping))).isTrue();
            assertThat(recv(ping, 128).data.get(0)).isEqualTo((byte) IcmpHeader.ECHO_REPLY);

            MiniDgramExchange.roundTrip(t, "no tcp here");
        }
    }

    /** inet_create with an empty inetsw[SOCK_STREAM]: ESOCKTNOSUPPORT, for the wildcard and for IPPROTO_TCP alike. */
    @Test
    void streamSocketsAnswerAsLinuxWithoutTcp() {
        try (TwoStacks t = new TwoStacks()) {
            for (int protocol : new int[] {IpProto.IPPROTO_IP, IpProto.IPPROTO_TCP}) {
                assertThatThrownBy(() -> t.a.socket(SockType.SOCK_STREAM, protocol))
                        .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESOCKTNOSUPPORT));
            }
            assertThatThrownBy(() -> t.a.socket()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("proto-tcp")
                    .satisfies(e -> assertThat(SocketErrors.errno(e)).isEqualTo(Errno.ESOCKTNOSUPPORT));
        }
    }
}
