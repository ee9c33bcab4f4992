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

    public Ipv4Sysctls(Sysctls table) {
        ipForward = table.register(new IntSysctl("net.ipv4.ip_forward", 0, 0, 1));
        ipDefaultTtl = table.register(new IntSysctl("net.ipv4.ip_default_ttl", 64, 1, 255));
        // Linux rejects a range whose ends are out of 1..65535 or inverted.
        ipLocalPortRange = table.register(new IntVectorSysctl("net.ipv4.ip_local_port_range", new int[] {32768, 60999},
                v -> v[0] >= 1 && v[1] <= 65535 && v[0] <= v[1], "1 <= low <= high <= 65535"));
        ipLocalReservedPorts = table.register(new PortSetSysctl("net.ipv4.ip_local_reserved_ports"));
        acceptSourceRoute = table.register(new IntSysctl("net.ipv4.conf.all.accept_source_route", 0, 0, 1));
    }
}
