package io.inet4j.mib;

/** The {@code TcpExt:} counters of {@code /proc/net/netstat} (LINUX_MIB_*), Linux names. */
public enum TcpExtMib {
    SyncookiesSent, SyncookiesRecv, SyncookiesFailed, EmbryonicRsts, PruneCalled, RcvPruned, OfoPruned, OutOfWindowIcmps,
    TW, TWRecycled, TWKilled, PAWSActive, PAWSEstab, PAWSTimewait, TCPACKSkippedPAWS,
    DelayedACKs, ListenOverflows, ListenDrops, TCPHPHits, TCPPureAcks, TCPHPAcks,
    TCPTimeouts, TCPAbortOnData, TCPAbortOnClose, TCPAbortOnMemory, TCPMemoryPressures, TCPAbortOnTimeout, TCPAbortOnLinger,
    TCPRcvCollapsed, TCPRcvQDrop, TCPZeroWindowDrop, TCPBacklogDrop, TCPReqQFullDrop, TCPRcvCoalesce, TCPOFOQueue, TCPOFODrop, TCPOFOMerge, TCPSynRetrans,
    TCPDeferAcceptDrop,
    TCPOrigDataSent, TCPChallengeACK, TCPWinProbe, TCPKeepAlive, TCPTimeWaitOverflow, TCPFastRetrans,
    TCPSYNChallenge, TCPACKSkippedSynRecv, TCPACKSkippedSeq, TCPACKSkippedTimeWait, TCPACKSkippedChallenge,
    DelayedACKLost, TCPRetransFail,
    TCPSackRecovery, TCPSACKReneging, TCPSACKReorder, TCPFullUndo, TCPPartialUndo, TCPDSACKUndo, TCPLossUndo,
    TCPLostRetransmit, TCPSackFailures, TCPSackRecoveryFail, TCPDSACKOldSent, TCPDSACKOfoSent, TCPDSACKRecv,
    TCPDSACKOfoRecv, TCPSACKDiscard, TCPDSACKIgnoredOld, TCPDSACKIgnoredNoUndo, TCPDSACKRecvSegs,
    TCPDSACKIgnoredDubious, TCPTSReorder,
    TCPLossProbes, TCPLossProbeRecovery,
    TCPSpuriousRTOs,
    TCPHystartDelayDetect, TCPHystartDelayCwnd,
    TCPReqQFullDoCookies
}
