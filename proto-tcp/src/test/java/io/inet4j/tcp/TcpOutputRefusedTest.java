package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.route.Route;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/**
 * A connection whose segments IP refuses (issue 7, item 19): each refused retransmission is counted
 * ({@code TCPRetransFail}), and the connection still gives up after {@code tcp_retries2} instead of retrying
 * forever.
 */
class TcpOutputRefusedTest {
    @Test
    void retransmissionsThatNeverLeaveAreCountedAndTheConnectionTimesOut() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket s = StreamSockets.socket(t.stack);
            t.activeOpen(s, 80);
            t.stack.fib().add(Route.reject(Route.Type.PROHIBIT, TcpScenario.REMOTE_ADDR, 32));
            assertThat(StreamSockets.write(s, new byte[1000], 0, 1000)).isEqualTo(1000);
            t.run(1200); // tcp_retries2 = 15: about 924 s after the first retransmission, seen at the next RTO
            assertThat(t.tcp().ext.get(TcpExtMib.TCPRetransFail)).isPositive();
            assertThat(((TcpSock) s.sk).state).isEqualTo(TcpState.CLOSE);
            assertThat(StreamSockets.read(s, new byte[1], 0, 1)).isEqualTo(Errno.ETIMEDOUT.neg());
        }
    }
}
