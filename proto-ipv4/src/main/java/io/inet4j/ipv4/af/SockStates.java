package io.inet4j.ipv4.af;

/**
 * The {@code sk_state} values every AF_INET socket uses ({@code TCP_*} in {@code include/net/tcp_states.h}); a
 * datagram socket is {@code TCP_CLOSE} until connected, then {@code TCP_ESTABLISHED}.
 */
public final class SockStates {
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_SYN_RECV = 3;
    public static final int TCP_FIN_WAIT1 = 4;
    public static final int TCP_FIN_WAIT2 = 5;
    public static final int TCP_TIME_WAIT = 6;
    public static final int TCP_CLOSE = 7;
    public static final int TCP_CLOSE_WAIT = 8;
    public static final int TCP_LAST_ACK = 9;
    public static final int TCP_LISTEN = 10;
    public static final int TCP_CLOSING = 11;
    public static final int TCP_NEW_SYN_RECV = 12;

    private SockStates() {}
}
