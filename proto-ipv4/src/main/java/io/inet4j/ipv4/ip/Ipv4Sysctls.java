package io.inet4j.ipv4.ip;

import io.inet4j.sysctl.IntSysctl;
import io.inet4j.sysctl.IntVectorSysctl;
import io.inet4j.sysctl.PortSetSysctl;
import io.inet4j.sysctl.Sysctls;

/** The {@code net.ipv4.*} tunables of the IP layer and local ports, with Linux defaults. */
public final class Ipv4Sysctls {
    public final IntSysctl ipForward;
    public final IntSysctl ipDefaultTtl;
    /** {@code net.ipv4.ip_local_port_range}: the ephemeral ports, "32768 60999". */
    public final IntVectorSysctl ipLocalPortRange;
    public final PortSetSysctl ipLocalReservedPorts;
    /** {@code net.ipv4.conf.all.accept_source_route}: datagrams with source-route options are dropped when 0. */
    public final IntSysctl acceptSourceRoute;
    /**
     * {@code net.ipv4.ip_no_pmtu_disc}: 0 sends TCP (and UDP datagrams that fit) with DF and learns path MTUs
     * from ICMP "fragmentation needed"; 1 sends without DF and takes no MTU from ICMP; 2 discards those ICMP
     * messages; 3 accepts them only for TCP, whose quoted sequence number is checked.
     */
    public final IntSysctl ipNoPmtuDisc;
    /** {@code net.ipv4.route.min_pmtu}: no learned path MTU goes below this (552). */
    public final IntSysctl routeMinPmtu;
    /** {@code net.ipv4.route.mtu_expires}: seconds a learned path MTU lasts (600). */
    public final IntSysctl routeMtuExpires;

    public Ipv4Sysctls(Sysctls table) {
        ipForward = table.register(new IntSysctl("net.ipv4.ip_forward", 0, 0, 1));
        ipDefaultTtl = table.register(new IntSysctl("net.ipv4.ip_default_ttl", 64, 1, 255));
        // Linux rejects a range whose ends are out of 1..65535 or inverted.
        ipLocalPortRange = table.register(new IntVectorSysctl("net.ipv4.ip_local_port_range", new int[] {32768, 60999},
                v -> v[0] >= 1 && v[1] <= 65535 && v[0] <= v[1], "1 <= low <= high <= 65535"));
        ipLocalReservedPorts = table.register(new PortSetSysctl("net.ipv4.ip_local_reserved_ports"));
        acceptSourceRoute = table.register(new IntSysctl("net.ipv4.conf.all.accept_source_route", 0, 0, 1));
        ipNoPmtuDisc = table.register(new IntSysctl("net.ipv4.ip_no_pmtu_disc", 0, 0, 3));
        routeMinPmtu = table.register(new IntSysctl("net.ipv4.route.min_pmtu", 552, 68, 65535));
        routeMtuExpires = table.register(new IntSysctl("net.ipv4.route.mtu_expires", 600, 0, Integer.MAX_VALUE));
    }
}
