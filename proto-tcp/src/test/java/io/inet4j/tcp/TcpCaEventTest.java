package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.Socket;
import io.inet4j.tcp.cong.Reno;
import io.inet4j.tcp.cong.TcpCongestionOps;
import io.inet4j.tcp.cong.TcpCongestionSock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CA_EVENT_TX_START (tcp_event_data_sent): data that leaves with nothing in flight tells the congestion control,
 * which sees {@code lsndtime} still at the previous send, so it can measure the idle time (CUBIC moves its epoch
 * by it); data sent while segments are in flight does not.
 */
class TcpCaEventTest {
    private static final int RPORT = 5001;

    /** Reno that records each event with the in-flight count and the last send time it saw. */
    static final class Recording implements TcpCongestionOps {
        final Reno reno = new Reno();
        final List<long[]> events = new ArrayList<>();

        @Override public String name() { return "reno"; }
        @Override public int ssthresh(TcpCongestionSock tp) { return reno.ssthresh(tp); }
        @Override public void congAvoid(TcpCongestionSock tp, int ack, int acked) { reno.congAvoid(tp, ack, acked); }
        @Override public int undoCwnd(TcpCongestionSock tp) { return reno.undoCwnd(tp); }

        @Override
        public void cwndEvent(TcpCongestionSock tp, int event) {
            events.add(new long[] {event, tp.packetsInFlight(), tp.lsndtimeNanos(), tp.nowNanos()});
        }
    }

    @Test
    void sendingAfterTheFlightDrainedRaisesTxStartWithThePreviousSendTime() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket s = StreamSockets.socket(t.stack);
            t.activeOpen(s, RPORT);
            TcpSock tp = (TcpSock) s.sk;
            long connected = tp.lsndtimeNanos(); // tcp_finish_connect starts the idle clock
            assertThat(connected).isPositive();
            Recording rec = new Recording();
            tp.ca = rec;
            byte[] data = new byte[1460];

            assertThat(StreamSockets.write(s, data, 0, 1460)).isEqualTo(1460);
            t.expect();
            long firstSend = t.loop.clock().nanoTime();
            assertThat(rec.events).hasSize(1);
            assertThat(rec.events.get(0)).containsExactly(TcpCongestionOps.CA_EVENT_TX_START, 0, connected, firstSend);
            assertThat(tp.lsndtime).isEqualTo(TcpSock.jiffies32(firstSend));

            // More data while the first segment is in flight: no event.
            t.run(0.01);
            assertThat(StreamSockets.write(s, data, 0, 1460)).isEqualTo(1460);
            t.expect();
            long secondSend = t.loop.clock().nanoTime();
            assertThat(rec.events).hasSize(1);
            assertThat(tp.lsndtime).isEqualTo(TcpSock.jiffies32(secondSend));

            t.inject(RPORT, tp.num, ACK, 101, tp.sndNxt, null);
            t.run(2);
            assertThat(StreamSockets.write(s, data, 0, 1460)).isEqualTo(1460);
            t.expect();
            // Idle for longer than an RTO: the window restarts first (tcp_slow_start_after_idle), then TX_START.
            assertThat(rec.events).hasSize(3);
            assertThat(rec.events.get(1)[0]).isEqualTo(TcpCongestionOps.CA_EVENT_CWND_RESTART);
            assertThat(rec.events.get(2)).containsExactly(TcpCongestionOps.CA_EVENT_TX_START, 0, TcpSock.jiffies32(secondSend) * 1_000_000L,
                    t.loop.clock().nanoTime());
        }
    }
}
