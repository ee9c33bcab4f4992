package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.Errno;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.Socket;
import io.inet4j.tcp.cong.TcpCongestionOps;
import io.inet4j.buffer.PacketBuffer;
import io.inet4j.socket.SockQueue;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The per-segment control block and the flight counts in segments ({@code packets_out}, {@code lost_out},
 * {@code retrans_out}, {@code tcp_packets_in_flight}) through send, ACK, timeout and recovery; and the
 * congestion control a socket runs, chosen with TCP_CONGESTION.
 */
class TcpFlightAccountingTest {
    private static final int RPORT = 5001;

    /** An active open to the scripted peer (ISN 100, MSS 1460) with {@code segments} full segments sent. */
    private static TcpSock sending(TcpScenario t, int segments) throws Exception {
        Socket s = StreamSockets.socket(t.stack);
        t.activeOpen(s, RPORT);
        byte[] data = new byte[segments * 1460];
        assertThat(StreamSockets.write(s, data, 0, data.length)).isEqualTo(data.length);
        for (int i = 0; i < segments; i++) assertThat(t.expect().len()).isEqualTo(1460);
        return (TcpSock) s.sk;
    }

    @Test
    void oneWriteIsOneSkbOfManySegmentsAndAPartialAckTrimsItsHead() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSock tp = sending(t, 5);
            assertThat(tp.packetsOut).isEqualTo(5);
            assertThat(tp.packetsInFlight()).isEqualTo(5);
            long sentAt = t.loop.clock().nanoTime();
            assertThat(tp.rtxQueue).hasSize(1);
            TcpSkb skb = tp.rtxQueue.peek();
            assertThat(skb.seq).isEqualTo(tp.sndUna);
            assertThat(skb.endSeq).isEqualTo(tp.sndUna + 5 * 1460);
            assertThat(skb.pcount).isEqualTo(5);
            assertThat(skb.sacked).isZero();
            assertThat(skb.firstTxNanos).isEqualTo(sentAt).isEqualTo(skb.txNanos);
            int end = skb.endSeq;
            t.inject(RPORT, tp.num, ACK, 101, tp.sndUna + 2 * 1460, null);
            assertThat(tp.packetsOut).isEqualTo(3);
            assertThat(tp.rtxQueue).containsExactly(skb);
            assertThat(skb.pcount).isEqualTo(3);
            assertThat(skb.seq).isEqualTo(tp.sndUna);
            assertThat(skb.endSeq).isEqualTo(end);
            assertThat(tp.wmemQueued).isEqualTo(3 * 1460);
        }
    }

    @Test
    void aWriteOfAFewSegmentsPinsNoMoreThanItIsCharged() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket s = StreamSockets.socket(t.stack);
            t.activeOpen(s, RPORT);
            TcpSock tp = (TcpSock) s.sk;
            for (int bytes : new int[] {1461, 3 * 1460, 20 * 1460}) {
                byte[] data = new byte[bytes];
                assertThat(StreamSockets.write(s, data, 0, data.length)).isEqualTo(bytes);
                // The socket is charged per segment; what it pins is that, each buffer rounded up to the pool's
                // 4 KiB size class at most, not a buffer of the size goal for every write of more than one segment.
                // Parts of a cut skb share one buffer.
                Set<PacketBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
                long charged = 0;
                for (SockQueue<TcpSkb> q : List.of(tp.rtxQueue, tp.writeQueue)) {
                    for (TcpSkb skb : q) {
                        buffers.add(skb.skb);
                        charged += skb.truesize;
                    }
                }
                long pinned = buffers.stream().mapToLong(PacketBuffer::capacity).sum();
                assertThat(pinned).as("buffers of a %d-byte write", bytes)
                        .isLessThanOrEqualTo(charged + 4096L * buffers.size());
                while (t.expect() != null) {
                    // drain what the write sent
                }
                t.inject(RPORT, tp.num, ACK, 101, tp.sndNxt, null);
            }
        }
    }

    @Test
    void aTimeoutMarksTheFlightLostAndRetransmissionsComeBackIntoIt() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSock tp = sending(t, 4);
            TcpScenario.Seg again = t.expect(2);
            assertThat(again.seq()).isEqualTo(tp.sndUna);
            assertThat(tp.caState()).isEqualTo(TcpCongestionOps.TCP_CA_LOSS);
            assertThat(tp.sndCwnd).isEqualTo(1);
            assertThat(tp.lostOut).isEqualTo(4);
            assertThat(tp.retransOut).isEqualTo(1);
            assertThat(tp.packetsInFlight()).isEqualTo(1);
            TcpSkb head = tp.rtxQueue.peek();
            assertThat(head.sacked).isEqualTo(TcpSkb.TCPCB_LOST | TcpSkb.TCPCB_RETRANS);
            assertThat(head.txNanos).isGreaterThan(head.firstTxNanos);

            // The head's ACK takes its counts away; cwnd 2 lets the next two lost segments go again.
            t.inject(RPORT, tp.num, ACK, 101, tp.sndUna + 1460, null);
            assertThat(tp.packetsOut).isEqualTo(3);
            assertThat(tp.lostOut).isEqualTo(3);
            assertThat(tp.retransOut).isEqualTo(2);
            assertThat(t.expect().seq()).isEqualTo(tp.sndUna);
            assertThat(t.expect().seq()).isEqualTo(tp.sndUna + 1460);
            assertThat(t.silentFor(0.01)).isTrue();

            t.inject(RPORT, tp.num, ACK, 101, tp.sndNxt, null);
            // Reno holds Loss until something above high_seq is acknowledged (tcp_try_undo_recovery).
            assertThat(tp.caState()).isEqualTo(TcpCongestionOps.TCP_CA_LOSS);
            assertThat(tp.packetsOut + tp.lostOut + tp.retransOut + tp.sackedOut).isZero();
        }
    }

    @Test
    void threeDuplicateAcksRetransmitTheHoleAndCountItOnce() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSock tp = sending(t, 6);
            for (int i = 0; i < 3; i++) t.inject(RPORT, tp.num, ACK, 101, tp.sndUna, null);
            assertThat(t.expect().seq()).isEqualTo(tp.sndUna);
            assertThat(tp.caState()).isEqualTo(TcpCongestionOps.TCP_CA_RECOVERY);
            assertThat(tp.sndSsthresh).isEqualTo(7); // CUBIC, the default: 717/1024 of cwnd 10
            assertThat(tp.lostOut).isEqualTo(1);
            assertThat(tp.retransOut).isEqualTo(1);
            // Without SACK each duplicate ACK counts one segment as gone (tcp_add_reno_sack): 6 - 3 - 1 + 1.
            assertThat(tp.sackedOut).isEqualTo(3);
            assertThat(tp.sndCwnd).isEqualTo(7);
            assertThat(tp.packetsInFlight()).isEqualTo(3);
        }
    }

    @Test
    void pcountIsSegmentsAtTheMss() {
        try (TcpScenario t = new TcpScenario()) {
            TcpSkb skb = t.tcp().allocSkb(4000, 1, 0);
            skb.append(java.nio.ByteBuffer.allocate(3000), 3000);
            skb.setPcount(1460);
            assertThat(skb.pcount).isEqualTo(3);
            skb.setPcount(3000);
            assertThat(skb.pcount).isEqualTo(1);
            t.tcp().freeSkb(skb);
            assertThat(t.tcp().allocSkb(0, 5, 0)).isSameAs(skb);
        }
    }

    @Test
    void tcpCongestionNamesTheAlgorithmAndRefusesUnknownOnes() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket s = StreamSockets.socket(t.stack);
            byte[] buf = new byte[20];
            assertThat(s.ops.getsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, buf)).isEqualTo(16);
            assertThat(new String(buf, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("cubic\0");
            byte[] small = new byte[2];
            assertThat(s.ops.getsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, small)).isEqualTo(2);
            assertThat(small).containsExactly('c', 'u');
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, "vegas".getBytes()))
                    .isEqualTo(Errno.ENOENT.neg());
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, "reno".getBytes())).isZero();
            assertThat(((TcpSock) s.sk).ca.name()).isEqualTo("reno");
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_CONGESTION, "cubic".getBytes())).isZero();
            assertThat(((TcpSock) s.sk).ca).isInstanceOf(io.inet4j.tcp.cong.Cubic.class);
            assertThat(s.ops.setsockopt(s, SockOpt.SOL_SOCKET, SockOpt.TCP_CONGESTION, "reno".getBytes()))
                    .isEqualTo(Errno.ENOPROTOOPT.neg());
        }
    }
}
