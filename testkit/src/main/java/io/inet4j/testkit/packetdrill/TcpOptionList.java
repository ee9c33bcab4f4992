package io.inet4j.testkit.packetdrill;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP options between {@code <} and {@code >}: written to wire bytes from the script's words (packetdrill's
 * {@code tcp_option_list} in {@code parser.y}) and rendered back from bytes (its {@code tcp_options_to_string.c}),
 * so an outbound check compares one canonical text and a failure shows both sides in script syntax.
 */
final class TcpOptionList {
    private static final int EOL = 0;
    private static final int NOP = 1;
    private static final int MSS = 2;
    private static final int WSCALE = 3;
    private static final int SACK_PERM = 4;
    private static final int SACK = 5;
    private static final int TIMESTAMP = 8;

    private TcpOptionList() {}

    /** The wire bytes of a comma-separated list such as {@code mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7}. */
    static byte[] encode(String list) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (list.isBlank()) return out.toByteArray();
        for (String item : list.split(",")) {
            String[] w = item.trim().split("\\s+");
            switch (w[0]) {
                case "nop" -> out.write(NOP);
                case "eol" -> out.write(EOL);
                case "sackOK" -> bytes(out, SACK_PERM, 2);
                case "mss" -> {
                    int mss = number(w, 1);
                    bytes(out, MSS, 4, mss >>> 8, mss);
                }
                case "wscale" -> bytes(out, WSCALE, 3, number(w, 1));
                case "TS" -> {
                    if (w.length != 5 || !w[1].equals("val") || !w[3].equals("ecr")) throw bad(item);
                    bytes(out, TIMESTAMP, 10);
                    int32(out, Long.parseLong(w[2]));
                    int32(out, Long.parseLong(w[4]));
                }
                case "sack" -> {
                    bytes(out, SACK, 2 + 8 * (w.length - 1));
                    for (int i = 1; i < w.length; i++) {
                        String[] edges = w[i].split(":");
                        if (edges.length != 2) throw bad(item);
                        int32(out, Long.parseLong(edges[0]));
                        int32(out, Long.parseLong(edges[1]));
                    }
                }
                default -> throw new IllegalArgumentException("TCP option '" + item.trim() + "' is not supported");
            }
        }
        return out.toByteArray();
    }

    /** The options in script syntax, e.g. {@code <mss 1460,nop,wscale 7>}; {@code <>} for none. */
    static String render(byte[] o) {
        List<String> items = new ArrayList<>();
        int i = 0;
        while (i < o.length) {
            int kind = o[i] & 0xff;
            if (kind == EOL || kind == NOP) {
                items.add(kind == EOL ? "eol" : "nop");
                i++;
                continue;
            }
            int len = i + 1 < o.length ? o[i + 1] & 0xff : 0;
            if (len < 2 || i + len > o.length) {
                items.add("bad option " + kind);
                break;
            }
            items.add(switch (kind) {
                case MSS -> len == 4 ? "mss " + u16(o, i + 2) : "bad mss";
                case WSCALE -> len == 3 ? "wscale " + (o[i + 2] & 0xff) : "bad wscale";
                case SACK_PERM -> "sackOK";
                case TIMESTAMP -> len == 10 ? "TS val " + u32(o, i + 2) + " ecr " + u32(o, i + 6) : "bad TS";
                case SACK -> {
                    StringBuilder s = new StringBuilder("sack");
                    for (int b = i + 2; b + 8 <= i + len; b += 8) s.append(' ').append(u32(o, b)).append(':').append(u32(o, b + 4));
                    yield s.toString();
                }
                default -> "option " + kind + " len " + len;
            });
            i += len;
        }
        return "<" + String.join(",", items) + ">";
    }

    /**
     * A copy of the options with {@code delta} added to every SACK block edge: packetdrill writes the blocks
     * relative to the ISN of the side whose data they acknowledge, as it writes ack numbers.
     */
    static byte[] offsetSack(byte[] o, int delta) {
        byte[] r = o.clone();
        int at = find(r, SACK);
        if (at >= 0) {
            for (int b = at + 2; b + 4 <= at + (r[at + 1] & 0xff); b += 4) put32(r, b, u32(r, b) + delta);
        }
        return r;
    }

    /** Where the timestamp option starts in {@code o}, or -1 when there is none (packetdrill's {@code find_tcp_timestamp}). */
    static int timestamp(byte[] o) {
        int at = find(o, TIMESTAMP);
        return at >= 0 && (o[at + 1] & 0xff) == 10 ? at : -1;
    }

    /** Where the first well-formed option of {@code kind} starts in {@code o}, or -1: the walk stops at EOL. */
    private static int find(byte[] o, int kind) {
        int i = 0;
        while (i < o.length) {
            int k = o[i] & 0xff;
            if (k == EOL) return -1;
            if (k == NOP) {
                i++;
                continue;
            }
            int len = i + 1 < o.length ? o[i + 1] & 0xff : 0;
            if (len < 2 || i + len > o.length) return -1;
            if (k == kind) return i;
            i += len;
        }
        return -1;
    }

    /** The TS val of the timestamp option at {@code at}. */
    static long tsVal(byte[] o, int at) { return u32(o, at + 2); }

    /** The TS ecr of the timestamp option at {@code at}. */
    static long tsEcr(byte[] o, int at) { return u32(o, at + 6); }

    /** Sets the TS val of the timestamp option at {@code at}. */
    static void setTsVal(byte[] o, int at, long v) { put32(o, at + 2, v); }

    /** Sets the TS ecr of the timestamp option at {@code at}. */
    static void setTsEcr(byte[] o, int at, long v) { put32(o, at + 6, v); }

    private static void put32(byte[] o, int at, long v) {
        for (int k = 0; k < 4; k++) o[at + k] = (byte) (v >>> (24 - 8 * k));
    }

    private static int number(String[] w, int i) {
        if (w.length <= i) throw bad(String.join(" ", w));
        return Integer.parseInt(w[i]);
    }

    private static IllegalArgumentException bad(String item) {
        return new IllegalArgumentException("cannot read TCP option '" + item.trim() + "'");
    }

    private static void bytes(ByteArrayOutputStream out, int... b) { for (int x : b) out.write(x); }

    private static void int32(ByteArrayOutputStream out, long v) { bytes(out, (int) (v >>> 24), (int) (v >>> 16), (int) (v >>> 8), (int) v); }

    private static int u16(byte[] o, int at) { return (o[at] & 0xff) << 8 | o[at + 1] & 0xff; }

    private static long u32(byte[] o, int at) { return (long) u16(o, at) << 16 | u16(o, at + 2); }
}
