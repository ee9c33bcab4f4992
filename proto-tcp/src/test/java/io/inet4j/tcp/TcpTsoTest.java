package io.inet4j.tcp;

import static io.inet4j.socket.TcpInfo.Field.TCPI_RCV_MSS;
import static io.inet4j.socket.TcpInfo.Field.TCPI_SEGS_IN;
import static io.inet4j.socket.TcpInfo.Field.TCPI_SND_MSS;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.mib.TcpMib;
import io.inet4j.netdev.NetdevFeatures;
import io.inet4j.socket.TcpInfo;
import org.junit.jupiter.api.Test;

/**
 * TCP over a wire with TSO and checksum offload, as over a TAP opened with offloads or a veth pair: the sender's
 * runs of segments leave as 64 KiB super-segments with only the pseudo-header checksum, the receiver takes them
 * whole, and both ends count segments as if the wire had carried them one by one.
 */
class TcpTsoTest {
    private static final int SIZE = 8 << 20;

    @Test
    void superSegmentsCarryABulkTransferIntactAndCountAsTheirSegments() throws Exception {
        try (TwoStacks t = TwoStacks.offloaded(1500, NetdevFeatures.TSO | NetdevFeatures.HW_CSUM)) {
            BulkTransfer.Result r = BulkTransfer.run(t, SIZE, 11);
            assertThat(r.intact()).isTrue();

            long outSegs = t.a.net().mibs().tcp.get(TcpMib.OutSegs);
            long frames = t.a.device("veth-a").stats().txPackets();
            assertThat(outSegs).as("segments on the wire, at least one per MSS").isGreaterThan(SIZE / 1448);
            assertThat(frames).as("frames the link took: super-segments").isLessThan(outSegs / 8);
            assertThat(t.b.net().mibs().tcp.get(TcpMib.InErrs)).as("partial checksums accepted").isZero();
            assertThat(t.a.net().mibs().tcp.get(TcpMib.RetransSegs)).isZero();
            assertThat(t.a.net().mibs().tcpExt.get(TcpExtMib.TCPOrigDataSent)).isGreaterThan(SIZE / 1448);

            TcpInfo server = TcpInfoTest.info(r.server());
            assertThat(server.get(TCPI_RCV_MSS)).as("measured from gso_size, not from the super-segment")
                    .isEqualTo(TcpInfoTest.info(r.server()).get(TCPI_SND_MSS));
            assertThat(server.get(TCPI_SEGS_IN)).as("tcp_segs_in counts gso_segs").isGreaterThan(SIZE / 1448);
        }
    }

    @Test
    void withoutTsoEverySegmentIsAFrame() throws Exception {
        try (TwoStacks t = TwoStacks.offloaded(1500, NetdevFeatures.HW_CSUM)) {
            BulkTransfer.Result r = BulkTransfer.run(t, 1 << 20, 12);
            assertThat(r.intact()).isTrue();
            long outSegs = t.a.net().mibs().tcp.get(TcpMib.OutSegs);
            assertThat(t.a.device("veth-a").stats().txPackets()).as("ARP aside, one frame per segment")
                    .isBetween(outSegs, outSegs + 2);
            assertThat(t.b.net().mibs().tcp.get(TcpMib.InErrs)).isZero();
        }
    }
}
