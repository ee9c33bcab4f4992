package io.inet4j.samples.trace;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;
import java.util.StringJoiner;

/**
 * TCP for {@link PacketTrace}, in tcpdump's words ({@code print-tcp.c} with {@code -S}: absolute sequence numbers):
 * {@code 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 123, win 64240, options [mss 1460], length 0}. Flags read
 * F S R P . U E W; {@code seq a:b} when the segment carries data; {@code ack} only with ACK set.
 */
public final class TcpDecoder implements PacketTrace.TransportDecoder {
    /** tcpdump's flag letters in its order (tcp_flag_values): FIN SYN RST PSH ACK URG ECE CWR. */
    private static final int[] FLAG_BITS = {TcpHeader.FIN, TcpHeader.SYN, TcpHeader.RST, TcpHeader.PSH, TcpHeader.ACK,
            TcpHeader.URG, TcpHeader.ECE, TcpHeader.CWR};
    private static final String FLAG_LETTERS = "FSRP.UEW";

    @Override
    public String describe(PacketBuffer b, int at, int len, int saddr, int daddr) {
        if (len < TcpHeader.MIN_LENGTH) return PacketTrace.addr(saddr) + " > " + PacketTrace.addr(daddr) + ": TCP, truncated";
        StringBuilder sb = new StringBuilder(96);
        sb.append(PacketTrace.addr(saddr)).append('.').append(TcpHeader.sourcePort(b, at)).append(" > ")
                .append(PacketTrace.addr(daddr)).append('.').append(TcpHeader.destPort(b, at)).append(": ");
        if (!TcpHeader.lengthValid(b, at, len)) return sb.append("TCP, bad header length ").append(TcpHeader.headerLength(b, at)).toString();
        int flags = TcpHeader.flags(b, at);
        int hl = TcpHeader.headerLength(b, at);
        int payload = len - hl;
        sb.append("Flags [");
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & FLAG_BITS[i]) != 0) sb.append(FLAG_LETTERS.charAt(i));
        }
        if (flags == 0) sb.append("none");
        sb.append(']');
        long seq = TcpHeader.seq(b, at) & 0xffff_ffffL;
        if (payload > 0 || (flags & (TcpHeader.SYN | TcpHeader.FIN | TcpHeader.RST)) != 0) {
            sb.append(", seq ").append(seq);
            if (payload > 0) sb.append(':').append((seq + payload) & 0xffff_ffffL);
        }
        if ((flags & TcpHeader.ACK) != 0) sb.append(", ack ").append(TcpHeader.ackSeq(b, at) & 0xffff_ffffL);
        sb.append(", win ").append(TcpHeader.window(b, at));
        if ((flags & TcpHeader.URG) != 0) sb.append(", urg ").append(TcpHeader.urgentPointer(b, at));
        if (hl > TcpHeader.MIN_LENGTH) sb.append(", options [").append(options(b, at + TcpHeader.MIN_LENGTH, at + hl)).append(']');
        return sb.append(", length ").append(payload).toString();
    }

    /** The options between {@code p} and {@code end}, each checked against the space left before it is read. */
    private static String options(PacketBuffer b, int p, int end) {
        StringJoiner out = new StringJoiner(",");
        while (p < end) {
            int kind = b.getByte(p);
            if (kind == TcpOptions.TCPOPT_EOL) {
                out.add("eol");
                break;
            }
            if (kind == TcpOptions.TCPOPT_NOP) {
                out.add("nop");
                p++;
                continue;
            }
            int len = p + 1 < end ? b.getByte(p + 1) : 0;
            if (len < 2 || p + len > end) {
                out.add("bad opt");
                break;
            }
            out.add(option(b, p, kind, len));
            p += len;
        }
        return out.toString();
    }

    private static String option(PacketBuffer b, int p, int kind, int len) {
        switch (kind) {
            case TcpOptions.TCPOPT_MSS -> {
                if (len == TcpOptions.TCPOLEN_MSS) return "mss " + b.getShort(p + 2);
            }
            case TcpOptions.TCPOPT_WINDOW -> {
                if (len == TcpOptions.TCPOLEN_WINDOW) return "wscale " + b.getByte(p + 2);
            }
            case TcpOptions.TCPOPT_SACK_PERM -> {
                if (len == TcpOptions.TCPOLEN_SACK_PERM) return "sackOK";
            }
            case TcpOptions.TCPOPT_TIMESTAMP -> {
                if (len == TcpOptions.TCPOLEN_TIMESTAMP) {
                    return "TS val " + (b.getInt(p + 2) & 0xffff_ffffL) + " ecr " + (b.getInt(p + 6) & 0xffff_ffffL);
                }
            }
            case TcpOptions.TCPOPT_SACK -> {
                if ((len - TcpOptions.TCPOLEN_SACK_BASE) % TcpOptions.TCPOLEN_SACK_PERBLOCK == 0) {
                    StringBuilder sb = new StringBuilder("sack ").append((len - 2) / 8);
                    for (int q = p + 2; q < p + len; q += 8) {
                        sb.append(" {").append(b.getInt(q) & 0xffff_ffffL).append(':').append(b.getInt(q + 4) & 0xffff_ffffL).append('}');
                    }
                    return sb.toString();
                }
            }
            default -> {
                return "unknown-" + kind + " len " + len;
            }
        }
        return "bad opt"; // a known kind with the wrong length
    }
}
