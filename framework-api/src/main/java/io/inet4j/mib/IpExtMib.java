package io.inet4j.mib;

/** The {@code IpExt:} counters of {@code /proc/net/netstat}, Linux names. */
public enum IpExtMib {
    InNoRoutes, InTruncatedPkts, InMcastPkts, OutMcastPkts, InBcastPkts, OutBcastPkts,
    InOctets, OutOctets, InCsumErrors
}
