package io.inet4j.mib;

/** The {@code Udp:} counters of {@code /proc/net/snmp} (UDP_MIB_*), Linux names. */
public enum UdpMib {
    InDatagrams, NoPorts, InErrors, OutDatagrams, RcvbufErrors, SndbufErrors, InCsumErrors, IgnoredMulti,
    MemErrors
}
