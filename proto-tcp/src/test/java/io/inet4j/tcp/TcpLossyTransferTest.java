package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.TcpMib;
import io.inet4j.netdev.FaultSpec;
import org.junit.jupiter.api.Test;

/**
 * 20 MB through a wire that loses, duplicates and reorders 5% of the frames in each direction: the bytes
 * arrive intact (same SHA-256), and the same seed replays the same run to the same virtual nanosecond.
 */
class TcpLossyTransferTest {
    private static final int SIZE = 20 * 1024 * 1024;

    record Outcome(byte[] sent, byte[] received, long endNanos, long retrans) {}

    @Test
    void twentyMegabytesArriveIntactAndTheRunIsDeterministic() throws Exception {
        Outcome first = transfer(11);
        assertThat(first.received()).isEqualTo(first.sent());
        assertThat(first.retrans()).isGreaterThan(100);
        Outcome again = transfer(11);
        assertThat(again.endNanos()).isEqualTo(first.endNanos());
        assertThat(again.retrans()).isEqualTo(first.retrans());
    }

    private static Outcome transfer(long seed) throws Exception {
        FaultSpec faults = FaultSpec.parse("loss=0.05,dup=0.05,reorder=0.05,seed=" + seed);
        try (TwoStacks t = new TwoStacks(1500, faults)) {
            BulkTransfer.Result r = BulkTransfer.run(t, SIZE, seed);
            return new Outcome(r.sent(), r.received(), t.loop.clock().nanoTime(),
                    t.a.net().mibs().tcp.get(TcpMib.RetransSegs));
        }
    }
}
