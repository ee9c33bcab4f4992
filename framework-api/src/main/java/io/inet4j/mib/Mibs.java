package io.inet4j.mib;

import java.util.List;

/** A stack's SNMP and netstat counters, one {@link MibCounters} group each ({@code net->mib}). */
public final class Mibs {
    public final MibCounters<IpMib> ip = new MibCounters<>("Ip", IpMib.class);
    public final MibCounters<IpExtMib> ipExt = new MibCounters<>("IpExt", IpExtMib.class);
    public final MibCounters<IcmpMib> icmp = new MibCounters<>("Icmp", IcmpMib.class);
    public final MibCounters<TcpMib> tcp = new MibCounters<>("Tcp", TcpMib.class);
    public final MibCounters<TcpExtMib> tcpExt = new MibCounters<>("TcpExt", TcpExtMib.class);
    public final MibCounters<UdpMib> udp = new MibCounters<>("Udp", UdpMib.class);

    public List<MibCounters<?>> all() { return List.of(ip, ipExt, icmp, tcp, tcpExt, udp); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (MibCounters<?> m : all()) sb.append(m).append('\n');
        return sb.toString();
    }
}
