package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.mib.TcpMib;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.Link;
import io.inet4j.netdev.LinkHost;
import io.inet4j.netdev.MacAddress;
import io.inet4j.netdev.NetdevFeatures;
import io.inet4j.tcp.wire.TcpHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The send path's one copy: on a device that gathers ({@link NetdevFeatures#SG}) a segment, a retransmission and a
 * TSO super-segment leave as a buffer of headers whose fragments are the send queue's own buffers, and the bytes on
 * the wire are right; on a device that does not, they leave linear, as before. The wire here is a's end wrapped by
 * {@link Probe}, which sees each frame as the device hands it over, then lets the in-memory wire gather it.
 */
class TcpSendZeroCopyTest {
    private static final int SIZE = 2 << 20;

    /** A data segment as it reached the link. */
    record Frame(int seq, int payload, int headLength, int nrFrags, PacketBuffer firstFrag, int gsoSize) {}

    /** a's end of the wire: offers {@code features}, records data frames and drops the {@code dropNth}-th (1-based). */
    static final class Probe implements Link {
        final Link inner;
        final int features;
        final List<Frame> frames = new ArrayList<>();
        int dropNth;
        private int dataFrames;

        Probe(Link inner, int features) {
            this.inner = inner;
            this.features = features;
        }

        @Override public String name() { return inner.name(); }
        @Override public int mtu() { return inner.mtu(); }
        @Override public MacAddress mac() { return inner.mac(); }
        @Override public int features() { return features; }
        @Override public void start(LinkHost host) { inner.start(host); }
        @Override public void close() { inner.close(); }

        @Override
        public void transmit(PacketBuffer f) {
            int ip = f.data() + EthernetHeader.LENGTH;
            if (EthernetHeader.etherType(f, f.data()) == EthernetHeader.ETH_P_IP) {
                int th = ip + Ipv4Header.headerLength(f, ip);
                int hdrs = th + TcpHeader.headerLength(f, th) - f.data();
                int payload = f.length() - hdrs;
                if (payload > 0) {
                    frames.add(new Frame(TcpHeader.seq(f, th), payload, f.headLength(), f.nrFrags(),
                            f.nrFrags() > 0 ? f.fragBuffer(0) : null, f.gsoSize()));
                    if (++dataFrames == dropNth) {
                        f.release();
                        return;
                    }
                }
            }
            inner.transmit(f);
        }

        /** Ethernet, IP and TCP headers of a data frame: what its linear part holds when the payload is referenced. */
        static boolean headersOnly(Frame f) { return f.headLength() <= EthernetHeader.LENGTH + 20 + TcpHeader.MAX_LENGTH; }
    }

    private static TwoStacks stacks(int features, Probe[] probe) {
        return TwoStacks.wrapping(1500, l -> probe[0] = new Probe(l, features));
    }

    @Test
    void superSegmentsReferenceTheQueuedSegmentsOnAGatheringDevice() throws Exception {
        Probe[] p = new Probe[1];
        try (TwoStacks t = stacks(NetdevFeatures.SG | NetdevFeatures.TSO | NetdevFeatures.HW_CSUM, p)) {
            BulkTransfer.Result r = BulkTransfer.run(t, SIZE, 21);
            assertThat(r.intact()).as("bytes on the wire").isTrue();
            assertThat(p[0].frames).as("every data frame: headers in line, payload in fragments").allSatisfy(f -> {
                assertThat(Probe.headersOnly(f)).isTrue();
                assertThat(f.nrFrags()).isGreaterThan(0);
            });
            assertThat(p[0].frames).as("super-segments of many segments referencing the few skbs that hold them")
                    .anySatisfy(f -> {
                        assertThat(f.payload()).isGreaterThan(8 * 1448);
                        assertThat(f.nrFrags()).isLessThanOrEqualTo(2);
                    });
            assertThat(t.b.net().mibs().tcp.get(TcpMib.InErrs)).isZero();
            t.run(1);
            assertThat(t.a.net().pool()).isNotSameAs(t.b.net().pool());
            assertThat(t.a.net().pool().outstanding()).as("a's buffers once all is acked: nothing leaks, created %d",
                    t.a.net().pool().created()).isLessThan(16);
        }
    }

    @Test
    void aRetransmissionReferencesTheSameQueuedBuffer() throws Exception {
        Probe[] p = new Probe[1];
        try (TwoStacks t = stacks(NetdevFeatures.SG, p)) {
            p[0].dropNth = 20;
            BulkTransfer.Result r = BulkTransfer.run(t, SIZE / 4, 22);
            assertThat(r.intact()).as("bytes on the wire, checksums computed over the fragments").isTrue();
            assertThat(t.a.net().mibs().tcp.get(TcpMib.RetransSegs)).isPositive();
            assertThat(t.b.net().mibs().tcp.get(TcpMib.InCsumErrors)).isZero();
            Map<Integer, Frame> first = new HashMap<>();
            int resent = 0;
            for (Frame f : p[0].frames) {
                assertThat(Probe.headersOnly(f)).isTrue();
                assertThat(f.nrFrags()).isEqualTo(1);
                Frame before = first.putIfAbsent(f.seq(), f);
                if (before != null && before.payload() == f.payload()) {
                    assertThat(f.firstFrag()).as("the retransmission of " + f.seq() + " shares the queued bytes")
                            .isSameAs(before.firstFrag());
                    resent++;
                }
            }
            assertThat(resent).isPositive();
        }
    }

    @Test
    void withoutScatterGatherEveryFrameIsLinear() throws Exception {
        Probe[] p = new Probe[1];
        try (TwoStacks t = stacks(NetdevFeatures.TSO | NetdevFeatures.HW_CSUM, p)) {
            BulkTransfer.Result r = BulkTransfer.run(t, SIZE / 4, 23);
            assertThat(r.intact()).isTrue();
            assertThat(p[0].frames).isNotEmpty().allSatisfy(f -> assertThat(f.nrFrags()).isZero());
            assertThat(p[0].frames).anySatisfy(f -> assertThat(f.gsoSize()).isPositive());
        }
    }
}
