package io.inet4j.tcp.cong;

/**
 * A congestion control algorithm ({@code struct tcp_congestion_ops} in {@code include/net/tcp.h}). TCP calls it
 * from its ACK, loss and timeout paths; the algorithm reads and sets the socket only through
 * {@link TcpCongestionSock}. One instance serves one socket, so fields are the per-socket private state
 * ({@code inet_csk_ca(sk)}); every call comes from that socket's event loop.
 *
 * <p>Required, as Linux requires them: {@link #ssthresh}, {@link #congAvoid} and {@link #undoCwnd}. The rest
 * default to doing nothing.
 */
public interface TcpCongestionOps {
    /**
     * {@code enum tcp_ca_state}, with Linux's numbers: where the sender is in loss recovery
     * ({@code icsk_ca_state}). Disorder (1) and CWR (2) come with SACK and ECN, which are not built yet.
     */
    int TCP_CA_OPEN = 0;
    int TCP_CA_RECOVERY = 3;
    int TCP_CA_LOSS = 4;

    /**
     * {@code enum tcp_ca_event}, with Linux's numbers: what {@link #cwndEvent} reports. Only a timeout's loss is
     * raised so far, and CWND_RESTART by restart after idle.
     */
    int CA_EVENT_LOSS = 3;
    int CA_EVENT_CWND_RESTART = 1;

    /** {@code TCP_CONG_NON_RESTRICTED}: any socket may select it, not only the stack's default. */
    int TCP_CONG_NON_RESTRICTED = 1;

    /** The name it is registered under ({@code name}). */
    String name();

    /** {@code TCP_CONG_*} bits ({@code flags}). */
    default int flags() { return 0; }

    /** The socket starts using this algorithm: set up private state ({@code init}). */
    default void init(TcpCongestionSock tp) {}

    /** The socket stops using it: it is closing or switching algorithms ({@code release}). */
    default void release(TcpCongestionSock tp) {}

    /** The slow-start threshold after a loss ({@code ssthresh}); called before the cwnd is cut. */
    int ssthresh(TcpCongestionSock tp);

    /**
     * Grow the window: {@code acked} segments were newly acknowledged by the ACK of {@code ack}, in state Open or
     * after a timeout ({@code cong_avoid}).
     */
    void congAvoid(TcpCongestionSock tp, int ack, int acked);

    /** The cwnd to restore when a reduction turns out to have been spurious ({@code undo_cwnd}). */
    int undoCwnd(TcpCongestionSock tp);

    /** The socket enters {@code newState}, one of {@code TCP_CA_*} ({@code set_state}); called before it changes. */
    default void setState(TcpCongestionSock tp, int newState) {}

    /** Something happened to the window, one of {@code CA_EVENT_*} ({@code cwnd_event}). */
    default void cwndEvent(TcpCongestionSock tp, int event) {}

    /** An ACK acknowledged new segments, with its RTT sample ({@code pkts_acked}). */
    default void pktsAcked(TcpCongestionSock tp, TcpAckSample sample) {}
}
