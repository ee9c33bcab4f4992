package io.inet4j.mib;

/** The {@code TcpExt:} counters of {@code /proc/net/netstat} (LINUX_MIB_*), Linux names. */
public enum TcpExtMib {
    SyncookiesSent, SyncookiesRecv, SyncookiesFailed, EmbryonicRsts, PruneCalled, OfoPruned, OutOfWindowIcmps,
    TW, TWRecycled, TWKilled, DelayedACKs, ListenOverflows, ListenDrops, TCPHPHits, TCPPureAcks, TCPHPAcks,
    TCPTimeouts, TCPAbortOnData, TCPAbortOnClose, TCPAbortOnMemory, TCPAbortOnTimeout, TCPAbortOnLinger,
    TCPRcvQDrop, TCPZeroWindowDrop, TCPBacklogDrop, TCPReqQFullDrop, TCPOFOQueue, TCPOFODrop, TCPSynRetrans,
    TCPOrigDataSent, TCPChallengeACK, TCPWinProbe, TCPKeepAlive, TCPTimeWaitOverflow, TCPFastRetrans, TCPRetransFail
}
