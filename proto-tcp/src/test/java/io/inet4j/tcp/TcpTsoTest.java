package io.inet4j.tcp;

import static io.inet4j.socket.TcpInfo.Field.TCPI_RCV_MSS;
import static io.inet4j.socket.TcpInfo.Field.TCPI_SEGS_IN;
import static io.inet4j.socket.TcpInfo.Field.TCPI_SND_MSS;
import static io.inet4j.tcp.StreamSockets.accept;
import static io.inet4j.tcp.StreamSockets.connect;
import static io.inet4j.tcp.StreamSockets.listener;
import static io.inet4j.tcp.StreamSockets.read;
import static io.inet4j.tcp.StreamSockets.socket;
import static io.inet4j.tcp.StreamSockets.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.stack.InetStack;
import io.inet4j.socket.Socket;
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

    /**
     * a sends super-segments to the router r over a TSO wire; r forwards them onto a wire without offloads, so
     * its IP output cuts them in software (GSO) with full checksums, which b, on that plain wire, verifies.
     */
    @Test
    void aRouterCutsSuperSegmentsForAWireWithoutTso() throws Exception {
        SimulatedEventLoop loop = new SimulatedEventLoop();
        InMemoryLink[] left = InMemoryLink.pair("a0", "r0", 1500, NetdevFeatures.TSO | NetdevFeatures.HW_CSUM);
        InMemoryLink[] right = InMemoryLink.pair("r1", "b0", 1500);
        InetStack a = InetStack.builder().name("a").seed(1).loop(loop).link(left[0], "10.0.1.1/24")
                .defaultGateway("10.0.1.254").build();
        InetStack r = InetStack.builder().name("r").seed(2).loop(loop).sysctl("net.ipv4.ip_forward", "1")
                .link(left[1], "10.0.1.254/24").link(right[0], "10.0.2.254/24").build();
        InetStack b = InetStack.builder().name("b").seed(3).loop(loop).link(right[1], "10.0.2.1/24")
                .defaultGateway("10.0.2.254").build();
        try {
            int size = 2 << 20;
            Socket l = listener(b, 5001, 8);
            Socket c = socket(a);
            connect(c, "10.0.2.1", 5001);
            Socket[] s = new Socket[1];
            assertThat(loop.runUntilFor(5_000_000_000L, () -> (s[0] = accept(l)) != null)).isTrue();
            byte[] out = new byte[64 * 1024];
            byte[] in = new byte[64 * 1024];
            long[] sent = {0};
            long[] got = {0};
            boolean[] intact = {true};
            boolean done = loop.runUntilFor(60_000_000_000L, () -> {
                int w;
                while (sent[0] < size) {
                    int n = (int) Math.min(out.length, size - sent[0]);
                    for (int i = 0; i < n; i++) out[i] = (byte) ((sent[0] + i) * 31);
                    if ((w = write(c, out, 0, n)) <= 0) break;
                    sent[0] += w;
                }
                int n;
                while ((n = read(s[0], in, 0, in.length)) > 0) {
                    for (int i = 0; i < n; i++) intact[0] &= in[i] == (byte) ((got[0] + i) * 31);
                    got[0] += n;
                }
                return got[0] == size;
            });
            assertThat(done).isTrue();
            assertThat(intact[0]).isTrue();
            long superSegments = a.device("a0").stats().txPackets();
            long cut = r.device("r1").stats().txPackets();
            // b acks every other segment, so each ACK frees a few: a's runs are short, but runs all the same.
            assertThat(cut).as("r sent MSS-sized segments").isGreaterThan(size / 1448);
            assertThat(superSegments).as("a sent super-segments").isLessThan(cut / 2);
            assertThat(b.net().mibs().tcp.get(TcpMib.InErrs)).as("full checksums, verified by b").isZero();
            assertThat(b.net().mibs().tcp.get(TcpMib.InCsumErrors)).isZero();
        } finally {
            a.close();
            r.close();
            b.close();
            loop.runPending();
        }
    }
}
