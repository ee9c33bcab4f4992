package io.inet4j.mib;

/** The {@code Icmp:} counters of {@code /proc/net/snmp} (ICMP_MIB_*), Linux names. */
public enum IcmpMib {
    InMsgs, InErrors, InCsumErrors, InDestUnreachs, InTimeExcds, InParmProbs, InSrcQuenchs, InRedirects,
    InEchos, InEchoReps, InTimestamps, InTimestampReps, InAddrMasks, InAddrMaskReps,
    OutMsgs, OutErrors, OutRateLimitGlobal, OutRateLimitHost, OutDestUnreachs, OutTimeExcds, OutParmProbs,
    OutSrcQuenchs, OutRedirects, OutEchos, OutEchoReps, OutTimestamps, OutTimestampReps, OutAddrMasks,
    OutAddrMaskReps
}
