package io.inet4j.socket;

import java.util.Arrays;
import java.util.Locale;

/**
 * A snapshot of one TCP connection's state, Linux's {@code struct tcp_info} ({@code include/uapi/linux/tcp.h}),
 * what {@code getsockopt(SOL_TCP, TCP_INFO)} returns. The bytes are Linux's own layout on a little-endian
 * machine (x86-64, arm64) up to {@code tcpi_total_rto_time}, Linux 6.7's 248 bytes; each {@link Field} names one
 * member, with Linux's name and unit. A field the stack does not measure (no pacing, no rate sampling, no ECN,
 * ...) reads 0, as Linux's does when the feature is off; {@code tcpi_fackets} and {@code tcpi_last_ack_sent} are
 * 0 in Linux too.
 *
 * <p>A shorter buffer gets the leading part, as Linux copies {@code min(optlen, sizeof(struct tcp_info))} bytes;
 * fields past the end read 0 here.
 */
public final class TcpInfo {
    /** {@code sizeof(struct tcp_info)} as this stack fills it. */
    public static final int SIZE = 248;

    /** {@code tcpi_options} bits. */
    public static final int TCPI_OPT_TIMESTAMPS = 1;
    public static final int TCPI_OPT_SACK = 2;
    public static final int TCPI_OPT_WSCALE = 4;
    public static final int TCPI_OPT_ECN = 8;
    public static final int TCPI_OPT_ECN_SEEN = 16;
    public static final int TCPI_OPT_SYN_DATA = 32;

    /** The members of {@code struct tcp_info}: offset and width in bytes (a nibble for the two window scales). */
    public enum Field {
        /** {@code TCP_ESTABLISHED} = 1 ... {@code TCP_CLOSING} = 11, Linux's numbers. */
        TCPI_STATE(0, 1),
        /** {@code TCP_CA_Open} = 0, {@code Disorder}, {@code CWR}, {@code Recovery}, {@code Loss} = 4. */
        TCPI_CA_STATE(1, 1),
        /** Consecutive timeouts of the head segment ({@code icsk_retransmits}). */
        TCPI_RETRANSMITS(2, 1),
        /** Unanswered zero-window or keepalive probes ({@code icsk_probes_out}). */
        TCPI_PROBES(3, 1),
        /** Backoffs of the retransmission timer ({@code icsk_backoff}). */
        TCPI_BACKOFF(4, 1),
        /** {@code TCPI_OPT_*} bits. */
        TCPI_OPTIONS(5, 1),
        /** The peer's window scale (low nibble of byte 6); 0 without window scaling. */
        TCPI_SND_WSCALE(6, 0),
        /** Our window scale (high nibble of byte 6); 0 without window scaling. */
        TCPI_RCV_WSCALE(6, -1),
        /** Bit 0: delivery rate application-limited; bits 1-2: TCP Fast Open client failure. */
        TCPI_DELIVERY_RATE_APP_LIMITED(7, 1),
        /** Retransmission timeout, microseconds ({@code icsk_rto}). */
        TCPI_RTO(8, 4),
        /** Delayed-ACK timeout, microseconds ({@code icsk_ack.ato}, at most the delayed-ACK maximum). */
        TCPI_ATO(12, 4),
        /** Send MSS, bytes ({@code mss_cache}). */
        TCPI_SND_MSS(16, 4),
        /** The peer's MSS as guessed from arrivals, bytes ({@code icsk_ack.rcv_mss}). */
        TCPI_RCV_MSS(20, 4),
        /** Segments in flight ({@code packets_out}); on a listener, connections ready for accept. */
        TCPI_UNACKED(24, 4),
        /** SACKed segments ({@code sacked_out}); on a listener, the backlog limit. */
        TCPI_SACKED(28, 4),
        /** Segments presumed lost ({@code lost_out}). */
        TCPI_LOST(32, 4),
        /** Retransmitted segments still in flight ({@code retrans_out}). */
        TCPI_RETRANS(36, 4),
        /** Always 0: FACK is gone from Linux. */
        TCPI_FACKETS(40, 4),
        /** Milliseconds since data was last sent ({@code lsndtime}). */
        TCPI_LAST_DATA_SENT(44, 4),
        /** Always 0: Linux does not remember it. */
        TCPI_LAST_ACK_SENT(48, 4),
        /** Milliseconds since data was last received ({@code icsk_ack.lrcvtime}). */
        TCPI_LAST_DATA_RECV(52, 4),
        /** Milliseconds since an acceptable ACK was last received ({@code rcv_tstamp}). */
        TCPI_LAST_ACK_RECV(56, 4),
        /** The path MTU the send MSS was computed for, bytes ({@code icsk_pmtu_cookie}). */
        TCPI_PMTU(60, 4),
        /** The window we let ourselves offer, bytes ({@code rcv_ssthresh}). */
        TCPI_RCV_SSTHRESH(64, 4),
        /** Smoothed RTT, microseconds ({@code srtt_us >> 3}). */
        TCPI_RTT(68, 4),
        /** RTT mean deviation, microseconds ({@code mdev_us >> 2}). */
        TCPI_RTTVAR(72, 4),
        /** Slow-start threshold, segments ({@code snd_ssthresh}; {@code 0x7fffffff} when unset). */
        TCPI_SND_SSTHRESH(76, 4),
        /** Congestion window, segments ({@code snd_cwnd}). */
        TCPI_SND_CWND(80, 4),
        /** The MSS we advertise, bytes ({@code advmss}). */
        TCPI_ADVMSS(84, 4),
        /** Duplicate ACKs that mean loss, segments ({@code reordering}). */
        TCPI_REORDERING(88, 4),
        /** The receiver's RTT estimate, microseconds ({@code rcv_rtt_est.rtt_us >> 3}); 0 before a sample. */
        TCPI_RCV_RTT(92, 4),
        /** Bytes the application read per receiver RTT, as autotuning measures it ({@code rcvq_space.space}). */
        TCPI_RCV_SPACE(96, 4),
        /** Segments retransmitted over the connection's life ({@code total_retrans}). */
        TCPI_TOTAL_RETRANS(100, 4),
        /** Pacing rate, bytes per second; all ones (unlimited): this stack does not pace. */
        TCPI_PACING_RATE(104, 8),
        /** SO_MAX_PACING_RATE, bytes per second; all ones (unlimited). */
        TCPI_MAX_PACING_RATE(112, 8),
        /** Sequence space of ours the peer acknowledged, bytes, SYN and FIN included ({@code bytes_acked}). */
        TCPI_BYTES_ACKED(120, 8),
        /** In-order data received, bytes ({@code bytes_received}). */
        TCPI_BYTES_RECEIVED(128, 8),
        /** Segments sent, retransmissions and pure ACKs included ({@code segs_out}). */
        TCPI_SEGS_OUT(136, 4),
        /** Segments received ({@code segs_in}). */
        TCPI_SEGS_IN(140, 4),
        /** Bytes queued and not yet sent ({@code write_seq - snd_nxt}). */
        TCPI_NOTSENT_BYTES(144, 4),
        /** Windowed minimum RTT, microseconds ({@code tcp_min_rtt}); all ones before a sample. */
        TCPI_MIN_RTT(148, 4),
        /** Segments received that carried data ({@code data_segs_in}). */
        TCPI_DATA_SEGS_IN(152, 4),
        /** Segments sent that carried data, retransmissions included ({@code data_segs_out}). */
        TCPI_DATA_SEGS_OUT(156, 4),
        /** Delivery rate, bytes per second; 0: rate sampling ({@code tcp_rate.c}) is not built. */
        TCPI_DELIVERY_RATE(160, 8),
        /** Microseconds busy sending; 0: the chrono statistics are not built. */
        TCPI_BUSY_TIME(168, 8),
        /** Microseconds limited by the receive window; 0: not built. */
        TCPI_RWND_LIMITED(176, 8),
        /** Microseconds limited by the send buffer; 0: not built. */
        TCPI_SNDBUF_LIMITED(184, 8),
        /** Segments delivered to the peer, cumulatively ACKed or SACKed ({@code delivered}). */
        TCPI_DELIVERED(192, 4),
        /** Of those, ECN-CE marked; 0: ECN is not built. */
        TCPI_DELIVERED_CE(196, 4),
        /** Payload sent, retransmissions included, bytes ({@code bytes_sent}). */
        TCPI_BYTES_SENT(200, 8),
        /** Payload retransmitted, bytes ({@code bytes_retrans}). */
        TCPI_BYTES_RETRANS(208, 8),
        /** D-SACKs received ({@code dsack_dups}). */
        TCPI_DSACK_DUPS(216, 4),
        /** Reordering events seen ({@code reord_seen}). */
        TCPI_REORD_SEEN(220, 4),
        /** Segments received out of order ({@code rcv_ooopack}). */
        TCPI_RCV_OOOPACK(224, 4),
        /** The peer's window, bytes, after scaling ({@code snd_wnd}). */
        TCPI_SND_WND(228, 4),
        /** The window we last advertised, bytes, after scaling ({@code rcv_wnd}). */
        TCPI_RCV_WND(232, 4),
        /** PLB or timeout rehash attempts; 0: neither is built. */
        TCPI_REHASH(236, 4),
        /** Retransmission timeouts, SYN and SYN-ACK ones included ({@code total_rto}). */
        TCPI_TOTAL_RTO(240, 2),
        /** Recoveries that started with a timeout ({@code total_rto_recoveries}). */
        TCPI_TOTAL_RTO_RECOVERIES(242, 2),
        /** Milliseconds spent in those recoveries, the running one included ({@code total_rto_time}). */
        TCPI_TOTAL_RTO_TIME(244, 4);

        private final int offset;
        /** Bytes; 0 and -1 are the low and high nibble. */
        private final int width;

        Field(int offset, int width) {
            this.offset = offset;
            this.width = width;
        }

        /** Linux's member name, {@code tcpi_snd_cwnd} for {@link #TCPI_SND_CWND}. */
        public String linuxName() { return name().toLowerCase(Locale.ROOT); }

        /** The field whose Linux name is {@code name}, or null. */
        public static Field byLinuxName(String name) {
            for (Field f : values()) {
                if (f.linuxName().equals(name)) return f;
            }
            return null;
        }
    }

    private final byte[] raw;

    private TcpInfo(byte[] raw) { this.raw = raw; }

    /** The snapshot in the first {@code len} bytes of {@code buf}, as getsockopt(TCP_INFO) filled them. */
    public static TcpInfo of(byte[] buf, int len) {
        return new TcpInfo(Arrays.copyOf(buf, SIZE > len ? Math.max(len, 0) : SIZE));
    }

    /** The field's value, unsigned; 0 for a field beyond the bytes this snapshot has. */
    public long get(Field f) {
        if (f.offset + Math.max(f.width, 1) > raw.length) return 0;
        if (f.width <= 0) return f.width == 0 ? raw[f.offset] & 0xf : (raw[f.offset] >> 4) & 0xf;
        long v = 0;
        for (int i = f.width - 1; i >= 0; i--) v = v << 8 | (raw[f.offset + i] & 0xff);
        return v;
    }

    /**
     * Stores {@code value} into {@code f} of a {@code struct tcp_info} being filled ({@code tcp_get_info}); a
     * value wider than the field keeps its low bits, as C's assignment does.
     */
    public static void put(byte[] buf, Field f, long value) {
        if (f.width <= 0) {
            int shift = f.width == 0 ? 0 : 4;
            buf[f.offset] = (byte) (buf[f.offset] & ~(0xf << shift) | (value & 0xf) << shift);
            return;
        }
        for (int i = 0; i < f.width; i++) buf[f.offset + i] = (byte) (value >>> (8 * i));
    }

    /** {@link Field#TCPI_STATE}. */
    public int state() { return (int) get(Field.TCPI_STATE); }

    /** {@link Field#TCPI_SND_CWND}, segments. */
    public int sndCwnd() { return (int) get(Field.TCPI_SND_CWND); }

    /** {@link Field#TCPI_RTT}, microseconds. */
    public long rttMicros() { return get(Field.TCPI_RTT); }

    /** {@link Field#TCPI_RTO}, microseconds. */
    public long rtoMicros() { return get(Field.TCPI_RTO); }

    /** {@link Field#TCPI_TOTAL_RETRANS}. */
    public long totalRetrans() { return get(Field.TCPI_TOTAL_RETRANS); }

    /** {@link Field#TCPI_BYTES_ACKED}. */
    public long bytesAcked() { return get(Field.TCPI_BYTES_ACKED); }

    /** {@link Field#TCPI_BYTES_RECEIVED}. */
    public long bytesReceived() { return get(Field.TCPI_BYTES_RECEIVED); }

    /** Every field as {@code tcpi_name=value}, in struct order. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tcp_info{");
        for (Field f : Field.values()) {
            if (sb.length() > 9) sb.append(", ");
            sb.append(f.linuxName()).append('=').append(get(f));
        }
        return sb.append('}').toString();
    }
}
