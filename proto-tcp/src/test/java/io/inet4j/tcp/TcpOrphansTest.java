package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.FIN;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tcp_max_orphans}: tcp_too_many_orphans through tcp_check_oom, at close and at an orphan's timeout. */
class TcpOrphansTest {
    private static final int PORT = 80;

    /** An accepted connection from the peer's {@code rport}. */
    private static Socket accept(TcpScenario t, Socket l, int rport) throws Exception {
        t.inject(rport, PORT, SYN, 1000, 0, 65535, null, 1460);
        TcpScenario.Seg synAck = t.expect();
        t.inject(rport, PORT, ACK, 1001, synAck.seq() + 1, null);
        return StreamSockets.accept(l);
    }

    private static long abortOnMemory(TcpScenario t) { return t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPAbortOnMemory); }

    @Test
    void closingOneOrphanTooManyResetsIt() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.tcp().sysctls.maxOrphans.set("1");
            Socket l = StreamSockets.listener(t.stack, PORT, 8);
            Socket a = accept(t, l, 40000);
            Socket b = accept(t, l, 40001);
            a.ops.release(a);
            assertThat(t.expect().flags()).as("the first orphan is within the limit").isEqualTo(FIN | ACK);
            assertThat(t.tcp().orphanCount).as("one orphan").isEqualTo(1);
            TcpSock sk = (TcpSock) b.sk;
            b.ops.release(b);
            // __tcp_close sends the FIN before it orphans the socket and finds one orphan too many.
            assertThat(t.expect().flags()).isEqualTo(FIN | ACK);
            TcpScenario.Seg rst = t.expect();
            assertThat(rst.flags()).isEqualTo(RST | ACK);
            assertThat(rst.dport()).isEqualTo(40001);
            assertThat(sk.state).isEqualTo(TcpState.CLOSE);
            assertThat(abortOnMemory(t)).isEqualTo(1);
            assertThat(t.tcp().orphanCount).as("the reset one is gone").isEqualTo(1);
        }
    }

    @Test
    void anOrphanFoundOverTheLimitAtItsTimeoutIsReset() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket l = StreamSockets.listener(t.stack, PORT, 8);
            Socket a = accept(t, l, 40000);
            a.ops.release(a);
            assertThat(t.expect().flags()).isEqualTo(FIN | ACK);
            assertThat(t.tcp().orphanCount).isEqualTo(1);
            t.tcp().sysctls.maxOrphans.set("0");
            TcpScenario.Seg rst = t.expect(5);
            assertThat(rst.flags()).as("tcp_out_of_resources at the FIN's retransmission timeout").isEqualTo(RST | ACK);
            assertThat(abortOnMemory(t)).isEqualTo(1);
            assertThat(t.tcp().orphanCount).isZero();
            assertThat(t.tcp().sockets()).doesNotContain((TcpSock) a.sk);
        }
    }

    @Test
    void anOrphanBackedOffToTheCapButWithRetriesLeftIsResetWhenItMustGo() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.tcp().sysctls.orphanRetries.set("15");
            Socket l = StreamSockets.listener(t.stack, PORT, 8);
            Socket a = accept(t, l, 40000);
            TcpSock sk = (TcpSock) a.sk;
            a.ops.release(a);
            assertThat(t.expect().flags()).isEqualTo(FIN | ACK);
            t.run(330); // the FIN's retransmissions have backed off to TCP_RTO_MAX: no longer "alive"
            assertThat(sk.rto.rto()).isEqualTo(RtoEstimator.TCP_RTO_MAX);
            while (t.expect(0) != null) { } // the retransmissions so far
            t.tcp().sysctls.maxOrphans.set("0");
            TcpScenario.Seg seg;
            while ((seg = t.expect(130)) != null && seg.flags() == (FIN | ACK)) { }
            // tcp_write_timeout: do_reset = alive || !retransmits_timed_out, and 15 retries are far from used up.
            assertThat(seg).isNotNull();
            assertThat(seg.flags()).isEqualTo(RST | ACK);
            assertThat(abortOnMemory(t)).isEqualTo(1);
        }
    }

    /**
     * tcp_orphan_retries bounds an orphan's retransmissions: with 2 it goes silently (tcp_write_err, no RST) at
     * the first timeout 1.4 s (tcp_model_timeout(2) from the 200 ms RTO) after its first retransmission: the FIN at
     * 0, again at 0.2, 0.6 and 1.4 s, gone at 3 s; 0 means 8 while the orphan is alive, which 10 s do not use up.
     */
    @ParameterizedTest
    @CsvSource({"2, 4, false", "0, 6, true"})
    void tcpOrphanRetriesBoundsAnOrphansRetransmissions(String retries, int fins, boolean stillThere) throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.tcp().sysctls.orphanRetries.set(retries);
            Socket l = StreamSockets.listener(t.stack, PORT, 8);
            Socket a = accept(t, l, 40000);
            TcpSock sk = (TcpSock) a.sk;
            a.ops.release(a);
            int sent = 0;
            TcpScenario.Seg seg;
            double end = t.now() + 10;
            while ((seg = t.expect(Math.max(end - t.now(), 0))) != null) {
                assertThat(seg.flags()).isEqualTo(FIN | ACK);
                sent++;
            }
            assertThat(sent).isEqualTo(fins);
            assertThat(t.tcp().sockets().contains(sk)).isEqualTo(stillThere);
        }
    }

    @Test
    void theOrphanCountFollowsOrphansUntilTheyAreDestroyed() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket l = StreamSockets.listener(t.stack, PORT, 8);
            Socket a = accept(t, l, 40000);
            a.ops.release(a);
            TcpScenario.Seg fin = t.expect();
            t.inject(40000, PORT, ACK, 1001, fin.seq() + 1, null);
            assertThat(t.tcp().orphanCount).as("FIN_WAIT2 still counts").isEqualTo(1);
            t.inject(40000, PORT, FIN | ACK, 1001, fin.seq() + 1, null);
            assertThat(t.expect().flags()).isEqualTo(ACK);
            assertThat(t.tcp().orphanCount).as("TIME_WAIT does not").isZero();
        }
    }
}
