package io.inet4j.tcp;

import static io.inet4j.socket.TcpInfo.Field.*;
import static io.inet4j.tcp.StreamSockets.accept;
import static io.inet4j.tcp.StreamSockets.connect;
import static io.inet4j.tcp.StreamSockets.listener;
import static io.inet4j.tcp.StreamSockets.read;
import static io.inet4j.tcp.StreamSockets.socket;
import static io.inet4j.tcp.StreamSockets.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.netdev.FaultSpec;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.Socket;
import io.inet4j.socket.TcpInfo;
import org.junit.jupiter.api.Test;

/**
 * getsockopt(TCP_INFO) (tcp_get_info) after a handshake and a 100 000-byte transfer over a 10 ms one-way delay on
 * the virtual clock: both ends report what happened, in Linux's units and layout.
 */
class TcpInfoTest {
    private static final int SIZE = 100_000;

    static TcpInfo info(Socket s) {
        byte[] b = new byte[TcpInfo.SIZE + 8];
        int len = s.ops.getsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_INFO, b);
        assertThat(len).isEqualTo(TcpInfo.SIZE);
        return TcpInfo.of(b, len);
    }

    @Test
    void bothEndsReportTheHandshakeAndTheTransfer() throws Exception {
        try (TwoStacks t = new TwoStacks(1500, FaultSpec.parse("delay=10ms"))) {
            connect(socket(t.a), TwoStacks.B, 5000); // refused: only so that ARP does not delay the SYN below
            t.run(1);
            Socket l = listener(t.b, 5001, 8);
            TcpInfo li = info(l);
            assertThat(li.state()).isEqualTo(TcpState.LISTEN);
            assertThat(li.get(TCPI_SACKED)).as("a listener's backlog").isEqualTo(8);
            Socket c = socket(t.a);
            connect(c, TwoStacks.B, 5001);
            Socket[] s = new Socket[1];
            assertThat(t.runUntil(5, () -> (s[0] = accept(l)) != null)).isTrue();
            assertThat(info(l).get(TCPI_UNACKED)).as("nothing left to accept").isZero();

            TcpInfo hs = info(c);
            assertThat(hs.state()).isEqualTo(TcpState.ESTABLISHED);
            assertThat(hs.rttMicros()).as("the SYN's round trip").isEqualTo(20_000);
            assertThat(hs.get(TCPI_MIN_RTT)).isEqualTo(20_000);
            assertThat(hs.get(TCPI_RTTVAR)).isEqualTo(10_000);
            assertThat(hs.rtoMicros()).as("srtt + max(2 rtt, rto_min)").isEqualTo(220_000);
            assertThat(hs.bytesAcked()).as("the SYN").isEqualTo(1);
            assertThat(hs.get(TCPI_DELIVERED)).isEqualTo(1);
            assertThat(hs.sndCwnd()).isEqualTo(Tcp.TCP_INIT_CWND);
            assertThat(hs.get(TCPI_SND_SSTHRESH)).isEqualTo(Integer.MAX_VALUE);
            assertThat(hs.get(TCPI_PACING_RATE)).as("no pacing: unlimited").isEqualTo(-1L);
            TcpInfo shs = info(s[0]);
            assertThat(shs.rttMicros()).as("the SYN-ACK's round trip").isEqualTo(20_000);
            assertThat(shs.get(TCPI_DELIVERED)).as("the SYN-ACK").isEqualTo(1);
            assertThat(((TcpSock) c.sk).chrono).as("no data yet: no chronographs made").isNull();
            assertThat(((TcpSock) s[0].sk).chrono).isNull();
            assertThat(((TcpSock) c.sk).loss).as("nothing lost: the shared recovery state").isSameAs(TcpLoss.NONE);
            assertThat(((TcpSock) s[0].sk).loss).isSameAs(TcpLoss.NONE);
            assertThat(((TcpSock) c.sk).sacks).as("nothing out of order: no SACK blocks").isSameAs(TcpSackBlocks.NONE);
            assertThat(((TcpSock) s[0].sk).sacks).isSameAs(TcpSackBlocks.NONE);
            assertThat(hs.get(TCPI_BUSY_TIME)).isZero();

            byte[] data = new byte[SIZE];
            byte[] buf = new byte[65536];
            int[] sent = {0};
            long[] got = {0};
            assertThat(t.runUntil(30, () -> {
                int w;
                while (sent[0] < SIZE && (w = write(c, data, sent[0], SIZE - sent[0])) > 0) sent[0] += w;
                int r;
                while ((r = read(s[0], buf, 0, buf.length)) > 0) got[0] += r;
                return got[0] == SIZE && c.sk instanceof TcpSock tp && tp.packetsOut == 0;
            })).isTrue();
            t.run(1);

            assertThat(((TcpSock) c.sk).loss).as("a transfer without loss or reordering: still the shared state")
                    .isSameAs(TcpLoss.NONE);
            assertThat(((TcpSock) s[0].sk).loss).isSameAs(TcpLoss.NONE);
            int segs = (SIZE + 1447) / 1448; // 1460 less the 12 bytes of the timestamp option
            TcpInfo ci = info(c);
            assertThat(ci.get(TCPI_CA_STATE)).isZero();
            assertThat(ci.get(TCPI_SND_MSS)).isEqualTo(1448);
            assertThat(ci.get(TCPI_ADVMSS)).isEqualTo(1460);
            assertThat(ci.get(TCPI_PMTU)).isEqualTo(1500);
            assertThat(ci.get(TCPI_UNACKED)).isZero();
            assertThat(ci.get(TCPI_NOTSENT_BYTES)).isZero();
            assertThat(ci.bytesAcked()).isEqualTo(SIZE + 1);
            assertThat(ci.get(TCPI_BYTES_SENT)).isEqualTo(SIZE);
            assertThat(ci.get(TCPI_DATA_SEGS_OUT)).as("at least one per MSS").isGreaterThanOrEqualTo(segs);
            assertThat(ci.get(TCPI_DELIVERED)).as("every data segment and the SYN").isEqualTo(ci.get(TCPI_DATA_SEGS_OUT) + 1);
            assertThat(ci.totalRetrans()).isZero();
            assertThat(ci.get(TCPI_BYTES_RETRANS)).isZero();
            assertThat(ci.get(TCPI_TOTAL_RTO)).isZero();
            assertThat(ci.get(TCPI_MIN_RTT)).isEqualTo(20_000);
            assertThat(ci.rttMicros()).isBetween(20_000L, 30_000L);
            assertThat(ci.sndCwnd()).as("slow start grew it").isGreaterThan(Tcp.TCP_INIT_CWND);
            assertThat(ci.get(TCPI_LAST_DATA_SENT)).as("ms since the last data, the second of quiet included")
                    .isBetween(1000L, 1100L);
            assertThat(ci.get(TCPI_LAST_ACK_RECV)).isBetween(1000L, 1100L);
            assertThat(ci.get(TCPI_SEGS_OUT)).isGreaterThanOrEqualTo(segs + 1);
            assertThat(ci.get(TCPI_SND_WND)).isPositive();
            assertThat(ci.get(TCPI_DELIVERY_RATE)).as("bytes/s of the last sample: some segments per 20 ms round trip")
                    .isBetween(1448L * 1_000_000 / 20_000, (long) SIZE * 1_000_000 / 20_000);
            assertThat(ci.get(TCPI_BUSY_TIME)).as("us with data queued or in flight: several round trips, not the quiet second")
                    .isBetween(40_000L, 1_000_000L);

            TcpInfo si = info(s[0]);
            assertThat(si.bytesReceived()).isEqualTo(SIZE);
            assertThat(si.get(TCPI_DATA_SEGS_IN)).isEqualTo(ci.get(TCPI_DATA_SEGS_OUT));
            assertThat(si.get(TCPI_DATA_SEGS_OUT)).isZero();
            assertThat(si.get(TCPI_SEGS_IN)).isGreaterThanOrEqualTo(segs + 1);
            assertThat(si.get(TCPI_RCV_MSS)).as("the largest segment seen").isEqualTo(1448);
            assertThat(si.get(TCPI_RCV_OOOPACK)).isZero();
            assertThat(si.get(TCPI_LAST_DATA_RECV)).isBetween(1000L, 1100L);
            assertThat(si.get(TCPI_RCV_WND)).isPositive();
            assertThat(si.get(TCPI_BUSY_TIME)).as("the receiver sent nothing").isZero();
            assertThat(si.get(TCPI_ATO)).as("microseconds, at least TCP_ATO_MIN").isGreaterThanOrEqualTo(40_000);
        }
    }

    @Test
    void aTimeoutIsCountedAsARecoveryWithItsTime() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket c = socket(t.stack);
            connect(c, TcpScenario.REMOTE, 8080);
            t.expect();
            assertThat(t.expect(1.5)).as("the SYN again after 1 s").isNotNull();
            t.loop.runFor(500_000_000L);
            TcpInfo during = info(c);
            assertThat(during.state()).isEqualTo(TcpState.SYN_SENT);
            assertThat(during.get(TCPI_TOTAL_RTO)).isEqualTo(1);
            assertThat(during.get(TCPI_TOTAL_RTO_RECOVERIES)).isEqualTo(1);
            assertThat(during.get(TCPI_RETRANSMITS)).isEqualTo(1);
            assertThat(during.get(TCPI_BACKOFF)).isEqualTo(1);
            assertThat(during.get(TCPI_TOTAL_RETRANS)).isEqualTo(1);
            assertThat(during.get(TCPI_TOTAL_RTO_TIME)).as("ms since the timeout, the recovery still running")
                    .isEqualTo(500);
            assertThat(during.rtoMicros()).isEqualTo(2_000_000);
        }
    }

    @Test
    void theLayoutIsLinuxs() {
        byte[] b = new byte[TcpInfo.SIZE];
        TcpInfo.put(b, TCPI_STATE, 1);
        TcpInfo.put(b, TCPI_SND_WSCALE, 7);
        TcpInfo.put(b, TCPI_RCV_WSCALE, 9);
        TcpInfo.put(b, TCPI_SND_CWND, 0x01020304);
        TcpInfo.put(b, TCPI_BYTES_ACKED, 0x0102030405060708L);
        TcpInfo.put(b, TCPI_TOTAL_RTO_TIME, 0xa0b0c0d0L);
        assertThat(b[0]).isEqualTo((byte) 1);
        assertThat(b[6]).as("snd_wscale the low nibble, rcv_wscale the high").isEqualTo((byte) 0x97);
        assertThat(new byte[] {b[80], b[81], b[82], b[83]}).containsExactly(4, 3, 2, 1);
        assertThat(b[120]).isEqualTo((byte) 8);
        assertThat(b[127]).isEqualTo((byte) 1);
        assertThat(b[244]).isEqualTo((byte) 0xd0);
        TcpInfo i = TcpInfo.of(b, b.length);
        assertThat(i.get(TCPI_SND_WSCALE)).isEqualTo(7);
        assertThat(i.get(TCPI_RCV_WSCALE)).isEqualTo(9);
        assertThat(i.get(TCPI_TOTAL_RTO_TIME)).isEqualTo(0xa0b0c0d0L);
        assertThat(TcpInfo.of(b, 104).get(TCPI_BYTES_ACKED)).as("a short copy: past its end reads 0").isZero();
        assertThat(TcpInfo.Field.byLinuxName("tcpi_snd_cwnd")).isEqualTo(TCPI_SND_CWND);
    }
}
