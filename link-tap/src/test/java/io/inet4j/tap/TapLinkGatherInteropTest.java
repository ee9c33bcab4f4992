package io.inet4j.tap;

import static io.inet4j.tap.Frame.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.NetdevFeatures;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TapLink}'s scatter-gather ({@link NetdevFeatures#SG}): a frame whose bytes sit in a linear part and in
 * fragments leaves in one {@code writev(2)}, with and without the offload header in front, and the kernel reads
 * it as the frame it is: it answers the ARP request the pieces make together.
 */
@RequiresTap
class TapLinkGatherInteropTest {
    private static final int KERNEL_IP = ipv4(10, 121, 7, 1);
    private static final int OUR_IP = ipv4(10, 121, 7, 2);

    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {false, true})
    void theKernelReadsAFrameGatheredFromItsFragments(boolean offload) throws Exception {
        String tap = TapNames.unique("zc");
        try (RecordingHost host = new RecordingHost()) {
            TapLink link = TapLink.open(tap, 1500, null, offload);
            try {
                link.start(host);
                try (PeerNamespace ns = PeerNamespace.attach(tap, TapNames.namespace("zc"), "10.121.7.1/24")) {
                    assertThat(link.features() & NetdevFeatures.SG).isNotZero();
                    PacketBuffer whole = Frame.arpRequest(host.pool(), link.mac(), OUR_IP, KERNEL_IP);
                    // Ethernet header and 8 ARP bytes in line, the other 20 in two fragments of other buffers.
                    PacketBuffer f = host.pool().allocate(0);
                    f.push(EthernetHeader.LENGTH + 8);
                    whole.copyBits(0, f, f.data(), EthernetHeader.LENGTH + 8);
                    int[] sizes = {7, 13};
                    PacketBuffer[] parts = new PacketBuffer[sizes.length];
                    int from = EthernetHeader.LENGTH + 8;
                    for (int i = 0; i < parts.length; i++) {
                        PacketBuffer p = parts[i] = host.pool().allocate(sizes[i]);
                        int n = sizes[i];
                        whole.copyBits(from, p, p.put(n), n);
                        f.addFrag(p, p.data(), n);
                        from += n;
                    }
                    whole.release();

                    link.transmit(f);

                    for (PacketBuffer p : parts) {
                        assertThat(p.refCnt()).as("the link let go of the fragments").isEqualTo(1);
                        p.release();
                    }
                    Frame reply = host.await(r -> r.isArp() && r.arpOp() == Frame.ARP_REPLY, Duration.ofSeconds(5));
                    assertThat(reply).as("ARP reply from the kernel; %s", link.stats()).isNotNull();
                    assertThat(reply.arpTargetIp()).isEqualTo(OUR_IP);
                    assertThat(link.stats().txBytes()).isEqualTo(EthernetHeader.LENGTH + 28);
                }
            } finally {
                link.close();
            }
        }
    }
}
