package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.mib.TcpMib;
import io.inet4j.netdev.Link;
import io.inet4j.netdev.LinkHost;
import io.inet4j.netdev.MacAddress;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two shards behind a multi-queue wire that deals the frames for them out to its queues in turn, whatever their
 * flow, as tun would with no memory of flows at all: steering alone must bring each flow to its one shard. The
 * client is a plain stack on the wire's other end.
 */
class ShardedStackTest {
    private static final String CLIENT = "10.0.0.1";
    private static final String SERVER = "10.0.0.2";
    private static final int SERVICE = 7000;
    /** How long a connect, accept or read may wait before the test fails instead of hanging. */
    private static final int WAIT_MILLIS = 10_000;

    private InetStack client;
    private ShardedStack server;

    @BeforeEach
    void build() {
        MultiQueueWire wire = new MultiQueueWire(2);
        client = InetStack.builder().name("client").link(wire.client, CLIENT + "/24").build();
        server = ShardedStack.build(wire.queues, (i, b) -> b.name("server-" + i), SERVER + "/24");
    }

    @AfterEach
    void close() {
        if (server != null) server.close();
        if (client != null) client.close();
    }

    @Test
    void eachShardConnectsFromItsOwnSliceOfThePortRange() throws IOException {
        try (InetServerSocket listener = client.serverSocket(SERVICE, 16)) {
            listener.setSoTimeout(WAIT_MILLIS);
            List<InetSocket> ours = new ArrayList<>();
            List<InetSocket> theirs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                InetSocket s = server.socket();
                s.connect(CLIENT, SERVICE, WAIT_MILLIS);
                ours.add(s);
                theirs.add(listener.accept());
            }
            for (int i = 0; i < 4; i++) {
                int shard = i % 2; // the shards take turns
                String range = server.shard(shard).net().sysctls().get("net.ipv4.ip_local_port_range").asString();
                String[] r = range.split("\\s+");
                assertThat(ours.get(i).getLocalPort()).as("connection %d from shard %d (%s)", i, shard, range)
                        .isBetween(Integer.parseInt(r[0]), Integer.parseInt(r[1]));
                assertEcho(ours.get(i), theirs.get(i), i);
            }
            assertThat(activeOpens(0)).isEqualTo(2);
            assertThat(activeOpens(1)).isEqualTo(2);
            for (InetSocket s : ours) s.close();
            for (InetSocket s : theirs) s.close();
        }
    }

    @Test
    void theSlicesSplitTheWholeRange() {
        assertThat(server.shard(0).net().sysctls().get("net.ipv4.ip_local_port_range").asString()).isEqualTo("32768\t46883");
        assertThat(server.shard(1).net().sysctls().get("net.ipv4.ip_local_port_range").asString()).isEqualTo("46884\t60999");
    }

    @Test
    void acceptTakesTheConnectionsOfEveryShard() throws IOException {
        FlowSteering rule = new FlowSteering(2, 32768, 60999);
        try (ShardedServerSocket listener = server.serverSocket(SERVICE, 16)) {
            listener.setSoTimeout(WAIT_MILLIS);
            // Client ports chosen so that two connections belong to each shard.
            List<Integer> ports = new ArrayList<>();
            int clientAddr = io.inet4j.socket.SockAddrIn.parseAddress(CLIENT);
            for (int p = 20000, want = 0; ports.size() < 4; p++) {
                if (rule.shardOf(SERVICE, clientAddr, p) == want) {
                    ports.add(p);
                    want ^= 1;
                }
            }
            List<InetSocket> theirs = new ArrayList<>();
            List<InetSocket> accepted = new ArrayList<>();
            for (int port : ports) {
                InetSocket s = client.socket();
                s.bind(new InetSocketAddress(CLIENT, port));
                s.connect(SERVER, SERVICE, WAIT_MILLIS);
                theirs.add(s);
                accepted.add(listener.accept());
            }
            assertThat(passiveOpens(0)).isEqualTo(2);
            assertThat(passiveOpens(1)).isEqualTo(2);
            for (InetSocket a : accepted) {
                InetSocket peer = theirs.stream().filter(t -> t.getLocalPort() == a.getPort()).findFirst().orElseThrow();
                assertEcho(peer, a, a.getPort());
                a.close();
                peer.close();
            }
        }
    }

    @Test
    void closingTheListenerWakesAnAcceptAndAListenerNeedsAPortOutsideTheRange() throws Exception {
        ShardedServerSocket listener = server.serverSocket(SERVICE, 4);
        Thread closer = new Thread(listener::close);
        closer.start();
        assertThatThrownBy(listener::accept).isInstanceOf(java.net.SocketException.class).hasMessage("Socket closed");
        closer.join();
        assertThatThrownBy(() -> server.serverSocket(40000, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside net.ipv4.ip_local_port_range (32768-60999)");
        assertThatThrownBy(() -> server.serverSocket(0, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    private long passiveOpens(int shard) { return server.shard(shard).net().mibs().tcp.get(TcpMib.PassiveOpens); }

    private long activeOpens(int shard) { return server.shard(shard).net().mibs().tcp.get(TcpMib.ActiveOpens); }

    /** A number written on one end reads back on the other, both ways. */
    private static void assertEcho(InetSocket a, InetSocket b, int n) throws IOException {
        a.setSoTimeout(WAIT_MILLIS);
        b.setSoTimeout(WAIT_MILLIS);
        a.getOutputStream().write(new byte[] {0, 0, (byte) (n >> 8), (byte) n});
        assertThat(new DataInputStream(b.getInputStream()).readInt()).isEqualTo(n);
        b.getOutputStream().write(new byte[] {0, 0, (byte) (n >> 8), (byte) n});
        assertThat(new DataInputStream(a.getInputStream()).readInt()).isEqualTo(n);
    }

    /**
     * A device with {@code n} queues on one side and a plain end on the other: the plain end's frames go to the
     * queues in turn; any queue's frames go to the plain end.
     */
    private static final class MultiQueueWire {
        private static final MacAddress DEVICE_MAC = MacAddress.parse("02:00:00:00:00:02");
        final Link client;
        final List<Link> queues = new ArrayList<>();
        private final LinkHost[] queueHosts;
        private final AtomicInteger next = new AtomicInteger();
        private volatile LinkHost clientHost;

        MultiQueueWire(int n) {
            queueHosts = new LinkHost[n];
            client = new End("veth-c", null) {
                @Override public void start(LinkHost host) { clientHost = host; }
                @Override public void transmit(PacketBuffer frame) {
                    LinkHost h = queueHosts[Math.floorMod(next.getAndIncrement(), n)];
                    if (h == null) frame.release();
                    else h.receive(frame);
                }
            };
            for (int i = 0; i < n; i++) {
                int q = i;
                queues.add(new End("mq0", DEVICE_MAC) {
                    @Override public void start(LinkHost host) { queueHosts[q] = host; }
                    @Override public void transmit(PacketBuffer frame) {
                        LinkHost h = clientHost;
                        if (h == null) frame.release();
                        else h.receive(frame);
                    }
                });
            }
        }

        private abstract static class End implements Link {
            private final String name;
            private final MacAddress mac;

            End(String name, MacAddress mac) {
                this.name = name;
                this.mac = mac;
            }

            @Override public String name() { return name; }
            @Override public int mtu() { return 1500; }
            @Override public MacAddress mac() { return mac; }
            @Override public void close() {}
        }
    }
}
