package io.inet4j.ipv4.di;

import dagger.Binds;
import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.Multibinds;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.NetnsIpv4;
import io.inet4j.ipv4.af.InetSwitch;
import io.inet4j.ipv4.frag.FragSysctls;
import io.inet4j.ipv4.frag.IpDefrag;
import io.inet4j.ipv4.frag.IpFragmenter;
import io.inet4j.ipv4.icmp.Icmp;
import io.inet4j.ipv4.icmp.IcmpSysctls;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.Ipv4Sysctls;
import io.inet4j.ipv4.neigh.Arp;
import io.inet4j.ipv4.route.Fib;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.net.Net;
import io.inet4j.protocol.InetProtoswTable;
import io.inet4j.protocol.NetProtocolTable;
import io.inet4j.sysctl.SysctlException;
import java.util.Arrays;
import java.util.Set;
import javax.inject.Singleton;

/**
 * Dagger bindings of the IPv4 layer ({@code net/ipv4}): addresses, routing, neighbours, fragments, ICMP, the
 * AF_INET switch, and the sets through which protocol tables may also be bound explicitly (empty by default;
 * the class path provides the rest).
 */
@Module
public interface Ipv4Module {
    @Multibinds
    Set<InetProtoswTable> inetProtoswTables();

    @Multibinds
    Set<NetProtocolTable> netProtocolTables();

    /** What protocols are handed: this stack's IPv4 half. */
    @Binds
    InetContext inetContext(NetnsIpv4 ipv4);

    @Provides
    @Singleton
    static DevInet devinet() { return new DevInet(); }

    @Provides
    @Singleton
    static Fib fib(Net net, DevInet devinet) { return new Fib(devinet, name -> tcpCaRegistered(net, name)); }

    /**
     * tcp_ca_get_key_by_name for a route's congctl: TCP publishes its {@code tcp_cong_list} as
     * {@code net.ipv4.tcp_available_congestion_control}; a stack without TCP knows no algorithm.
     */
    private static boolean tcpCaRegistered(Net net, String name) {
        String available;
        try {
            available = net.sysctls().get("net.ipv4.tcp_available_congestion_control").asString();
        } catch (SysctlException noTcp) {
            return false;
        }
        return Arrays.asList(available.split(" ")).contains(name);
    }

    @Provides
    @Singleton
    static Arp arp(Net net, DevInet devinet) { return new Arp(net, devinet); }

    @Provides
    @Singleton
    static Ipv4Sysctls ipv4Sysctls(Net net) { return new Ipv4Sysctls(net.sysctls()); }

    @Provides
    @Singleton
    static IcmpSysctls icmpSysctls(Net net) { return new IcmpSysctls(net.sysctls()); }

    @Provides
    @Singleton
    static IpFragmenter ipFragmenter(Net net) { return new IpFragmenter(net); }

    /** Reassembly timeouts become "fragment reassembly time exceeded" (ip_expire). */
    @Provides
    @Singleton
    static IpDefrag ipDefrag(Net net, Lazy<Icmp> icmp) {
        return new IpDefrag(net, new FragSysctls(net.sysctls()),
                first -> icmp.get().send(first, IcmpHeader.TIME_EXCEEDED, IcmpHeader.EXC_FRAGTIME, 0));
    }

    @Provides
    @Singleton
    static InetSwitch inetSwitch() { return new InetSwitch(); }
}
