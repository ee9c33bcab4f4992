package io.inet4j.tap;

import static io.inet4j.tap.Frame.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.MacAddress;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our TapLink against the kernel's ARP and IPv4, with the kernel's end of the device in its own namespace. */
@RequiresTap
class TapLinkInteropTest {
    private static final int KERNEL_IP = ipv4(10, 77, 1, 1);
    private static final int OUR_IP = ipv4(10, 77, 1, 2);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final String tap = TapNames.unique("t");
    private final RecordingHost host = new RecordingHost();
    private TapLink link;
    private PeerNamespace ns;

    @BeforeEach
    void openAndMove() throws Exception {
        link = TapLink.open(tap, 1500);
        link.start(host);
        ns = PeerNamespace.attach(tap, TapNames.namespace("t"), "10.77.1.1/24");
    }

    @AfterEach
    void cleanUp() throws Exception {
        link.close();
        ns.close();
        host.close();
    }

    @Test
    void kernelAnswersOurArpRequest() throws Exception {
        link.transmit(Frame.arpRequest(host.pool(), link.mac(), OUR_IP, KERNEL_IP));

        Frame reply = host.await(f -> f.isArp() && f.arpOp() == Frame.ARP_REPLY, WAIT);

        assertThat(reply).as("ARP reply from the kernel; %s", link.stats()).isNotNull();
        assertThat(reply.destination()).isEqualTo(link.mac());
        assertThat(reply.arpSenderIp()).isEqualTo(KERNEL_IP);
        assertThat(reply.arpTargetMac()).isEqualTo(link.mac());
        assertThat(reply.arpTargetIp()).isEqualTo(OUR_IP);
        assertThat(link.stats().txFrames()).isEqualTo(1);
        assertThat(link.stats().txBytes()).isEqualTo(EthernetHeader.LENGTH + 28);
        assertThat(link.stats().rxFrames()).isPositive();
    }

    @Test
    void receivesWhatTheKernelSends() throws Exception {
        // The kernel has to resolve our address before it can ping it: a broadcast "who has 10.77.1.2".
        Process ping = ns.start("ping", "-c", "3", "-i", "0.2", "10.77.1.2");
        try {
            Frame request = host.await(f -> f.isArp() && f.arpOp() == Frame.ARP_REQUEST && f.arpTargetIp() == OUR_IP, WAIT);

            assertThat(request).as("kernel ARP request; %s", link.stats()).isNotNull();
            assertThat(request.destination()).isEqualTo(MacAddress.BROADCAST);
            assertThat(request.arpSenderIp()).isEqualTo(KERNEL_IP);
        } finally {
            ping.destroy();
        }
    }

    @Test
    void closeStopsTheReaderAndRemovesTheDevice() throws Exception {
        Thread reader = link.readerThread();
        assertThat(reader.isAlive()).isTrue();

        long start = System.nanoTime();
        link.close();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMillis).isLessThan(1000);
        assertThat(reader.isAlive()).isFalse();
        PeerNamespace.Result show = ns.exec("ip", "link", "show", tap);
        assertThat(show.exitCode()).as("ip link show after close: %s", show).isNotZero();
        assertThat(show.stderr()).contains("does not exist");
        assertThat(host.pool().outstanding()).isZero();
        link.close(); // idempotent
    }

    @Test
    void framesOverTheMtuAreDroppedAndCounted() throws Exception {
        // Let the kernel send frames bigger than our MTU and our 2048-byte buffers; skip ARP with a static entry.
        assertThat(ns.exec("ip", "link", "set", "dev", tap, "mtu", "4000").ok()).isTrue();
        assertThat(ns.exec("ip", "neigh", "replace", "10.77.1.2", "lladdr", link.mac().toString(), "dev", tap).ok()).isTrue();
        List<Process> pings = new ArrayList<>();
        try {
            pings.add(ns.start("ping", "-c", "1", "-s", "1000", "10.77.1.2"));
            Frame fits = host.await(f -> f.etherType() == EthernetHeader.ETH_P_IP && f.length() == 14 + 20 + 8 + 1000, WAIT);
            assertThat(fits).as("1000-byte ping; %s", link.stats()).isNotNull();

            // 1642 bytes fits the buffer but not the MTU; 3042 fits neither and arrives cut to the buffer.
            pings.add(ns.start("ping", "-c", "1", "-s", "1600", "10.77.1.2"));
            pings.add(ns.start("ping", "-c", "1", "-s", "3000", "10.77.1.2"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (link.stats().rxDropped() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
        } finally {
            pings.forEach(Process::destroy);
        }
        assertThat(link.stats().rxDropped()).as("%s", link.stats()).isEqualTo(2);
        assertThat(link.stats().rxErrors()).isZero();
        assertThat(host.pool().outstanding()).isZero();
    }

    @Test
    void deletingTheNamespaceEndsReceivingAndCloseStillWorks() throws Exception {
        Thread reader = link.readerThread();

        ns.close(); // takes the device with it

        reader.join(2000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(link.stats().rxErrors()).isEqualTo(1);
        link.transmit(Frame.arpRequest(host.pool(), link.mac(), OUR_IP, KERNEL_IP));
        assertThat(link.stats().txErrors()).as("EBADFD: the device is gone").isEqualTo(1);
        link.close();
        assertThat(host.pool().outstanding()).isZero();
    }
}
