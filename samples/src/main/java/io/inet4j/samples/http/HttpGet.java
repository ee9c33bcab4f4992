package io.inet4j.samples.http;

import io.inet4j.samples.http.HttpWire.BadMessage;
import io.inet4j.samples.io.Streams;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetStack;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 GET from a stack, the way {@code curl URL} does it: connect, send the request with
 * {@code Connection: close}, read the status line and header, then the body framed by
 * {@code Transfer-Encoding: chunked}, {@code Content-Length} or the end of the connection. The host must be an
 * IPv4 literal: the stack has no resolver.
 */
public final class HttpGet {
    /** What came back: the status line and code, the header fields, and how many body bytes were written. */
    public record Response(String statusLine, int status, Map<String, String> headers, long bodyBytes) {
        public boolean ok() { return status >= 200 && status < 300; }
    }

    private HttpGet() {}

    /**
     * GETs {@code url} and writes the body to {@code body}. {@code timeoutMillis} bounds the connect and each
     * read (0: no limit).
     *
     * @throws IllegalArgumentException for a URL that is not {@code http://A.B.C.D[:port][/path]}
     * @throws IOException when the connection fails or the response is malformed or cut short
     */
    public static Response get(InetStack stack, String url, OutputStream body, int timeoutMillis) throws IOException {
        URI u = parse(url);
        int port = u.getPort() < 0 ? 80 : u.getPort();
        String target = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        try (InetSocket s = stack.socket()) {
            s.connect(u.getHost(), port, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            String request = "GET " + target + " HTTP/1.1\r\n"
                    + "Host: " + u.getHost() + (port == 80 ? "" : ":" + port) + "\r\n"
                    + "User-Agent: inet4j\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(s.getInputStream(), Streams.BUFFER);
            while (true) {
                String statusLine = HttpWire.readLine(in);
                if (statusLine == null) throw new BadMessage("the server closed the connection without a response");
                int status = status(statusLine);
                Map<String, String> headers = HttpWire.readHeaders(in);
                if (status >= 100 && status < 200) continue; // an interim response (100 Continue): the real one follows
                long n = status == 204 || status == 304 ? 0 : body(in, headers, body);
                body.flush();
                return new Response(statusLine, status, headers, n);
            }
        }
    }

    /** Checks {@code url} is {@code http://A.B.C.D[:port][/path]}; IllegalArgumentException saying why not. */
    public static URI parse(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad URL: " + e.getMessage(), e);
        }
        if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("only http://HOST[:PORT]/PATH URLs: " + url);
        }
        try {
            SockAddrIn.parseAddress(u.getHost());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the host must be an IPv4 address (the stack has no resolver): " + u.getHost(), e);
        }
        return u;
    }

    /** The code of {@code HTTP/1.x NNN reason}. */
    private static int status(String line) throws BadMessage {
        String[] p = line.split(" ", 3);
        if (p.length < 2 || !p[0].startsWith("HTTP/1.") || p[1].length() != 3 || !p[1].chars().allMatch(Character::isDigit)) {
            throw new BadMessage("bad status line: " + line);
        }
        return Integer.parseInt(p[1]);
    }

    /** The body by its framing (RFC 9112 §6.3): chunked, then Content-Length, else up to the end of the stream. */
    private static long body(InputStream in, Map<String, String> headers, OutputStream out) throws IOException {
        if (HttpWire.hasToken(headers.get("Transfer-Encoding"), "chunked")) return chunked(in, out);
        if (headers.containsKey("Content-Length")) {
            long length = HttpWire.contentLength(headers.get("Content-Length"));
            long got = Streams.copy(in, out, length, false);
            if (got < length) throw new IOException("connection closed after " + got + " of " + length + " body bytes");
            return got;
        }
        return Streams.copy(in, out, Long.MAX_VALUE, false);
    }

    private static long chunked(InputStream in, OutputStream out) throws IOException {
        long total = 0;
        while (true) {
            String line = HttpWire.readLine(in);
            if (line == null) throw new IOException("connection closed inside a chunked body");
            int semi = line.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new BadMessage("bad chunk size: " + line);
            }
            if (size == 0) {
                HttpWire.readHeaders(in); // trailer fields
                return total;
            }
            if (Streams.copy(in, out, size, false) < size) throw new IOException("connection closed inside a chunk");
            total += size;
            if (!"".equals(HttpWire.readLine(in))) throw new BadMessage("no CRLF after a chunk");
        }
    }
}
