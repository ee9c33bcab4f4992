package io.inet4j.hook;

/**
 * Which TCP event a SOCK_OPS hook is called for: the kernel's {@code BPF_SOCK_OPS_*} ops that inet4j calls, with
 * their numbers. The optional ones (RTO, RETRANS, STATE) are called only for sockets whose hook asked for them
 * with {@link SockOpsContext#setCbFlags}.
 */
public enum SockOp {
    /** tcp_connect, before the SYN is built. */
    TCP_CONNECT_CB(3),
    /** The active side's handshake completed (tcp_finish_connect, tcp_init_transfer). */
    ACTIVE_ESTABLISHED_CB(4),
    /** The passive side's handshake completed; called on the child. */
    PASSIVE_ESTABLISHED_CB(5),
    /** A retransmission timeout (tcp_write_timeout); args: retransmits, rto in ms, whether the connection gives up. */
    RTO_CB(8),
    /** A segment retransmitted (__tcp_retransmit_skb); args: its sequence number, segments, the send result. */
    RETRANS_CB(9),
    /** tcp_set_state; args: old state, new state ({@code BPF_TCP_*}, TCP's numbers). */
    STATE_CB(10);

    /** {@code BPF_SOCK_OPS_RTO_CB_FLAG}, {@code _RETRANS_CB_FLAG}, {@code _STATE_CB_FLAG}. */
    public static final int RTO_CB_FLAG = 1;
    public static final int RETRANS_CB_FLAG = 2;
    public static final int STATE_CB_FLAG = 4;
    /** The flags inet4j implements ({@code BPF_SOCK_OPS_ALL_CB_FLAGS} of the kernel has more). */
    public static final int ALL_CB_FLAGS = RTO_CB_FLAG | RETRANS_CB_FLAG | STATE_CB_FLAG;

    private final int code;

    SockOp(int code) { this.code = code; }

    /** The kernel's {@code BPF_SOCK_OPS_*} number. */
    public int code() { return code; }
}
