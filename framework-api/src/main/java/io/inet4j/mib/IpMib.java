package io.inet4j.mib;

/** The {@code Ip:} counters of {@code /proc/net/snmp} (IPSTATS_MIB_*), Linux names. */
public enum IpMib {
    InReceives, InHdrErrors, InAddrErrors, ForwDatagrams, InUnknownProtos, InDiscards, InDelivers,
    OutRequests, OutDiscards, OutNoRoutes, ReasmTimeout, ReasmReqds, ReasmOKs, ReasmFails,
    FragOKs, FragFails, FragCreates
}
