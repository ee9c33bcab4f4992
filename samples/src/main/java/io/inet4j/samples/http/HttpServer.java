package io.inet4j.samples.http;

import io.inet4j.samples.http.HttpWire.BadMessage;
import io.inet4j.samples.io.Streams;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 file server on an {@link InetServerSocket}: GET and HEAD of the files under a root directory,
 * persistent connections (Content-Length framing, {@code Connection: close} honoured, HTTP/1.0 closes), 400 for
 * a malformed request or a path that tries to leave the root, 404, 405 for other methods. One thread per
 * connection from a cached pool (platform threads: Java 17), closed after 30 s without a request; file bodies
 * stream through a fixed buffer.
 */
public final class HttpServer implements Closeable {
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    /** How long an idle persistent connection may wait for its next request before we close it. */
    private static final int KEEP_ALIVE_IDLE_MILLIS = 30_000;

    private final InetServerSocket listener;
    private final Path root;
    private final PrintStream log;
    private final AtomicInteger connections = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "http-conn-" + connections.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final Set<InetSocket> open = ConcurrentHashMap.newKeySet();

    /** Serves {@code root} on {@code listener}; one line per request goes to {@code log} when it is not null. */
    public HttpServer(InetServerSocket listener, Path root, PrintStream log) throws IOException {
        this.listener = listener;
        this.root = root.toRealPath();
        this.log = log;
    }

    /** Accepts and serves connections until {@link #close}. */
    public void serve() throws IOException {
        try {
            while (true) {
                InetSocket s = listener.accept();
                open.add(s);
                pool.execute(() -> connection(s));
            }
        } catch (SocketException e) {
            if (!listener.isClosed()) throw e;
        }
    }

    /** {@link #serve} on a daemon thread of its own. */
    public HttpServer start() {
        Thread t = new Thread(() -> {
            try {
                serve();
            } catch (IOException e) {
                if (log != null) log.println("http-server: " + e.getMessage());
            }
        }, "http-accept");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** Stops accepting and closes the connections still open. */
    @Override
    public void close() {
        listener.close();
        for (InetSocket s : open) s.close();
        pool.shutdownNow();
    }

    private void connection(InetSocket s) {
        try (s) {
            s.setSoTimeout(KEEP_ALIVE_IDLE_MILLIS);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), Streams.BUFFER);
            boolean keepAlive = true;
            while (keepAlive) {
                String requestLine;
                try {
                    requestLine = HttpWire.readLine(in);
                    if (requestLine == null) break;
                    keepAlive = exchange(requestLine, in, out, s);
                } catch (BadMessage e) {
                    respond(out, s, "-", 400, "Bad Request", e.getMessage(), false, true);
                    keepAlive = false;
                }
                out.flush();
            }
        } catch (IOException e) {
            // The peer went away mid-exchange (reset, closed) or stayed idle too long: nothing to answer.
        } finally {
            open.remove(s);
        }
    }

    /** Reads the rest of one request and answers it; returns whether the connection stays open. */
    private boolean exchange(String requestLine, InputStream in, OutputStream out, InetSocket s) throws IOException {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) throw new BadMessage("bad request line: " + requestLine);
        Map<String, String> headers = HttpWire.readHeaders(in);
        if (headers.containsKey("Transfer-Encoding")) throw new BadMessage("request bodies are not supported");
        if (headers.containsKey("Content-Length")) in.skipNBytes(HttpWire.contentLength(headers.get("Content-Length")));
        boolean keepAlive = parts[2].equals("HTTP/1.1") && !HttpWire.hasToken(headers.get("Connection"), "close");
        String method = parts[0];
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            respond(out, s, requestLine, 405, "Method Not Allowed", "only GET and HEAD", false, keepAlive);
            return keepAlive;
        }
        Path file = resolve(parts[1]);
        if (file == null) {
            respond(out, s, requestLine, 400, "Bad Request", "bad path", head, keepAlive);
        } else if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            respond(out, s, requestLine, 404, "Not Found", "no such file", head, keepAlive);
        } else {
            long size = Files.size(file);
            writeHeader(out, 200, "OK", size, contentType(file), keepAlive);
            if (!head) copyFile(file, out, size);
            log(s, requestLine, 200, size);
        }
        return keepAlive;
    }

    /**
     * The file for a request target: an origin-form path (query dropped), percent-decoded, no {@code ..} segment,
     * inside the root; a directory means its {@code index.html}. Null when the target is not acceptable.
     */
    Path resolve(String target) {
        if (!target.startsWith("/")) return null;
        int q = target.indexOf('?');
        String path = percentDecode(q < 0 ? target : target.substring(0, q));
        if (path == null || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) return null;
        for (String segment : path.split("/")) {
            if (segment.equals("..")) return null;
        }
        Path p = root.resolve(path.substring(1)).normalize();
        if (!p.startsWith(root)) return null;
        return Files.isDirectory(p) ? p.resolve("index.html") : p;
    }

    /**
     * RFC 3986 percent-decoding of a path read as ISO-8859-1 (one char per byte), then read as UTF-8; '+' stays a
     * plus in a path. Null for a broken escape.
     */
    private static String percentDecode(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                b.write(c);
                continue;
            }
            if (i + 2 >= s.length()) return null;
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) return null;
            b.write(hi << 4 | lo);
            i += 2;
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".html") || name.endsWith(".htm")) return "text/html; charset=utf-8";
        if (name.endsWith(".txt")) return "text/plain; charset=utf-8";
        return "application/octet-stream";
    }

    private static void copyFile(Path file, OutputStream out, long size) throws IOException {
        try (InputStream f = Files.newInputStream(file)) {
            if (Streams.copy(f, out, size, false) != size) throw new IOException(file + " shrank while being sent");
        }
    }

    private void respond(OutputStream out, InetSocket s, String requestLine, int status, String reason, String detail,
                         boolean head, boolean keepAlive) throws IOException {
        byte[] body = (status + " " + reason + ": " + detail + "\n").getBytes(StandardCharsets.UTF_8);
        writeHeader(out, status, reason, body.length, "text/plain; charset=utf-8", keepAlive);
        if (!head) out.write(body);
        log(s, requestLine, status, body.length);
    }

    private static void writeHeader(OutputStream out, int status, String reason, long length, String type, boolean keepAlive)
            throws IOException {
        String h = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Date: " + DATE.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
                + "Server: inet4j\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void log(InetSocket s, String requestLine, int status, long bytes) {
        if (log != null) log.printf("%s \"%s\" %d %d%n", s.getInetAddress().getHostAddress(), requestLine, status, bytes);
    }
}
