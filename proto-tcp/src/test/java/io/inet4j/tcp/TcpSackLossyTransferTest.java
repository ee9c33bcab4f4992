package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.netdev.FaultSpec;
import org.junit.jupiter.api.Test;

/**
 * The same lossy transfer (4 MB, 3% of the frames lost each way, virtual clock) with SACK and, with
 * {@code tcp_sack} = 0 on the sender, with NewReno alone: both arrive intact; with SACK the sender repairs
 * several holes per round trip and falls back to timeouts far less, so it finishes sooner.
 */
class TcpSackLossyTransferTest {
    private static final int SIZE = 4 * 1024 * 1024;

    record Outcome(boolean intact, long endNanos, long timeouts, long sackRecoveries, long sackOkChild) {}

    @Test
    void sackRecoversFasterThanNewRenoOnTheSameLossyPath() throws Exception {
        Outcome sack = transfer(true);
        Outcome reno = transfer(false);
        assertThat(sack.intact()).isTrue();
        assertThat(reno.intact()).isTrue();
        assertThat(sack.sackOkChild()).isEqualTo(1);
        assertThat(reno.sackOkChild()).isEqualTo(0);
        assertThat(sack.sackRecoveries()).isGreaterThan(10);
        assertThat(reno.sackRecoveries()).isZero();
        assertThat(sack.timeouts()).as("RTOs with SACK vs without: %s vs %s", sack, reno).isLessThan(reno.timeouts());
        assertThat(sack.endNanos()).as("completion with SACK vs without: %s vs %s", sack, reno)
                .isLessThan(reno.endNanos());
    }

    private static Outcome transfer(boolean sackOn) throws Exception {
        FaultSpec faults = FaultSpec.parse("loss=0.03,seed=5");
        try (TwoStacks t = new TwoStacks(1500, faults)) {
            t.a.net().sysctls().set("net.ipv4.tcp_sack", sackOn ? "1" : "0");
            // The comparison is of loss recovery; reno keeps the window arithmetic out of it.
            t.a.net().sysctls().set("net.ipv4.tcp_congestion_control", "reno");
            BulkTransfer.Result r = BulkTransfer.run(t, SIZE, 7);
            assertThat(TcpLoss.NONE).as("the shared recovery state is never written")
                    .usingRecursiveComparison().isEqualTo(new TcpLoss());
            assertThat(TcpSackBlocks.NONE).as("nor the shared empty SACK blocks")
                    .usingRecursiveComparison().isEqualTo(new TcpSackBlocks());
            var ext = t.a.net().mibs().tcpExt;
            return new Outcome(r.intact(), t.loop.clock().nanoTime() - r.startNanos(),
                    ext.get(TcpExtMib.TCPTimeouts), ext.get(TcpExtMib.TCPSackRecovery),
                    ((TcpSock) r.server().sk).rxOpt.sackOk ? 1 : 0);
        }
    }
}
