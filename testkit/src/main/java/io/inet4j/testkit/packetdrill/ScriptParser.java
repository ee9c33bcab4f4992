package io.inet4j.testkit.packetdrill;

import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.tcp.wire.TcpHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a script in the syntax of google/packetdrill's {@code gtests/net/tcp} suite (its {@code lexer.l} and
 * {@code parser.y}, the TCP subset): comments, {@code --tolerance_usecs=N}, {@code --tcp_ts_tick_usecs=N}, {@code --tcp_ts_ecr_scaled}, timed packet lines and timed system
 * call lines, and the shell lines it can run itself ({@code bpftool cgroup} hook commands and {@code sysctl}
 * writes, {@link Event.Sysctl}). What it does not understand becomes an {@link Event.Skipped} carrying the line and the reason, so a
 * run reports it instead of passing over it: shell lines in backquotes, {@code %{ }%} Python blocks, other
 * {@code --options}, non-TCP packets, and anything it cannot read.
 */
public final class ScriptParser {
    private static final String NUM = "(\\d*\\.\\d+|\\d+)";
    /** {@code `bpftool cgroup attach|detach CGROUP ATTACH_TYPE name NAME [flags]`}: a hook command. */
    private static final Pattern BPFTOOL = Pattern.compile(
            "`\\s*bpftool\\s+cgroup\\s+(attach|detach)\\s+(\\S+)\\s+(\\S+)\\s+name\\s+(\\S+)((?:\\s+(?:multi|override))*)\\s*`");
    private static final Pattern TIME = Pattern.compile(
            "^(?:(\\*)|(\\+)?" + NUM + "(?:~(\\+)?" + NUM + "|\\.\\.\\." + NUM + ")?)\\s+");
    private static final Pattern SEQ = Pattern.compile("^(\\d+):(\\d+)\\((\\d+)\\)$");
    private static final Pattern SYSCALL = Pattern.compile("^([A-Za-z_]\\w*)\\s*\\(");
    private static final Pattern RESULT = Pattern.compile(
            "^=\\s*(-?\\d+|0x[0-9a-fA-F]+)(?:\\s+(E[A-Z0-9]+))?\\s*(?:\\(.*\\))?\\s*$");

    private ScriptParser() {}

    /** Parses {@code text}; never throws for a bad line, which becomes an {@link Event.Skipped}. */
    public static Script parse(String name, String text) {
        String[] lines = text.split("\r?\n", -1);
        List<Event> events = new ArrayList<>();
        int tolerance = -1;
        int tsTick = 0;
        boolean tsEcrScaled = false;
        boolean inComment = false;
        StringBuilder stmt = new StringBuilder();
        int stmtLine = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            StringBuilder clean = new StringBuilder();
            int i = 0;
            while (i < line.length()) {
                if (inComment) {
                    int end = line.indexOf("*/", i);
                    if (end < 0) {
                        i = line.length();
                    } else {
                        inComment = false;
                        i = end + 2;
                    }
                } else if (line.startsWith("/*", i)) {
                    inComment = true;
                    i += 2;
                } else if (line.startsWith("//", i)) {
                    break;
                } else {
                    clean.append(line.charAt(i++));
                }
            }
            String s = clean.toString().trim();
            if (stmt.isEmpty() && s.startsWith("%{")) {
                int start = n;
                while (n < lines.length && !lines[n].contains("}%")) n++;
                events.add(new Event.Skipped(start + 1, "%{ ... }%", "Python block not run"));
                continue;
            }
            if (s.isEmpty()) continue;
            if (stmt.isEmpty()) stmtLine = n + 1;
            else stmt.append(stmt.charAt(0) == '`' ? '\n' : ' ');
            stmt.append(s);
            if (depth(stmt) > 0 && n + 1 < lines.length) continue;
            String st = stmt.toString();
            stmt.setLength(0);
            if (st.startsWith("--tolerance_usecs=")) {
                try {
                    tolerance = Integer.parseInt(st.substring("--tolerance_usecs=".length()).trim());
                } catch (NumberFormatException e) {
                    events.add(new Event.Skipped(stmtLine, st, "bad tolerance"));
                }
            } else if (st.startsWith("--tcp_ts_tick_usecs=")) {
                try {
                    tsTick = Integer.parseInt(st.substring("--tcp_ts_tick_usecs=".length()).trim());
                    if (tsTick < 0 || tsTick > 1_000_000) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    events.add(new Event.Skipped(stmtLine, st, "bad TS tick"));
                }
            } else if (st.equals("--tcp_ts_ecr_scaled")) {
                tsEcrScaled = true;
            } else if (st.startsWith("--")) {
                events.add(new Event.Skipped(stmtLine, st, "option not supported"));
            } else if (st.startsWith("`")) {
                Matcher bpftool = BPFTOOL.matcher(st);
                List<Map.Entry<String, String>> sysctls = sysctls(st);
                events.add(bpftool.matches()
                        ? new Event.Hook(stmtLine, st, bpftool.group(1).equals("attach"),
                                bpftool.group(2) + " " + bpftool.group(3) + " " + bpftool.group(4) + bpftool.group(5))
                        : sysctls != null ? new Event.Sysctl(stmtLine, st, sysctls)
                        : new Event.Skipped(stmtLine, st, "shell command not run"));
            } else {
                events.add(statement(stmtLine, st));
            }
        }
        return new Script(name, List.copyOf(events), tolerance, tsTick, tsEcrScaled);
    }

    /**
     * The writes of a shell line made only of {@code sysctl [-q] [-w] NAME=VALUE...} commands separated by
     * {@code ;} or newlines, values optionally in double or single quotes; null when anything else is in it.
     */
    static List<Map.Entry<String, String>> sysctls(String st) {
        if (!st.startsWith("`") || !st.endsWith("`") || st.length() < 2) return null;
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String cmd : st.substring(1, st.length() - 1).split("[;\n]")) {
            List<String> words = shellWords(cmd);
            if (words == null) return null;
            if (words.isEmpty()) continue;
            if (!words.get(0).equals("sysctl")) return null;
            int assignments = 0;
            for (String w : words.subList(1, words.size())) {
                if (w.equals("-q") || w.equals("-w") || w.equals("-qw") || w.equals("-wq")) continue;
                int eq = w.indexOf('=');
                if (w.startsWith("-") || eq <= 0) return null;
                out.add(Map.entry(w.substring(0, eq).replace('/', '.'), w.substring(eq + 1)));
                assignments++;
            }
            if (assignments == 0) return null;
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** A command's words as the shell splits them: blanks separate, quotes group; null for unbalanced quotes. */
    private static List<String> shellWords(String cmd) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : cmd.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) return null;
        if (inWord) words.add(w.toString());
        return words;
    }

    /** How many brackets are open, a shell line still open in backquotes counting as one. */
    private static int depth(CharSequence s) {
        int d = 0;
        boolean shell = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '`') shell = !shell;
            if (shell) continue;
            if (c == '(' || c == '[' || c == '{') d++;
            else if (c == ')' || c == ']' || c == '}') d--;
        }
        return shell ? d + 1 : d;
    }

    private static Event statement(int line, String st) {
        Matcher m = TIME.matcher(st);
        if (!m.find()) return new Event.Skipped(line, st, "no time at the start of the line");
        Timing t;
        if (m.group(1) != null) {
            t = new Timing(Timing.Type.ANY, 0, 0, Timing.NON_BLOCKING);
        } else {
            boolean rel = m.group(2) != null;
            long at = usecs(m.group(3));
            if (m.group(5) != null) {
                if (rel != (m.group(4) != null)) return new Event.Skipped(line, st, "a time range mixes + and absolute");
                t = new Timing(rel ? Timing.Type.RELATIVE_RANGE : Timing.Type.ABSOLUTE_RANGE, at, usecs(m.group(5)),
                        Timing.NON_BLOCKING);
            } else {
                long end = m.group(6) == null ? Timing.NON_BLOCKING : usecs(m.group(6));
                t = new Timing(rel ? Timing.Type.RELATIVE : Timing.Type.ABSOLUTE, at, at, end);
            }
        }
        String rest = st.substring(m.end()).trim();
        try {
            if (rest.startsWith("<") || rest.startsWith(">")) return packet(line, st, t, rest);
            if (rest.startsWith("`")) return new Event.Skipped(line, st, "shell command not run");
            return syscall(line, st, t, rest);
        } catch (IllegalArgumentException e) {
            return new Event.Skipped(line, st, e.getMessage());
        }
    }

    private static long usecs(String seconds) { return Math.round(Double.parseDouble(seconds) * 1_000_000); }

    private static Event packet(int line, String st, Timing t, String rest) {
        boolean inbound = rest.charAt(0) == '<';
        String body = rest.substring(1).trim();
        String opts = null;
        boolean noCheck = false;
        int lt = body.indexOf('<');
        if (lt >= 0) {
            if (!body.endsWith(">")) throw new IllegalArgumentException("TCP options do not end with '>'");
            opts = body.substring(lt + 1, body.length() - 1).trim();
            body = body.substring(0, lt).trim();
            noCheck = opts.equals("...");
            if (noCheck && inbound) throw new IllegalArgumentException("<...> for TCP options can only be used with outbound packets");
        }
        String[] w = body.split("\\s+");
        if (w.length < 2) throw new IllegalArgumentException("cannot read packet");
        if (w[0].equals("icmp") && inbound) return icmp(line, st, t, w);
        int ecn = -1;
        if (w[0].startsWith("[")) {
            // packetdrill's opt_ip_info, of which the ECN field is what TCP tests need.
            ecn = switch (w[0]) {
                case "[noecn]" -> 0;
                case "[ect1]" -> 1;
                case "[ect0]" -> 2;
                case "[ce]" -> 3;
                case "[ect01]" -> {
                    if (inbound) throw new IllegalArgumentException("[ect01] can only be used with outbound packets");
                    yield Event.Packet.ECN_ECT01;
                }
                default -> throw new IllegalArgumentException("of the IP details only the ECN field ([noecn], [ect0], "
                        + "[ect1], [ect01], [ce]) is supported, not " + w[0]);
            };
            w = java.util.Arrays.copyOfRange(w, 1, w.length);
            if (w.length < 2) throw new IllegalArgumentException("cannot read packet");
        }
        if (w[0].equals("udp") || w[0].equals("icmp"))
            throw new IllegalArgumentException("only TCP packets and inbound ICMP errors are supported");
        int flags = flags(w[0]);
        Matcher sm = SEQ.matcher(w[1]);
        if (!sm.matches()) throw new IllegalArgumentException("cannot read sequence '" + w[1] + "'");
        long seq = Long.parseLong(sm.group(1));
        long end = Long.parseLong(sm.group(2));
        int len = Integer.parseInt(sm.group(3));
        if (end - seq != len) throw new IllegalArgumentException("inconsistent sequence " + w[1]);
        int ack = 0;
        int win = -1;
        int urg = -1;
        for (int i = 2; i < w.length; i += 2) {
            if (i + 1 >= w.length) throw new IllegalArgumentException("'" + w[i] + "' without a value");
            long v = Long.parseLong(w[i + 1]);
            switch (w[i]) {
                case "ack" -> ack = (int) v;
                case "win" -> win = (int) v;
                case "urg" -> {
                    if (v > 0xffff) throw new IllegalArgumentException("urg_ptr value out of range");
                    urg = (int) v;
                }
                default -> throw new IllegalArgumentException("'" + w[i] + "' is not supported in a packet");
            }
        }
        byte[] options = noCheck ? null : TcpOptionList.encode(opts == null ? "" : opts);
        return new Event.Packet(line, st, t, inbound, flags, (int) seq, len, ack, win, urg, options, ecn);
    }

    /**
     * {@code icmp TYPE [CODE] [mtu N] [SEQ:END(LEN)]}, packetdrill's ICMP error about one of the stack's TCP
     * segments: types {@code unreachable} (codes {@code net_unreachable}, {@code host_unreachable},
     * {@code protocol_unreachable}, {@code port_unreachable}, {@code frag_needed}) and {@code time_exceeded}.
     */
    private static Event icmp(int line, String st, Timing t, String[] w) {
        int i = 1;
        int type = switch (w[i++]) {
            case "unreachable" -> IcmpHeader.DEST_UNREACH;
            case "time_exceeded" -> IcmpHeader.TIME_EXCEEDED;
            default -> throw new IllegalArgumentException("ICMP type '" + w[i - 1] + "' is not supported");
        };
        int code = 0;
        if (type == IcmpHeader.DEST_UNREACH) {
            if (i >= w.length) throw new IllegalArgumentException("ICMP unreachable without a code");
            code = switch (w[i++]) {
                case "net_unreachable" -> IcmpHeader.NET_UNREACH;
                case "host_unreachable" -> IcmpHeader.HOST_UNREACH;
                case "protocol_unreachable" -> IcmpHeader.PROT_UNREACH;
                case "port_unreachable" -> IcmpHeader.PORT_UNREACH;
                case "frag_needed" -> IcmpHeader.FRAG_NEEDED;
                default -> throw new IllegalArgumentException("ICMP code '" + w[i - 1] + "' is not supported");
            };
        }
        int mtu = 0;
        if (i + 1 < w.length && w[i].equals("mtu")) {
            mtu = Integer.parseInt(w[i + 1]);
            i += 2;
        }
        if (code == IcmpHeader.FRAG_NEEDED && mtu == 0) throw new IllegalArgumentException("frag_needed without mtu");
        if (i != w.length - 1 || !w[i].startsWith("[") || !w[i].endsWith("]")) {
            throw new IllegalArgumentException("ICMP error without the [seq:end(len)] of the segment it quotes");
        }
        Matcher sm = SEQ.matcher(w[i].substring(1, w[i].length() - 1));
        if (!sm.matches()) throw new IllegalArgumentException("cannot read sequence '" + w[i] + "'");
        long seq = Long.parseLong(sm.group(1));
        int len = Integer.parseInt(sm.group(3));
        if (Long.parseLong(sm.group(2)) - seq != len) throw new IllegalArgumentException("inconsistent sequence " + w[i]);
        return new Event.Icmp(line, st, t, type, code, mtu, (int) seq, len);
    }

    private static int flags(String w) {
        if (w.equals("-")) return 0;
        int f = 0;
        for (char c : w.toCharArray()) {
            f |= switch (c) {
                case 'S' -> TcpHeader.SYN;
                case 'F' -> TcpHeader.FIN;
                case 'R' -> TcpHeader.RST;
                case 'P' -> TcpHeader.PSH;
                case '.' -> TcpHeader.ACK;
                case 'U' -> TcpHeader.URG;
                case 'E' -> TcpHeader.ECE;
                case 'W' -> TcpHeader.CWR;
                default -> throw new IllegalArgumentException("unknown TCP flag '" + c + "' in '" + w + "'");
            };
        }
        return f;
    }

    private static Event syscall(int line, String st, Timing t, String rest) {
        Matcher m = SYSCALL.matcher(rest);
        if (!m.find()) throw new IllegalArgumentException("neither a packet nor a system call");
        int open = m.end() - 1;
        int close = matching(rest, open);
        List<String> args = split(rest.substring(open + 1, close));
        Matcher r = RESULT.matcher(rest.substring(close + 1).trim());
        if (!r.matches()) throw new IllegalArgumentException("cannot read the expected result");
        String v = r.group(1);
        long result = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        if (result == -1 && r.group(2) == null) throw new IllegalArgumentException("-1 without an errno");
        return new Event.Syscall(line, st, t, m.group(1), args, result, r.group(2));
    }

    private static int matching(String s, int open) {
        int d = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') d++;
            else if ((c == ')' || c == ']' || c == '}') && --d == 0) return i;
        }
        throw new IllegalArgumentException("unbalanced parentheses");
    }

    /** Splits call arguments at top-level commas, each trimmed; brackets and braces nest. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        if (s.isBlank()) return out;
        int d = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') d++;
            else if (c == ')' || c == ']' || c == '}') d--;
            else if (c == ',' && d == 0) {
                out.add(s.substring(from, i).trim());
                from = i + 1;
            }
        }
        out.add(s.substring(from).trim());
        return out;
    }
}
