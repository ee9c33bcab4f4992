package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.Errno;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.Socket;
import io.inet4j.socket.SocketState;
import org.junit.jupiter.api.Test;

/**
 * The errno of each socket call in each state, as Linux answers (checked against the kernel with Python on
 * loopback: send before connect is EPIPE, accept on a non-listener EINVAL, connect on a listener EISCONN, ...),
 * plus the TCP socket options and ephemeral port exhaustion.
 */
class TcpSocketCallsTest {
    private static final int PORT = 8080;

    private static int send(Socket s) { return StreamSockets.write(s, new byte[] {1}, 0, 1); }

    private static int recv(Socket s) { return StreamSockets.read(s, new byte[4], 0, 4); }

    private static int accept(Socket s) { return s.ops.accept(s, new Socket(s.type), 0); }

    private static int peer(Socket s) { return s.ops.getname(s, new SockAddr.Holder(), true); }

    @Test
    void freshSocket() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket s = StreamSockets.socket(t.stack);
            assertThat(send(s)).isEqualTo(Errno.EPIPE.neg());
            assertThat(recv(s)).isEqualTo(Errno.ENOTCONN.neg());
            assertThat(peer(s)).isEqualTo(Errno.ENOTCONN.neg());
            assertThat(accept(s)).isEqualTo(Errno.EINVAL.neg());
            assertThat(s.ops.shutdown(s, 1)).isEqualTo(Errno.ENOTCONN.neg());
            assertThat(s.ops.shutdown(s, 3)).isEqualTo(Errno.EINVAL.neg());
            assertThat(s.ops.connect(s, null, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(s.ops.connect(s, () -> AddressFamily.AF_INET6, 0)).isEqualTo(Errno.EAFNOSUPPORT.neg());
            assertThat(s.ops.bind(s, new SockAddrIn(SockAddrIn.parseAddress("10.99.99.99"), 0)))
                    .isEqualTo(Errno.EADDRNOTAVAIL.neg());
            assertThat(s.ops.bind(s, new SockAddrIn(0, 0))).isZero();
            assertThat(s.ops.bind(s, new SockAddrIn(0, 0))).isEqualTo(Errno.EINVAL.neg());
        }
    }

    @Test
    void listeningSocket() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket l = StreamSockets.listener(t.stack, PORT, 4);
            assertThat(StreamSockets.connect(l, TcpScenario.REMOTE, 1)).isEqualTo(Errno.EISCONN.neg());
            assertThat(send(l)).isEqualTo(Errno.EPIPE.neg());
            assertThat(recv(l)).isEqualTo(Errno.ENOTCONN.neg());
            assertThat(accept(l)).isEqualTo(Errno.EAGAIN.neg());
            assertThat(l.ops.listen(l, 8)).isZero(); // listen twice is fine
            Socket other = StreamSockets.socket(t.stack);
            assertThat(other.ops.bind(other, new SockAddrIn(0, PORT))).isEqualTo(Errno.EADDRINUSE.neg());
        }
    }

    @Test
    void connectingThenConnectedSocket() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket c = StreamSockets.socket(t.stack);
            assertThat(StreamSockets.connect(c, TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EINPROGRESS.neg());
            assertThat(c.state).isEqualTo(SocketState.SS_CONNECTING);
            assertThat(send(c)).isEqualTo(Errno.EAGAIN.neg()); // a blocking caller waits for the handshake
            assertThat(c.ops.listen(c, 1)).isEqualTo(Errno.EINVAL.neg());
            TcpScenario.Seg syn = t.expect();
            t.inject(PORT, syn.sport(), SYN | ACK, 100, syn.seq() + 1, 65535, null, 1460);
            t.expect();
            assertThat(StreamSockets.connect(c, TcpScenario.REMOTE, PORT)).isZero();
            assertThat(c.state).isEqualTo(SocketState.SS_CONNECTED);
            assertThat(StreamSockets.connect(c, TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EISCONN.neg());
            assertThat(c.ops.listen(c, 1)).isEqualTo(Errno.EINVAL.neg());
            assertThat(accept(c)).isEqualTo(Errno.EINVAL.neg());
            assertThat(c.ops.bind(c, new SockAddrIn(0, 0))).isEqualTo(Errno.EINVAL.neg());
            assertThat(recv(c)).isEqualTo(Errno.EAGAIN.neg());
            SockAddr.Holder h = new SockAddr.Holder();
            assertThat(c.ops.getname(c, h, true)).isZero();
            assertThat(h.value).isEqualTo(new SockAddrIn(TcpScenario.REMOTE_ADDR, PORT));
            assertThat(c.ops.getname(c, h, false)).isZero();
            assertThat(h.value).isEqualTo(new SockAddrIn(TcpScenario.LOCAL_ADDR, syn.sport()));

            // shutdown(SHUT_WR) sends a FIN; writing after it is EPIPE, reading still works.
            assertThat(c.ops.shutdown(c, 1)).isZero();
            TcpScenario.Seg fin = t.expect();
            assertThat(fin.flags()).isEqualTo(FIN | ACK);
            assertThat(send(c)).isEqualTo(Errno.EPIPE.neg());
            t.inject(PORT, syn.sport(), ACK, 101, fin.seq() + 1, "hey".getBytes());
            assertThat(recv(c)).isEqualTo(3);
            // The peer's FIN: end of stream.
            t.inject(PORT, syn.sport(), FIN | ACK, 104, fin.seq() + 1, null);
            assertThat(recv(c)).isZero();
        }
    }

    @Test
    void connectionResetByPeer() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket c = StreamSockets.socket(t.stack);
            TcpScenario.Seg syn = t.activeOpen(c, PORT);
            t.inject(PORT, syn.sport(), io.inet4j.tcp.wire.TcpHeader.RST, 101, 0, null);
            assertThat(recv(c)).isEqualTo(Errno.ECONNRESET.neg());
            assertThat(recv(c)).isZero(); // reported once, then end of stream
            assertThat(send(c)).isEqualTo(Errno.EPIPE.neg());
        }
    }

    @Test
    void disconnectWithAfUnspecResetsAndAllowsANewConnect() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket c = StreamSockets.socket(t.stack);
            TcpScenario.Seg syn = t.activeOpen(c, PORT);
            StreamSockets.connect(c, TcpScenario.REMOTE, PORT);
            assertThat(c.ops.connect(c, SockAddr.UNSPEC, 0)).isZero();
            assertThat(t.expect().flags() & io.inet4j.tcp.wire.TcpHeader.RST).isNotZero();
            assertThat(c.state).isEqualTo(SocketState.SS_UNCONNECTED);
            assertThat(StreamSockets.connect(c, TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EINPROGRESS.neg());
        }
    }

    /**
     * tcp_disconnect: the loss recovery state a lossy, reordering connection leaves (tp->rack.*, reord_seen,
     * tlp_high_seq, tcp_clear_retrans's undo state, dsack_dups, duplicate_sack) is not the next connection's.
     */
    @Test
    void disconnectForgetsRackTlpAndUndoState() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket c = StreamSockets.socket(t.stack);
            t.activeOpen(c, PORT);
            TcpSock tp = (TcpSock) c.sk;
            tp.rackMstamp = 123_000_000L;
            tp.rackAdvanced = true;
            tp.ownLoss().rackReoWndSteps = 4;
            tp.ownLoss().rackLastDelivered = 7;
            tp.ownLoss().rackReoWndPersist = TcpRack.TCP_RACK_RECOVERY_THRESH;
            tp.ownLoss().rackDsackSeen = true;
            tp.ownLoss().reordSeen = 2;
            tp.ownLoss().tlpHighSeq = tp.sndNxt;
            tp.ownLoss().undoMarker = tp.sndUna;
            tp.ownLoss().undoRetrans = 0;
            tp.ownLoss().dsackDups = 3;
            tp.ownSacks().dsack = true;

            assertThat(c.ops.connect(c, SockAddr.UNSPEC, 0)).isZero();

            assertThat(tp.rackMstamp).isZero();
            assertThat(tp.rackAdvanced).isFalse();
            assertThat(tp.loss.rackReoWndSteps).isEqualTo(1);
            assertThat(tp.loss.rackLastDelivered).isZero();
            assertThat(tp.loss.rackReoWndPersist).isZero();
            assertThat(tp.loss.rackDsackSeen).isFalse();
            assertThat(tp.loss.reordSeen).isZero();
            assertThat(tp.loss.tlpHighSeq).isZero();
            assertThat(tp.loss.undoMarker).isZero();
            assertThat(tp.loss.undoRetrans).isEqualTo(-1);
            assertThat(tp.loss.dsackDups).isZero();
            assertThat(tp.sacks.dsack).isFalse();
        }
    }

    @Test
    void socketOptions() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket s = StreamSockets.socket(t.stack);
            int[] v = new int[1];
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_NODELAY, 1)).isZero();
            s.ops.getsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_NODELAY, v);
            assertThat(v[0]).isEqualTo(1);
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_MAXSEG, 40)).isEqualTo(Errno.EINVAL.neg());
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_MAXSEG, 1000)).isZero();
            s.ops.getsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_MAXSEG, v);
            assertThat(v[0]).isEqualTo(1000);
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF, 10_000_000)).isZero();
            s.ops.getsockopt(s, SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF, v);
            assertThat(v[0]).isEqualTo(2 * 212992); // clamped to rmem_max, doubled
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_TCP, 99, 1)).isEqualTo(Errno.ENOPROTOOPT.neg());
            s.ops.getsockopt(s, SockOpt.SOL_SOCKET, SockOpt.SO_TYPE, v);
            assertThat(v[0]).isEqualTo(1);

            // TCP_MAXSEG caps what we send even when the peer offers more.
            TcpScenario.Seg syn = t.activeOpen(s, PORT);
            StreamSockets.write(s, new byte[3000], 0, 3000);
            assertThat(t.expect().len()).isEqualTo(1000);
        }
    }

    /**
     * The TCP options most sockets never set live in one object made on the first set: setting one on a socket
     * leaves every other socket's alone, a child takes its listener's (all but TCP_DEFER_ACCEPT, the listener's
     * own), and a child's own setting does not reach back into the listener.
     */
    @Test
    void rarelySetOptionsStayPerSocketAndChildrenTakeTheirListeners() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket l = StreamSockets.listener(t.stack, PORT, 4);
            Socket other = StreamSockets.socket(t.stack);
            assertThat(l.ops.setsockopt(l, SockOpt.SOL_TCP, SockOpt.TCP_KEEPIDLE, 77)).isZero();
            assertThat(l.ops.setsockopt(l, SockOpt.SOL_TCP, SockOpt.TCP_USER_TIMEOUT, 5000)).isZero();
            assertThat(l.ops.setsockopt(l, SockOpt.SOL_TCP, SockOpt.TCP_DEFER_ACCEPT, 1)).isZero();
            assertThat(tcpOpt(other, SockOpt.TCP_KEEPIDLE)).isEqualTo(7200);
            assertThat(tcpOpt(other, SockOpt.TCP_USER_TIMEOUT)).isZero();

            t.inject(40000, PORT, SYN, 1000, 0, 65535, null, 1460);
            TcpScenario.Seg synAck = t.expect();
            t.inject(40000, PORT, ACK, 1001, synAck.seq() + 1, new byte[] {1});
            Socket child = StreamSockets.accept(l);
            assertThat(child).isNotNull();
            assertThat(tcpOpt(child, SockOpt.TCP_KEEPIDLE)).isEqualTo(77);
            assertThat(tcpOpt(child, SockOpt.TCP_USER_TIMEOUT)).isEqualTo(5000);
            assertThat(tcpOpt(child, SockOpt.TCP_DEFER_ACCEPT)).isZero();

            assertThat(child.ops.setsockopt(child, SockOpt.SOL_TCP, SockOpt.TCP_KEEPIDLE, 9)).isZero();
            assertThat(tcpOpt(child, SockOpt.TCP_KEEPIDLE)).isEqualTo(9);
            assertThat(tcpOpt(l, SockOpt.TCP_KEEPIDLE)).isEqualTo(77);
            assertThat(tcpOpt(other, SockOpt.TCP_KEEPIDLE)).isEqualTo(7200);
        }
    }

    private static int tcpOpt(Socket s, int name) {
        int[] v = new int[1];
        assertThat(s.ops.getsockopt(s, SockOpt.SOL_TCP, name, v)).isZero();
        return v[0];
    }

    @Test
    void nagleHoldsASmallSegmentWhileDataIsUnacknowledgedUnlessNodelay() throws Exception {
        for (boolean nodelay : new boolean[] {false, true}) {
            try (TcpScenario t = new TcpScenario()) {
                Socket s = StreamSockets.socket(t.stack);
                s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_NODELAY, nodelay ? 1 : 0);
                TcpScenario.Seg syn = t.activeOpen(s, PORT);
                StreamSockets.write(s, new byte[10], 0, 10);
                assertThat(t.expect().len()).isEqualTo(10);
                StreamSockets.write(s, new byte[10], 0, 10);
                TcpScenario.Seg second = t.expect();
                if (nodelay) {
                    assertThat(second).isNotNull();
                } else {
                    assertThat(second).as("held by Nagle").isNull();
                    t.inject(PORT, syn.sport(), ACK, 101, syn.seq() + 11, null);
                    assertThat(t.expect().len()).isEqualTo(10);
                }
            }
        }
    }

    @Test
    void keepaliveProbesAnIdleConnectionAndGivesUp() throws Exception {
        try (TcpScenario t = new TcpScenario(b -> b.sysctl("net.ipv4.tcp_keepalive_time", "10")
                .sysctl("net.ipv4.tcp_keepalive_intvl", "2").sysctl("net.ipv4.tcp_keepalive_probes", "3"))) {
            Socket s = StreamSockets.socket(t.stack);
            s.ops.setsockopt(s, SockOpt.SOL_SOCKET, SockOpt.SO_KEEPALIVE, 1);
            TcpScenario.Seg syn = t.activeOpen(s, PORT);
            double t0 = t.now();
            TcpScenario.Seg probe = t.expect(20);
            assertThat(probe.seq()).isEqualTo(syn.seq()); // snd_una - 1
            assertThat(probe.atNanos() / 1e9 - t0).isBetween(9.9, 10.1);
            assertThat(t.expect(3)).isNotNull();
            assertThat(t.expect(3)).isNotNull();
            t.run(3);
            assertThat(s.sk.state).isEqualTo(TcpState.CLOSE);
            assertThat(recv(s)).isEqualTo(Errno.ETIMEDOUT.neg());
        }
    }

    @Test
    void ephemeralPortsRunOutWithEADDRNOTAVAIL() throws Exception {
        try (TcpScenario t = new TcpScenario(b -> b.sysctl("net.ipv4.ip_local_port_range", "40000 40003"))) {
            for (int i = 0; i < 4; i++) {
                Socket s = StreamSockets.socket(t.stack);
                assertThat(StreamSockets.connect(s, TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EINPROGRESS.neg());
            }
            Socket fifth = StreamSockets.socket(t.stack);
            assertThat(StreamSockets.connect(fifth, TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EADDRNOTAVAIL.neg());
            // The same local ports serve another destination port: the 4-tuple is what must be unique.
            for (int i = 0; i < 4; i++) {
                Socket s = StreamSockets.socket(t.stack);
                assertThat(StreamSockets.connect(s, TcpScenario.REMOTE, PORT + 1)).isEqualTo(Errno.EINPROGRESS.neg());
            }
        }
    }
}
