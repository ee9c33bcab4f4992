package io.inet4j.tcp.wire;

import io.inet4j.buffer.PacketBuffer;

/**
 * TCP options on the wire: parsing into a reusable {@link Parsed} holder ({@code tcp_parse_options} in
 * net/ipv4/tcp_input.c) and emission in Linux's order and alignment ({@code tcp_options_write} in
 * net/ipv4/tcp_output.c). Nothing here allocates.
 */
public final class TcpOptions {
    public static final int TCPOPT_EOL = 0;
    public static final int TCPOPT_NOP = 1;
    public static final int TCPOPT_MSS = 2;
    public static final int TCPOPT_WINDOW = 3;
    public static final int TCPOPT_SACK_PERM = 4;
    public static final int TCPOPT_SACK = 5;
    public static final int TCPOPT_TIMESTAMP = 8;

    public static final int TCPOLEN_MSS = 4;
    public static final int TCPOLEN_WINDOW = 3;
    public static final int TCPOLEN_SACK_PERM = 2;
    public static final int TCPOLEN_TIMESTAMP = 10;
    public static final int TCPOLEN_SACK_BASE = 2;
    public static final int TCPOLEN_SACK_PERBLOCK = 8;

    /** Sizes with the NOP padding Linux puts in front of each option. */
    public static final int TCPOLEN_MSS_ALIGNED = 4;
    public static final int TCPOLEN_TSTAMP_ALIGNED = 12;
    public static final int TCPOLEN_WSCALE_ALIGNED = 4;
    public static final int TCPOLEN_SACKPERM_ALIGNED = 4;
    public static final int TCPOLEN_SACK_BASE_ALIGNED = 4;

    public static final int MAX_TCP_OPTION_SPACE = 40;
    /** RFC 7323 §2.3: a larger shift is taken as 14. */
    public static final int TCP_MAX_WSCALE = 14;
    /** At most four SACK blocks fit in 40 bytes of option space. */
    public static final int TCP_NUM_SACKS = 4;

    /** Which options a SYN or SYN-ACK carries, the {@code OPTION_*} bits of {@code struct tcp_out_options}. */
    public static final int OPTION_SACK_ADVERTISE = 1;
    public static final int OPTION_TS = 1 << 1;
    public static final int OPTION_WSCALE = 1 << 3;

    /** The first word of a timestamp option padded the usual way: NOP NOP kind len. */
    private static final int NOP_NOP_TIMESTAMP =
            TCPOPT_NOP << 24 | TCPOPT_NOP << 16 | TCPOPT_TIMESTAMP << 8 | TCPOLEN_TIMESTAMP;
    private static final int SACKPERM_TIMESTAMP =
            TCPOPT_SACK_PERM << 24 | TCPOLEN_SACK_PERM << 16 | TCPOPT_TIMESTAMP << 8 | TCPOLEN_TIMESTAMP;

    private TcpOptions() {}

    /**
     * What one segment's options said, the per-segment part of {@code struct tcp_options_received}. Reused from
     * segment to segment: {@link #parse} clears it first. Zero or false means the option was absent or ignored.
     */
    public static final class Parsed {
        private int mss;
        private boolean sawWscale;
        private int wscale;
        private boolean sackPermitted;
        private boolean sawTimestamp;
        private int tsVal;
        private int tsEcr;
        private int numSacks;
        private final int[] sackStart = new int[TCP_NUM_SACKS];
        private final int[] sackEnd = new int[TCP_NUM_SACKS];

        /** The peer's MSS from a SYN; 0 when absent or 0 on the wire. */
        public int mss() { return mss; }
        /** A SYN carried window scaling ({@code wscale_ok}). */
        public boolean sawWscale() { return sawWscale; }
        /** The peer's shift count, already capped at {@link #TCP_MAX_WSCALE} ({@code snd_wscale}). */
        public int wscale() { return wscale; }
        /** A SYN carried SACK-permitted. */
        public boolean sackPermitted() { return sackPermitted; }
        /** A timestamp option was present ({@code saw_tstamp}). */
        public boolean sawTimestamp() { return sawTimestamp; }
        /** TSval ({@code rcv_tsval}); valid when {@link #sawTimestamp()}. */
        public int tsVal() { return tsVal; }
        /** TSecr ({@code rcv_tsecr}); valid when {@link #sawTimestamp()}. */
        public int tsEcr() { return tsEcr; }
        /** SACK blocks in the last well-formed SACK option, 0 to 4. */
        public int numSacks() { return numSacks; }
        public int sackStart(int i) { return sackStart[i]; }
        public int sackEnd(int i) { return sackEnd[i]; }

        private void clear() {
            mss = 0;
            sawWscale = false;
            wscale = 0;
            sackPermitted = false;
            sawTimestamp = false;
            tsVal = 0;
            tsEcr = 0;
            numSacks = 0;
        }
    }

    /**
     * Parses the options of the header at {@code th} into {@code out}, as tolerant as {@code tcp_parse_options}:
     * stops at EOL, skips NOP, gives up on a length byte below 2 or an option running past the header (keeping
     * what came before), ignores known options of the wrong length and unknown options. MSS, window scale and
     * SACK-permitted count only on a SYN. The header length must have been checked ({@link TcpHeader#lengthValid}).
     *
     * <p>Linux also gates options on policy: the {@code tcp_timestamps}, {@code tcp_sack} and
     * {@code tcp_window_scaling} sysctls while handshaking, the negotiated {@code tstamp_ok} and {@code sack_ok}
     * once established, and SYN-only options only when not established. Those belong to the caller, who knows the
     * socket; this records what the segment carries.
     */
    public static void parse(PacketBuffer b, int th, Parsed out) {
        out.clear();
        boolean syn = (TcpHeader.flags(b, th) & TcpHeader.SYN) != 0;
        int p = th + TcpHeader.MIN_LENGTH;
        int length = TcpHeader.headerLength(b, th) - TcpHeader.MIN_LENGTH;
        while (length > 0) {
            int opcode = b.getByte(p++);
            if (opcode == TCPOPT_EOL) return;
            if (opcode == TCPOPT_NOP) {
                length--;
                continue;
            }
            if (length < 2) return;
            int opsize = b.getByte(p++);
            if (opsize < 2 || opsize > length) return;
            switch (opcode) {
                case TCPOPT_MSS:
                    if (opsize == TCPOLEN_MSS && syn) out.mss = b.getShort(p);
                    break;
                case TCPOPT_WINDOW:
                    if (opsize == TCPOLEN_WINDOW && syn) {
                        out.sawWscale = true;
                        out.wscale = Math.min(b.getByte(p), TCP_MAX_WSCALE);
                    }
                    break;
                case TCPOPT_SACK_PERM:
                    if (opsize == TCPOLEN_SACK_PERM && syn) out.sackPermitted = true;
                    break;
                case TCPOPT_TIMESTAMP:
                    if (opsize == TCPOLEN_TIMESTAMP) {
                        out.sawTimestamp = true;
                        out.tsVal = b.getInt(p);
                        out.tsEcr = b.getInt(p + 4);
                    }
                    break;
                case TCPOPT_SACK:
                    // opsize <= 40 and a multiple of 8 after the base, so at most TCP_NUM_SACKS blocks.
                    if (opsize >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK
                            && (opsize - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK == 0) {
                        out.numSacks = (opsize - TCPOLEN_SACK_BASE) / TCPOLEN_SACK_PERBLOCK;
                        for (int i = 0; i < out.numSacks; i++) {
                            out.sackStart[i] = b.getInt(p + i * TCPOLEN_SACK_PERBLOCK);
                            out.sackEnd[i] = b.getInt(p + i * TCPOLEN_SACK_PERBLOCK + 4);
                        }
                    }
                    break;
                default:
                    break;
            }
            p += opsize - 2;
            length -= opsize;
        }
    }

    /** Bytes {@link #writeSynOptions} writes for {@code options} ({@code tcp_syn_options}' accounting). */
    public static int synOptionsLength(int options) {
        return length(options, 1, 0);
    }

    /**
     * Writes a SYN's or SYN-ACK's options at {@code at}: {@link #write} with the MSS a SYN always carries.
     * Returns the length, a multiple of 4.
     */
    public static int writeSynOptions(PacketBuffer b, int at, int options, int mss, int wscale, int tsVal,
                                      int tsEcr) {
        return write(b, at, options, mss, wscale, tsVal, tsEcr, null, null, 0);
    }

    /**
     * Bytes {@link #write} takes for {@code options}, an MSS option when {@code mss} is not 0 and
     * {@code numSacks} SACK blocks ({@code tcp_syn_options} / {@code tcp_established_options} accounting).
     */
    public static int length(int options, int mss, int numSacks) {
        int len = mss != 0 ? TCPOLEN_MSS_ALIGNED : 0;
        if ((options & OPTION_TS) != 0) len += TCPOLEN_TSTAMP_ALIGNED;
        else if ((options & OPTION_SACK_ADVERTISE) != 0) len += TCPOLEN_SACKPERM_ALIGNED;
        if ((options & OPTION_WSCALE) != 0) len += TCPOLEN_WSCALE_ALIGNED;
        return len + sackBlocksLength(numSacks);
    }

    /**
     * Writes options at {@code at} the way {@code tcp_options_write} lays them out, each padded to 4 bytes: MSS
     * (when {@code mss} is not 0); then SACK-permitted folded into the timestamp's padding ({@code SACKPERM TS})
     * or {@code NOP NOP TS}; SACK-permitted alone as {@code NOP NOP SACKPERM} when there is no timestamp;
     * {@code NOP WS}; last {@code NOP NOP SACK} with the first {@code numSacks} blocks. Returns the length, a
     * multiple of 4 and equal to {@link #length}.
     */
    public static int write(PacketBuffer b, int at, int options, int mss, int wscale, int tsVal, int tsEcr,
                            int[] sackStart, int[] sackEnd, int numSacks) {
        int p = at;
        if (mss != 0) {
            b.setInt(p, TCPOPT_MSS << 24 | TCPOLEN_MSS << 16 | (mss & 0xffff));
            p += TCPOLEN_MSS_ALIGNED;
        }
        boolean sack = (options & OPTION_SACK_ADVERTISE) != 0;
        if ((options & OPTION_TS) != 0) {
            p += putTimestamp(b, p, sack ? SACKPERM_TIMESTAMP : NOP_NOP_TIMESTAMP, tsVal, tsEcr);
        } else if (sack) {
            b.setInt(p, TCPOPT_NOP << 24 | TCPOPT_NOP << 16 | TCPOPT_SACK_PERM << 8 | TCPOLEN_SACK_PERM);
            p += TCPOLEN_SACKPERM_ALIGNED;
        }
        if ((options & OPTION_WSCALE) != 0) {
            b.setInt(p, TCPOPT_NOP << 24 | TCPOPT_WINDOW << 16 | TCPOLEN_WINDOW << 8 | (wscale & 0xff));
            p += TCPOLEN_WSCALE_ALIGNED;
        }
        p += writeSackBlocks(b, p, sackStart, sackEnd, numSacks);
        return p - at;
    }

    /** Writes {@code NOP NOP TS tsval tsecr}, the option of every segment once timestamps are on; returns 12. */
    public static int writeTimestamp(PacketBuffer b, int at, int tsVal, int tsEcr) {
        return putTimestamp(b, at, NOP_NOP_TIMESTAMP, tsVal, tsEcr);
    }

    /**
     * How many SACK blocks still fit after {@code usedOptionSpace} bytes of other options: 4 alone, 3 next to a
     * timestamp ({@code tcp_established_options}).
     */
    public static int maxSackBlocks(int usedOptionSpace) {
        int remaining = MAX_TCP_OPTION_SPACE - usedOptionSpace - TCPOLEN_SACK_BASE_ALIGNED;
        return remaining < TCPOLEN_SACK_PERBLOCK ? 0 : Math.min(TCP_NUM_SACKS, remaining / TCPOLEN_SACK_PERBLOCK);
    }

    /** Bytes {@link #writeSackBlocks} takes for {@code n} blocks. */
    public static int sackBlocksLength(int n) {
        return n == 0 ? 0 : TCPOLEN_SACK_BASE_ALIGNED + n * TCPOLEN_SACK_PERBLOCK;
    }

    /**
     * Writes {@code NOP NOP SACK len} and the first {@code n} blocks of {@code start}/{@code end} (nothing when
     * {@code n} is 0); returns the length.
     */
    public static int writeSackBlocks(PacketBuffer b, int at, int[] start, int[] end, int n) {
        if (n == 0) return 0;
        if (n < 0 || n > TCP_NUM_SACKS) throw new IllegalArgumentException("SACK blocks " + n);
        b.setInt(at, TCPOPT_NOP << 24 | TCPOPT_NOP << 16 | TCPOPT_SACK << 8
                | (TCPOLEN_SACK_BASE + n * TCPOLEN_SACK_PERBLOCK));
        int p = at + TCPOLEN_SACK_BASE_ALIGNED;
        for (int i = 0; i < n; i++) {
            b.setInt(p, start[i]);
            b.setInt(p + 4, end[i]);
            p += TCPOLEN_SACK_PERBLOCK;
        }
        return p - at;
    }

    private static int putTimestamp(PacketBuffer b, int at, int firstWord, int tsVal, int tsEcr) {
        b.setInt(at, firstWord);
        b.setInt(at + 4, tsVal);
        b.setInt(at + 8, tsEcr);
        return TCPOLEN_TSTAMP_ALIGNED;
    }
}
