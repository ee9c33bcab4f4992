package io.inet4j.mib;

/** The {@code IpExt:} counters of {@code /proc/net/netstat}, Linux names. */
public enum IpExtMib {
    InNoRoutes, InTruncatedPkts, InMcastPkts, OutMcastPkts, InBcastPkts, OutBcastPkts,
    InOctets, OutOctets, InCsumErrors,
    /** Datagrams received by ECN field, Not-ECT, ECT(1), ECT(0) and CE, in that order as Linux indexes them. */
    InNoECTPkts, InECT1Pkts, InECT0Pkts, InCEPkts
}
