package io.inet4j.tcp;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;

/**
 * A segment to send: the {@code struct tcphdr} fields {@code __tcp_transmit_skb} fills and the
 * {@code struct tcp_out_options} that {@code tcp_syn_options}/{@code tcp_established_options} choose, plus the
 * addresses and IP fields its route gives. The state machine fills one, {@link TcpOutput#transmitSkb} emits it.
 *
 * <p>One instance per stack ({@link Tcp#out}) is reused for every segment: {@link #clear} starts the next one,
 * and the value is consumed before IP output runs, so a segment sent from within IP output cannot clobber it.
 */
final class TcpSegmentOut {
    int saddr;
    int daddr;
    int sport;
    int dport;
    int seq;
    int ack;
    int flags;
    int window;
    int urgent;
    int tos;
    /** IP TTL; -1 for the route's default. */
    int ttl;

    /** {@code TcpOptions.OPTION_*} bits: SACK-permitted, timestamps, window scale. */
    int options;
    /** MSS option value; 0 sends none. */
    int mss;
    int wscale;
    int tsVal;
    int tsEcr;
    int numSacks;
    final int[] sackStart = new int[TcpOptions.TCP_NUM_SACKS];
    final int[] sackEnd = new int[TcpOptions.TCP_NUM_SACKS];

    /** Starts a new segment: addresses, ports, sequence numbers, flags and window; no options, no urgent data. */
    TcpSegmentOut clear(int saddr, int daddr, int sport, int dport, int seq, int ack, int flags, int window) {
        this.saddr = saddr;
        this.daddr = daddr;
        this.sport = sport;
        this.dport = dport;
        this.seq = seq;
        this.ack = ack;
        this.flags = flags;
        this.window = window;
        this.urgent = 0;
        this.tos = 0;
        this.ttl = -1;
        this.options = 0;
        this.mss = 0;
        this.wscale = 0;
        this.tsVal = 0;
        this.tsEcr = 0;
        this.numSacks = 0;
        return this;
    }

    /** Header length with options: 20 plus the padded options, at most 60. */
    int headerLength() {
        return TcpHeader.MIN_LENGTH + TcpOptions.length(options, mss, numSacks);
    }

    /**
     * Writes header and options at {@code th} and the checksum over the {@code length} bytes of header and
     * payload that start there.
     */
    void emit(PacketBuffer b, int th, int length) {
        writeHeader(b, th);
        TcpHeader.updateChecksum(b, th, length, saddr, daddr);
    }

    /**
     * As {@link #emit}, but leaves the checksum to the device ({@code CHECKSUM_PARTIAL}): the field gets the
     * pseudo-header sum and the buffer says where the device finishes it.
     */
    void emitPartial(PacketBuffer b, int th, int length) {
        writeHeader(b, th);
        TcpHeader.setPseudoHeaderChecksum(b, th, length, saddr, daddr);
        b.setCsumPartial(th, TcpHeader.CHECK_OFFSET);
    }

    private void writeHeader(PacketBuffer b, int th) {
        TcpHeader.write(b, th, sport, dport, seq, ack, headerLength(), flags, window, urgent);
        TcpOptions.write(b, th + TcpHeader.MIN_LENGTH, options, mss, wscale, tsVal, tsEcr, sackStart, sackEnd,
                numSacks);
    }
}
