package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/**
 * Path MTU discovery beyond one connection (issue 7, item 9): what ICMP "fragmentation needed" taught the route
 * serves later connections to that destination (their SYN advertises, and they send, the smaller MSS) until
 * {@code net.ipv4.route.mtu_expires} has passed. The wire behaviour of the connection itself is in
 * {@code pmtu-frag-needed.pkt}.
 */
class TcpPmtuTest {
    @Test
    void aLearnedPathMtuServesNewConnectionsUntilItExpires() throws Exception {
        try (TcpScenario t = new TcpScenario(b -> b.sysctl("net.ipv4.route.mtu_expires", "30"))) {
            Socket s = StreamSockets.socket(t.stack);
            TcpScenario.Seg syn = t.activeOpen(s, 80);
            assertThat(syn.mss()).isEqualTo(1460);
            StreamSockets.write(s, new byte[1460], 0, 1460);
            TcpScenario.Seg data = t.expect();
            assertThat(data.len()).isEqualTo(1460);
            t.injectIcmp(IcmpHeader.DEST_UNREACH, IcmpHeader.FRAG_NEEDED, 1000, syn.sport(), 80, data.seq());
            assertThat(t.expect().len()).isEqualTo(960);
            assertThat(t.expect().len()).isEqualTo(500);
            assertThat(t.stack.ipv4().routeMtu(TcpScenario.REMOTE_ADDR)).isEqualTo(1000);

            Socket s2 = StreamSockets.socket(t.stack);
            StreamSockets.connect(s2, TcpScenario.REMOTE, 81);
            TcpScenario.Seg syn2 = t.expect();
            assertThat(syn2.flags()).isEqualTo(SYN);
            assertThat(syn2.mss()).isEqualTo(960);

            t.run(31);
            assertThat(t.stack.ipv4().routeMtu(TcpScenario.REMOTE_ADDR)).isEqualTo(1500);
        }
    }

    @Test
    void anErrorAboutAHalfOpenRequestLeavesItAlone() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket l = StreamSockets.listener(t.stack, 80, 8);
            t.inject(40000, 80, SYN, 1000, 0, 65535, null, 1460);
            TcpScenario.Seg synack = t.expect();
            t.injectIcmp(IcmpHeader.DEST_UNREACH, IcmpHeader.FRAG_NEEDED, 1000, 80, 40000, synack.seq());
            t.inject(40000, 80, ACK, 1001, synack.seq() + 1, 65535, null, 0);
            assertThat(StreamSockets.accept(l)).isNotNull();
        }
    }
}
