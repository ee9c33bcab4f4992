package io.inet4j.samples.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP/1.1 message framing the server and the client share (RFC 9112): CRLF-terminated lines of bounded
 * length and a header block up to the empty line. Reads byte by byte from a buffered stream, so the body that
 * follows stays in the stream for whoever reads it next.
 */
final class HttpWire {
    /** Longest request, status or header line accepted (as many servers: 8 KiB). */
    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 100;

    private HttpWire() {}

    /** A malformed message: the server answers 400, the client gives up. */
    static final class BadMessage extends IOException {
        private static final long serialVersionUID = 1L;

        BadMessage(String message) { super(message); }
    }

    /** One line without its CRLF (a bare LF is tolerated, RFC 9112 §2.2); null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        byte[] buf = new byte[128];
        int n = 0;
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                if (n > 0 && buf[n - 1] == '\r') n--;
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n == MAX_LINE) throw new BadMessage("line longer than " + MAX_LINE + " bytes");
            if (n == buf.length) buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE));
            buf[n++] = (byte) c;
        }
        if (n == 0) return null;
        throw new BadMessage("end of stream inside a line");
    }

    /** The header fields up to the empty line; names are case-insensitive, repeated fields are joined with ", ". */
    static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int count = 0; ; count++) {
            String line = readLine(in);
            if (line == null) throw new BadMessage("end of stream inside the header");
            if (line.isEmpty()) return headers;
            if (count == MAX_HEADERS) throw new BadMessage("more than " + MAX_HEADERS + " header fields");
            int colon = line.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(line.charAt(colon - 1))) throw new BadMessage("bad header field: " + line);
            headers.merge(line.substring(0, colon), line.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
        }
    }

    /** Whether a comma-separated header value ({@code Connection}, {@code Transfer-Encoding}) names {@code token}. */
    static boolean hasToken(String value, String token) {
        if (value == null) return false;
        for (String t : value.split(",")) {
            if (t.strip().equalsIgnoreCase(token)) return true;
        }
        return false;
    }

    /** A Content-Length value: digits only, else the message is bad (RFC 9110 §8.6). */
    static long contentLength(String value) throws BadMessage {
        if (value == null || value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9') || value.length() > 18) {
            throw new BadMessage("bad Content-Length: " + value);
        }
        return Long.parseLong(value);
    }
}
