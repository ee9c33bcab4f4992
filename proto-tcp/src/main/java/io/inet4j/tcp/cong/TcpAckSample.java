package io.inet4j.tcp.cong;

/**
 * What one ACK acknowledged ({@code struct ack_sample}), for {@link TcpCongestionOps#pktsAcked}. Valid during the
 * call only: TCP reuses the object for the next ACK.
 */
public interface TcpAckSample {
    /** Segments newly acknowledged ({@code pkts_acked}). */
    int pktsAcked();

    /** The RTT this ACK measured in microseconds, or -1 when it gave none (Karn's rule) ({@code rtt_us}). */
    long rttUs();

    /** Segments in flight before this ACK ({@code in_flight}). */
    int inFlight();
}
