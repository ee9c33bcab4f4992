package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpStateTest {
    @Test
    void numbersAreLinuxs() {
        assertThat(new int[] {TcpState.ESTABLISHED, TcpState.SYN_SENT, TcpState.SYN_RECV, TcpState.FIN_WAIT1,
                TcpState.FIN_WAIT2, TcpState.TIME_WAIT, TcpState.CLOSE, TcpState.CLOSE_WAIT, TcpState.LAST_ACK,
                TcpState.LISTEN, TcpState.CLOSING, TcpState.NEW_SYN_RECV})
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void flagsAreTheTcpfBits() {
        assertThat(TcpState.flag(TcpState.ESTABLISHED)).isEqualTo(1 << 1);
        assertThat(TcpState.flag(TcpState.LISTEN)).isEqualTo(1 << 10);
        int closedOrListening = TcpState.flag(TcpState.CLOSE) | TcpState.flag(TcpState.LISTEN);
        assertThat(closedOrListening & TcpState.flag(TcpState.LISTEN)).isNotZero();
        assertThat(closedOrListening & TcpState.flag(TcpState.SYN_SENT)).isZero();
    }

    @Test
    void namesForLogsAndForSs() {
        assertThat(TcpState.name(TcpState.FIN_WAIT1)).isEqualTo("FIN_WAIT1");
        assertThat(TcpState.name(TcpState.NEW_SYN_RECV)).isEqualTo("NEW_SYN_RECV");
        assertThat(TcpState.ssName(TcpState.ESTABLISHED)).isEqualTo("ESTAB");
        assertThat(TcpState.ssName(TcpState.FIN_WAIT2)).isEqualTo("FIN-WAIT-2");
        assertThat(TcpState.ssName(TcpState.CLOSE)).isEqualTo("UNCONN");
        assertThat(TcpState.ssName(TcpState.NEW_SYN_RECV)).isEqualTo("SYN-RECV");
        for (int bad : new int[] {0, -1, 13, 255}) {
            assertThat(TcpState.name(bad)).isEqualTo("UNKNOWN");
            assertThat(TcpState.ssName(bad)).isEqualTo("UNKNOWN");
        }
    }
}
