package io.inet4j.ipv4.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.mib.IcmpMib;
import io.inet4j.mib.IpExtMib;
import io.inet4j.mib.IpMib;
import io.inet4j.mib.Mibs;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.NetDevice;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddrIn;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad frames on the wire: each is dropped and lands in its Linux-named counter, nothing throws out of the
 * receive path, no buffer leaks, and the stack still answers a good ping afterwards.
 */
class MalformedFrameTest {
    private final TwoStacks t = new TwoStacks();
    private final NetDevice dev = t.b.device("veth-b");
    private final Mibs mibs = t.b.net().mibs();
    private final long outstandingAtStart = t.b.net().pool().outstanding();

    @AfterEach
    void stillHealthy() {
        long echos = mibs.icmp.get(IcmpMib.InEchos);
        inject(f -> {});
        assertThat(mibs.icmp.get(IcmpMib.InEchos)).as("a good echo after the bad frames").isEqualTo(echos + 1);
        // Let fragment queues (30 s) and unresolved neighbours (3 s) time out before counting buffers.
        t.run(40);
        assertThat(t.b.net().pool().outstanding()).as("buffers leaked").isEqualTo(outstandingAtStart);
        t.close();
    }

    /** A good Ethernet + IPv4 + ICMP echo frame to b, changed by {@code mutate}, then received by b. */
    private void inject(Consumer<PacketBuffer> mutate) {
        PacketBuffer f = t.b.net().pool().allocate(14 + 20 + 8 + 32);
        int eth = f.put(14 + 20 + 8 + 32);
        f.setShort(eth, (int) (dev.mac().bits() >>> 32));
        f.setInt(eth + 2, (int) dev.mac().bits());
        f.setShort(eth + 12, EthernetHeader.ETH_P_IP);
        int ip = eth + 14;
        Ipv4Header.write(f, ip, 0, 20 + 8 + 32, 1, 0, 64, IpProto.IPPROTO_ICMP,
                SockAddrIn.parseAddress(TwoStacks.A), SockAddrIn.parseAddress(TwoStacks.B));
        IcmpHeader.setType(f, ip + 20, IcmpHeader.ECHO);
        IcmpHeader.updateChecksum(f, ip + 20, 40);
        mutate.accept(f);
        dev.receive(f);
        t.loop.runPending();
    }

    private static final int IP = 14;

    @Test
    void truncatedEthernetFrame() {
        inject(f -> f.trim(10));
        assertThat(dev.stats().rxLengthErrors()).isEqualTo(1);
    }

    @Test
    void truncatedIpHeader() {
        inject(f -> f.trim(IP + 12));
        assertThat(mibs.ip.get(IpMib.InHdrErrors)).isEqualTo(1);
    }

    @Test
    void badIpChecksum() {
        inject(f -> f.setShort(f.data() + IP + 10, f.getShort(f.data() + IP + 10) ^ 0x0101));
        assertThat(mibs.ipExt.get(IpExtMib.InCsumErrors)).isEqualTo(1);
        assertThat(mibs.ip.get(IpMib.InHdrErrors)).isEqualTo(1);
    }

    @Test
    void badIhl() {
        for (int ihl : new int[] {0, 4, 15}) {
            inject(f -> {
                f.setByte(f.data() + IP, 0x40 | ihl);
                Ipv4Header.updateChecksum(f, f.data() + IP);
            });
        }
        assertThat(mibs.ip.get(IpMib.InHdrErrors)).isEqualTo(3);
    }

    @Test
    void badVersion() {
        inject(f -> {
            f.setByte(f.data() + IP, 0x65);
            Ipv4Header.updateChecksum(f, f.data() + IP);
        });
        assertThat(mibs.ip.get(IpMib.InHdrErrors)).isEqualTo(1);
    }

    @Test
    void totalLengthBeyondFrameIsTruncated() {
        inject(f -> {
            Ipv4Header.setTotalLength(f, f.data() + IP, 1000);
            Ipv4Header.updateChecksum(f, f.data() + IP);
        });
        assertThat(mibs.ipExt.get(IpExtMib.InTruncatedPkts)).isEqualTo(1);
    }

    @Test
    void totalLengthShorterThanHeader() {
        inject(f -> {
            Ipv4Header.setTotalLength(f, f.data() + IP, 12);
            Ipv4Header.updateChecksum(f, f.data() + IP);
        });
        assertThat(mibs.ip.get(IpMib.InHdrErrors)).isEqualTo(1);
    }

    @Test
    void martianSource() {
        inject(f -> {
            Ipv4Header.setSaddr(f, f.data() + IP, SockAddrIn.parseAddress("224.0.0.1"));
            Ipv4Header.updateChecksum(f, f.data() + IP);
        });
        assertThat(mibs.ip.get(IpMib.InAddrErrors)).isEqualTo(1);
    }

    @Test
    void notOursAndNotForwarding() {
        inject(f -> {
            Ipv4Header.setDaddr(f, f.data() + IP, SockAddrIn.parseAddress("10.0.0.77"));
            Ipv4Header.updateChecksum(f, f.data() + IP);
        });
        assertThat(mibs.ip.get(IpMib.InAddrErrors)).isEqualTo(1);
    }

    @Test
    void badIcmpChecksumAndTruncatedIcmp() {
        inject(f -> f.setByte(f.data() + IP + 20 + 8, 0x55));
        assertThat(mibs.icmp.get(IcmpMib.InCsumErrors)).isEqualTo(1);
        inject(f -> {
            f.trim(IP + 20 + 4);
            Ipv4Header.setTotalLength(f, f.data() + IP, 24);
            Ipv4Header.updateChecksum(f, f.data() + IP);
        });
        assertThat(mibs.icmp.get(IcmpMib.InErrors)).isEqualTo(2);
    }

    @Test
    void malformedIpOptionsEarnParameterProblem() {
        // IHL 6: one option word whose length byte runs past the header.
        inject(f -> {
            int ip = f.data() + IP;
            f.setByte(ip, 0x46);
            f.setByte(ip + 20, IpOptions.IPOPT_RR);
            f.setByte(ip + 21, 40);
            Ipv4Header.updateChecksum(f, ip);
        });
        assertThat(mibs.ip.get(IpMib.InHdrErrors)).isEqualTo(1);
        assertThat(mibs.icmp.get(IcmpMib.OutParmProbs)).isEqualTo(1);
    }

    @Test
    void unknownEtherTypeAndOtherHostsMac() {
        inject(f -> f.setShort(f.data() + 12, 0x88b5));
        assertThat(dev.stats().rxNohandler()).isEqualTo(1);
        inject(f -> f.setShort(f.data(), 0x0200));
        assertThat(dev.stats().rxOtherhost()).isEqualTo(1);
    }

    @Test
    void randomFramesNeverThrow() {
        SplittableRandom rnd = new SplittableRandom(42);
        assertThatCode(() -> {
            for (int i = 0; i < 20_000; i++) {
                int mode = rnd.nextInt(3);
                inject(f -> {
                    int len = f.length();
                    int start = mode == 0 ? 0 : mode == 1 ? IP : IP + 20;
                    // Scramble some bytes past `start`; sometimes also cut the frame short.
                    for (int k = 0; k < 1 + rnd.nextInt(6); k++) {
                        int at = start + rnd.nextInt(len - start);
                        f.setByte(f.data() + at, rnd.nextInt(256));
                    }
                    if (rnd.nextInt(4) == 0) f.trim(rnd.nextInt(len));
                    if (mode != 0 && rnd.nextBoolean()) Ipv4Header.updateChecksum(f, f.data() + IP);
                });
            }
        }).doesNotThrowAnyException();
    }
}
