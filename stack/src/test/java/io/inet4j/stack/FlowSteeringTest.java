package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The port partition and the per-frame rule of {@link FlowSteering}. */
class FlowSteeringTest {
    private static final int PEER = 0x0a7a0001; // 10.122.0.1
    private static final int US = 0x0a7a0002;
    private final PacketBufferPool pool = PacketBufferPool.standard();
    /** Two shards over Linux's default range: 32768-46883 and 46884-60999. */
    private final FlowSteering two = new FlowSteering(2, 32768, 60999);

    @Test
    void theSlicesCoverTheRangeWithoutOverlapAndOwnTheirPorts() {
        FlowSteering s = new FlowSteering(3, 32768, 60999);
        assertThat(s.range(0)).containsExactly(32768, 42177);
        assertThat(s.range(1)).containsExactly(42178, 51587);
        assertThat(s.range(2)).containsExactly(51588, 60999); // the last slice takes the remainder
        for (int shard = 0; shard < 3; shard++) {
            int[] r = s.range(shard);
            for (int port = r[0]; port <= r[1]; port++) {
                assertThat(s.shardOf(port, PEER, 5201)).as("port %d", port).isEqualTo(shard);
            }
        }
    }

    @Test
    void aRangeWithFewerPortsThanShardsIsRefused() {
        assertThatThrownBy(() -> new FlowSteering(4, 40000, 40002)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewer ports than 4 shards");
    }

    @Test
    void aListenersConnectionsSpreadOverEveryShardByPeerPort() {
        Set<Integer> seen = new HashSet<>();
        for (int peerPort = 40000; peerPort < 40016; peerPort++) seen.add(two.shardOf(5201, PEER, peerPort));
        assertThat(seen).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void aTcpSegmentGoesToTheOwnerOfItsFlowWhicheverQueueItCameIn() {
        PacketBuffer toSecondSlice = ipv4(6, 0, 20, 50000, 5201);
        assertThat(two.shardOf(toSecondSlice, 0)).isEqualTo(1);
        assertThat(two.shardOf(toSecondSlice, 1)).isEqualTo(1);
        assertThat(two.shardOf(ipv4(17, 0, 20, 33000, 53), 1)).as("a DNS answer to our port 33000").isEqualTo(0);
    }

    @Test
    void arpGoesToEveryShardAndWhatHasNoPortsStaysOnItsQueue() {
        assertThat(two.shardOf(ethernet(0x0806, 42), 1)).isEqualTo(FlowSteering.EVERY_SHARD);
        assertThat(two.shardOf(ipv4(6, 0x2000, 20, 50000, 5201), 0)).as("IP_MF: the ports may not be in it").isEqualTo(0);
        assertThat(two.shardOf(ipv4(6, 0, 16, 50000, 5201), 0)).as("IHL below 5").isEqualTo(0);
        assertThat(two.shardOf(ethernet(0x86dd, 60), 0)).as("IPv6").isEqualTo(0);
    }

    @Test
    void anIcmpErrorGoesToTheShardOfTheDatagramItQuotes() {
        // Port unreachable quoting our UDP datagram from port 50000 (second slice) to the peer's 9999.
        PacketBuffer b = ethernet(0x0800, 14 + 20 + 8 + 20 + 8);
        ipHeader(b, 14, 1, 0, 20, PEER, US);
        b.setByte(34, 3);
        b.setByte(35, 3);
        ipHeader(b, 42, 17, 0, 20, US, PEER);
        b.setShort(62, 50000);
        b.setShort(64, 9999);
        assertThat(two.shardOf(b, 0)).isEqualTo(1);
        b.setByte(34, 8); // an echo request has no flow: the queue's shard answers
        assertThat(two.shardOf(b, 0)).isEqualTo(0);
    }

    /** Ethernet + IPv4 ({@code ihl} bytes claimed, 20 present) + ports, from the peer to us. */
    private PacketBuffer ipv4(int protocol, int fragment, int ihl, int localPort, int peerPort) {
        PacketBuffer b = ethernet(0x0800, 14 + 20 + 8);
        ipHeader(b, 14, protocol, fragment, ihl, PEER, US);
        b.setShort(34, peerPort);
        b.setShort(36, localPort);
        return b;
    }

    /** A frame of {@code length} bytes with EtherType {@code type}, zeros after it. */
    private PacketBuffer ethernet(int type, int length) {
        PacketBuffer b = pool.allocateRaw(128);
        b.put(length);
        b.setShort(12, type);
        return b;
    }

    private static void ipHeader(PacketBuffer b, int at, int protocol, int fragment, int ihl, int src, int dst) {
        b.setByte(at, 0x40 | ihl / 4);
        b.setShort(at + 6, fragment);
        b.setByte(at + 9, protocol);
        b.setInt(at + 12, src);
        b.setInt(at + 16, dst);
    }
}
