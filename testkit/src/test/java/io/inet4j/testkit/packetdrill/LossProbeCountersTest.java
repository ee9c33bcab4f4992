package io.inet4j.testkit.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.MibCounters;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.stack.InetStack;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tail loss probe scripts leave Linux's counts in TcpExt ({@code tcp_send_loss_probe}: TCPLossProbes,
 * {@code tcp_process_tlp_ack}: TCPLossProbeRecovery), which the wire alone does not show.
 */
class LossProbeCountersTest {
    @ParameterizedTest
    @CsvSource({
        // a probe of new data, acknowledged with the rest: no loss
        "tlp-new-data.pkt, 1, 0",
        // a probe whose SACK lets RACK find the loss before it; recovery, not the probe, repairs it
        "tlp-retransmits-tail.pkt, 1, 0",
        // a probe that repaired the loss: the ACK goes beyond its snd_nxt
        "tlp-recovery.pkt, 1, 1",
        // a needless probe, D-SACKed after all was acknowledged, then a second probe of its own
        "tlp-dsack-after-all-acked.pkt, 2, 0",
    })
    void scriptCountsProbes(String script, long probes, long probeRecoveries) throws IOException {
        AtomicReference<InetStack> stack = new AtomicReference<>();
        ScriptResult r = new PacketdrillRunner(PacketdrillRunner.DEFAULT_TOLERANCE_USECS, stack::set)
                .run(PacketdrillSuiteTest.SUITE.resolve(script));
        assertThat(r.status()).as(String.join("\n", r.messages())).isEqualTo(ScriptResult.Status.PASS);
        MibCounters<TcpExtMib> ext = stack.get().net().mibs().tcpExt;
        assertThat(ext.get(TcpExtMib.TCPLossProbes)).as("TCPLossProbes").isEqualTo(probes);
        assertThat(ext.get(TcpExtMib.TCPLossProbeRecovery)).as("TCPLossProbeRecovery").isEqualTo(probeRecoveries);
    }
}
