package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.netdev.FaultSpec;
import org.junit.jupiter.api.Test;

/**
 * A SACK bulk transfer (4 MB, 5% of the frames lost each way, 10 ms each way, virtual clock) with RACK-TLP on
 * (Linux's defaults, {@code tcp_recovery} = 1, {@code tcp_early_retrans} = 3) and off (both 0: RFC 6675's duplicate
 * threshold alone): both arrive intact; with RACK-TLP losses the duplicate threshold never sees (lost
 * retransmissions, holes with too few SACKs above them) are found by time, tail losses draw loss probes
 * (TCPLossProbes), so no RTO fires where RFC 6675 needs ten, and the transfer ends sooner.
 */
class TcpRackTlpLossyTransferTest {
    private static final int SIZE = 4 * 1024 * 1024;

    record Outcome(boolean intact, long endNanos, long timeouts, long probes) {}

    @Test
    void rackAndLossProbesReplaceTimeouts() throws Exception {
        Outcome rackTlp = transfer(true);
        Outcome rfc6675 = transfer(false);
        assertThat(rackTlp.intact()).isTrue();
        assertThat(rfc6675.intact()).isTrue();
        assertThat(rackTlp.probes()).as("%s", rackTlp).isPositive();
        assertThat(rfc6675.probes()).isZero();
        assertThat(rackTlp.timeouts()).as("RTOs with RACK-TLP vs without: %s vs %s", rackTlp, rfc6675)
                .isLessThan(rfc6675.timeouts());
        assertThat(rackTlp.endNanos()).as("completion with RACK-TLP vs without: %s vs %s", rackTlp, rfc6675)
                .isLessThan(rfc6675.endNanos());
    }

    private static Outcome transfer(boolean rackTlp) throws Exception {
        FaultSpec faults = FaultSpec.parse("loss=0.05,delay=10ms,seed=5");
        try (TwoStacks t = new TwoStacks(1500, faults)) {
            t.a.net().sysctls().set("net.ipv4.tcp_recovery", rackTlp ? "1" : "0");
            t.a.net().sysctls().set("net.ipv4.tcp_early_retrans", rackTlp ? "3" : "0");
            // The comparison is of loss detection; reno keeps the window arithmetic out of it.
            t.a.net().sysctls().set("net.ipv4.tcp_congestion_control", "reno");
            BulkTransfer.Result r = BulkTransfer.run(t, SIZE, 7);
            var ext = t.a.net().mibs().tcpExt;
            return new Outcome(r.intact(), t.loop.clock().nanoTime() - r.startNanos(),
                    ext.get(TcpExtMib.TCPTimeouts), ext.get(TcpExtMib.TCPLossProbes));
        }
    }
}
