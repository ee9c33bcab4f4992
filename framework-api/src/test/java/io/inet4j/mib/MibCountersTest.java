package io.inet4j.mib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link MibCounters}: inc/dec/add/get per key, snapshots keyed like {@code nstat} ({@code IpInReceives}) in
 * declaration order and detached from later changes, {@code toString} listing only what moved, and the groups of
 * {@link Mibs} with their Linux names.
 */
class MibCountersTest {
    private final MibCounters<IpMib> ip = new MibCounters<>("Ip", IpMib.class);

    @Test
    void incDecAndAddMoveOneKeyOnly() {
        ip.inc(IpMib.InReceives);
        ip.inc(IpMib.InReceives);
        ip.add(IpMib.InDelivers, 40);
        ip.add(IpMib.InDelivers, -10);
        ip.dec(IpMib.InDiscards);
        assertThat(ip.get(IpMib.InReceives)).isEqualTo(2);
        assertThat(ip.get(IpMib.InDelivers)).isEqualTo(30);
        assertThat(ip.get(IpMib.InDiscards)).isEqualTo(-1);
        assertThat(ip.get(IpMib.InHdrErrors)).isZero();
    }

    @Test
    void snapshotKeysAreGroupPlusNameInDeclarationOrder() {
        ip.inc(IpMib.InReceives);
        ip.add(IpMib.FragCreates, 3);
        Map<String, Long> snap = ip.snapshot();
        assertThat(snap).hasSize(IpMib.values().length);
        assertThat(snap.keySet()).first().isEqualTo("IpInReceives");
        assertThat(snap.keySet()).last().isEqualTo("IpFragCreates");
        assertThat(snap).containsEntry("IpInReceives", 1L).containsEntry("IpFragCreates", 3L).containsEntry("IpInHdrErrors", 0L);
        ip.inc(IpMib.InReceives);
        assertThat(snap).as("a snapshot does not follow later changes").containsEntry("IpInReceives", 1L);
    }

    @Test
    void toStringListsOnlyNonZeroCounters() {
        assertThat(ip).hasToString("Ip:");
        ip.inc(IpMib.InReceives);
        ip.add(IpMib.OutRequests, 5);
        assertThat(ip).hasToString("Ip: InReceives=1 OutRequests=5");
    }

    @Test
    void mibsHoldOneGroupPerLinuxTable() {
        Mibs mibs = new Mibs();
        assertThat(mibs.all()).extracting(MibCounters::group).containsExactly("Ip", "IpExt", "Icmp", "Tcp", "TcpExt", "Udp");
        mibs.tcp.inc(TcpMib.OutRsts);
        mibs.tcpExt.inc(TcpExtMib.ListenOverflows);
        assertThat(mibs.tcp.snapshot()).containsEntry("TcpOutRsts", 1L);
        assertThat(mibs.tcpExt.snapshot()).containsEntry("TcpExtListenOverflows", 1L);
        assertThat(mibs.udp.snapshot()).containsKey("UdpNoPorts");
        assertThat(mibs.icmp.snapshot()).containsKey("IcmpInEchos");
        assertThat(mibs.ipExt.snapshot()).containsKey("IpExtInOctets");
        assertThat(mibs.toString()).contains("Tcp: OutRsts=1").contains("TcpExt: ListenOverflows=1");
    }
}
