package io.inet4j.tcp;

/**
 * The part of a TCP socket ({@code struct tcp_sock}) that only loss, reordering and retransmission ever change:
 * the SACK scoreboard's marks, undo, PRR, F-RTO, RACK's reordering window, the tail loss probe and the loss,
 * reordering and retransmission counters {@code tcp_info} reports. Most connections never lose a segment, and a
 * million idle ones would each carry ~100 bytes of zeros: a socket reads the shared {@link #NONE}
 * ({@link TcpSock#loss}) until it first writes one of these fields, through {@link TcpSock#ownLoss()}, which makes
 * its own and keeps it. Owned by the stack's loop.
 */
final class TcpLoss {
    /** What every socket reads before its first write: Linux's values after {@code tcp_init_sock}. Never written. */
    static final TcpLoss NONE = new TcpLoss();

    /**
     * The SACK scoreboard and recovery ({@link TcpSack}): the end of the highest SACKed segment
     * ({@code tcp_highest_sack_seq}); the lowest reordered sequence the ACK being processed showed
     * ({@code tcp_sacktag_state.reord}); the undo state ({@code undo_marker}, 0 for none, {@code undo_retrans},
     * {@code prior_ssthresh}); PRR's counts ({@code prr_delivered}, {@code prr_out}); D-SACKed segments
     * ({@code dsack_dups}).
     */
    int highestSack;
    int sackReord;
    int undoMarker;
    int undoRetrans;
    /** F-RTO (RFC 5682) is running in this Loss episode ({@code tp->frto}, {@link TcpFrto}). */
    boolean frto;
    int priorSsthresh;
    int prrDelivered;
    int prrOut;
    int dsackDups;
    /** Segments ever marked lost ({@code lost}). */
    int lost;
    /** Segments that arrived out of order ({@code rcv_ooopack}), the receiver's view of reordering and loss. */
    int rcvOoopack;

    // RACK-TLP (TcpRack, TcpTlp).
    /** The reordering window in quarters of min_rtt, and how many recoveries it lasts ({@code rack.reo_wnd_*}). */
    int rackReoWndSteps = 1;
    int rackReoWndPersist;
    /** A D-SACK after reordering was seen awaits a wider window ({@code rack.dsack_seen}, {@code rack.last_delivered}). */
    boolean rackDsackSeen;
    int rackLastDelivered;
    /** Times reordering was detected ({@code reord_seen}). */
    int reordSeen;
    /** snd_nxt when the outstanding loss probe went, 0 when none ({@code tlp_high_seq}); was it a retransmission. */
    int tlpHighSeq;
    boolean tlpRetrans;

    // tcp_info's retransmission counters (tcp_get_info).
    /** Segments retransmitted ({@code total_retrans}), and their payload bytes ({@code bytes_retrans}). */
    int totalRetrans;
    long bytesRetrans;
    /** Retransmission timeouts, and the recoveries they started with their time ({@code total_rto}, ...). */
    int totalRto;
    int totalRtoRecoveries;
    long totalRtoTime;
    /** When the running timeout recovery began, 0 when none ({@code rto_stamp}). */
    long rtoStamp;
}
