package io.inet4j.mib;

/** The {@code Tcp:} counters of {@code /proc/net/snmp} (TCP_MIB_*), Linux names. CurrEstab is a gauge. */
public enum TcpMib {
    ActiveOpens, PassiveOpens, AttemptFails, EstabResets, CurrEstab, InSegs, OutSegs, RetransSegs, InErrs,
    OutRsts, InCsumErrors
}
