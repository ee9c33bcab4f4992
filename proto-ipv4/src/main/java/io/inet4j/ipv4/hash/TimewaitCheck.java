package io.inet4j.ipv4.hash;

import io.inet4j.ipv4.af.InetSock;

/**
 * The protocol's verdict on taking over a TIME_WAIT entry's 4-tuple ({@code twsk_unique}, for TCP
 * {@code tcp_twsk_unique}): a connecting socket whose 4-tuple is held by a TIME_WAIT entry may reuse it when the
 * protocol can tell the new connection's segments from the old one's (TCP: {@code tcp_tw_reuse} and timestamps).
 */
public interface TimewaitCheck {
    /**
     * Whether {@code sk} may take {@code tw}'s 4-tuple; when true the protocol also carries over what it needs
     * (TCP: {@code write_seq} past the old {@code snd_nxt}, {@code ts_recent}) and {@link InetHashinfo} then
     * kills {@code tw}. {@code portWasBound} is true when the application bound the port before connecting
     * (Linux passes no {@code twp} then, and TCP reuses on timestamps alone).
     */
    boolean unique(InetSock sk, InetTimewaitSock tw, boolean portWasBound);

    /**
     * Whether any TIME_WAIT entry could pass {@link #unique} for {@code sk} during the ephemeral port search (TCP:
     * {@code tcp_tw_reuse} is on, and with its default 2 only for loopback). When false the search steps over
     * every port a TIME_WAIT entry holds for this destination without asking.
     */
    default boolean mayReuse(InetSock sk) { return true; }
}
