package io.inet4j.samples.http;

import io.inet4j.samples.http.HttpWire.BadMessage;
import io.inet4j.samples.io.Streams;
import io.inet4j.stack.InetStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A small HTTP/1.1 file server on inet4j's NIO channels: GET and HEAD of the files under a root directory,
 * persistent connections (Content-Length framing, {@code Connection: close} honoured, HTTP/1.0 closes, pipelined
 * requests answered in turn), 400 for a malformed request or a path that tries to leave the root, 404, 405 for
 * other methods. One thread serves every connection on one {@link Selector}, as nginx's worker does; file bodies
 * stream through a buffer per sending connection, as fast as the peer takes them.
 *
 * <p>Deadlines as nginx keeps them, so a slow client costs a few hundred bytes and no thread: the whole request
 * header must arrive within {@link #HEADER_TIMEOUT} of the connection's start or of its first byte
 * ({@code client_header_timeout}; a trickle does not extend it), else 408 and close; a kept-alive connection may
 * sit idle 30 s between requests ({@code keepalive_timeout}); a response whose peer takes nothing for 60 s is
 * dropped ({@code send_timeout}).
 */
public final class HttpServer implements Closeable {
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    /** How long the request header may take to arrive. */
    public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** How long an idle persistent connection may wait for its next request before we close it. */
    private static final long KEEP_ALIVE_IDLE_NANOS = Duration.ofSeconds(30).toNanos();
    /** How long a response may wait for the peer to take any of it. */
    private static final long SEND_TIMEOUT_NANOS = Duration.ofSeconds(60).toNanos();
    /** The largest request header block (nginx's large_client_header_buffers: 4 x 8k). */
    static final int MAX_HEADER = 4 * HttpWire.MAX_LINE;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Path root;
    private final PrintStream log;
    private final long headerTimeoutNanos;
    private final Set<Conn> open = new HashSet<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>(Comparator.comparingLong(Deadline::at));
    /** Where each read lands before it is appended to its connection's request bytes; the serving thread's. */
    private final ByteBuffer readBuf = ByteBuffer.allocate(MAX_HEADER);
    private volatile boolean closed;
    private volatile int connections;

    /** A connection's deadline as it was set; stale once the connection set another. */
    private record Deadline(long at, Conn conn, int generation) {}

    private HttpServer(ServerSocketChannel listener, Path root, PrintStream log, Duration headerTimeout) throws IOException {
        this.root = root.toRealPath();
        this.listener = listener;
        this.log = log;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.selector = listener.provider().openSelector();
    }

    /**
     * Listens on {@code port} of every address of {@code stack} and serves {@code root}; one line per request goes
     * to {@code log} when it is not null. Serving starts with {@link #serve} or {@link #start}.
     */
    public static HttpServer open(InetStack stack, int port, int backlog, Path root, PrintStream log) throws IOException {
        return open(stack, port, backlog, root, log, HEADER_TIMEOUT);
    }

    static HttpServer open(InetStack stack, int port, int backlog, Path root, PrintStream log, Duration headerTimeout)
            throws IOException {
        ServerSocketChannel ch = stack.selectorProvider().openServerSocketChannel();
        try {
            ch.bind(new InetSocketAddress(port), backlog);
            ch.configureBlocking(false);
            return new HttpServer(ch, root, log, headerTimeout);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The port it listens on. */
    public int port() throws IOException { return ((InetSocketAddress) listener.getLocalAddress()).getPort(); }

    /** Connections open now. */
    public int connections() { return connections; }

    /** Accepts and serves connections on this thread until {@link #close}. */
    public void serve() throws IOException {
        try {
            listener.register(selector, SelectionKey.OP_ACCEPT);
            while (!closed) {
                long now = System.nanoTime();
                expire(now);
                Deadline next = deadlines.peek();
                selector.select(next == null ? 0 : Math.max(1, (next.at() - now + 999_999) / 1_000_000));
                for (var it = selector.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) continue;
                    if (k.isAcceptable()) accept();
                    else ((Conn) k.attachment()).ready(k);
                }
            }
        } catch (ClosedSelectorException e) {
            if (!closed) throw e;
        } finally {
            for (Conn c : new ArrayList<>(open)) c.close();
            selector.close();
            listener.close();
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
        }, "http-server");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** Stops accepting; the serving thread closes the connections still open. */
    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        listener.close();
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            try {
                ch.configureBlocking(false);
                Conn c = new Conn(ch);
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                open.add(c);
                connections = open.size();
                c.deadline(System.nanoTime() + headerTimeoutNanos);
            } catch (IOException resetMeanwhile) {
                ch.close(); // gone before we could take it on: the next one
            }
        }
    }

    /** Connections whose deadline passed: 408 when a request had begun, otherwise just closed. */
    private void expire(long now) {
        Deadline d;
        while ((d = deadlines.peek()) != null && d.at() <= now) {
            deadlines.poll();
            Conn c = d.conn();
            if (c.closed || d.generation() != c.generation) continue;
            if (c.sending) {
                long due = c.lastProgress + SEND_TIMEOUT_NANOS; // checked lazily: progress does not touch the queue
                if (due > now) deadlines.add(new Deadline(due, c, c.generation));
                else c.close();
            } else if (c.inLen > 0) {
                c.timeout();
            } else {
                c.close();
            }
        }
    }

    /** One connection: the request bytes not yet answered, and the response being sent. */
    private final class Conn {
        final SocketChannel ch;
        final String peer;
        SelectionKey key;
        byte[] in = new byte[256];
        int inLen;
        /** Request-body bytes still to discard. */
        long skip;
        boolean eof;
        boolean closed;
        boolean keepAlive = true;
        /** Between requests of a kept-alive connection: the idle deadline runs, not the header one. */
        boolean keepAliveWait;
        boolean sending;
        ByteBuffer out;
        FileChannel file;
        long fileLeft;
        ByteBuffer chunk;
        long lastProgress;
        int generation;

        Conn(SocketChannel ch) throws IOException {
            this.ch = ch;
            // Null once a reset got there first: the connection is dead, the log line only needs a placeholder.
            InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
            this.peer = remote == null ? "-" : remote.getAddress().getHostAddress();
        }

        void deadline(long at) {
            generation++;
            deadlines.add(new Deadline(at, this, generation));
        }

        void ready(SelectionKey k) {
            try {
                if (k.isReadable()) readable();
                if (!closed && k.isValid() && k.isWritable()) flush();
            } catch (IOException e) {
                close(); // the peer went away mid-exchange (reset, closed): nothing to answer
            } catch (RuntimeException e) {
                // One connection's trouble must not stop the thread that serves all the others.
                if (log != null) log.println("http-server: " + peer + ": " + e);
                close();
            }
        }

        private void readable() throws IOException {
            boolean started = inLen > 0 || skip > 0;
            // Room for the header bytes still allowed, plus body bytes that are dropped (skip > 0 only with inLen 0).
            readBuf.clear().limit((int) Math.min(MAX_HEADER, MAX_HEADER - inLen + skip));
            int n = ch.read(readBuf);
            if (n < 0) {
                eof = true;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            } else {
                readBuf.flip();
                int drop = (int) Math.min(skip, readBuf.remaining());
                readBuf.position(readBuf.position() + drop);
                skip -= drop;
                if (inLen + readBuf.remaining() > in.length) in = Arrays.copyOf(in, Math.max(in.length * 2, inLen + readBuf.remaining()));
                readBuf.get(in, inLen, readBuf.remaining());
                inLen += n - drop;
                // The first byte of a request on a kept-alive connection starts its header deadline.
                if (!started && inLen > 0 && keepAliveWait) {
                    keepAliveWait = false;
                    deadline(System.nanoTime() + headerTimeoutNanos);
                }
            }
            process();
        }

        /** Answers the complete requests in the buffer, one at a time: the next waits until this one is sent. */
        private void process() throws IOException {
            while (!sending && !closed) {
                int end = headerEnd();
                if (end < 0) {
                    if (eof) close();
                    else if (inLen >= MAX_HEADER || unterminatedLine() > HttpWire.MAX_LINE) {
                        respondAndClose(400, "Bad Request", "request header too large");
                    }
                    return;
                }
                ByteArrayOutputStream resp = new ByteArrayOutputStream();
                try {
                    keepAlive = exchange(new ByteArrayInputStream(in, 0, end), resp, this) && !eof;
                } catch (BadMessage e) {
                    respond(resp, peer, "-", 400, "Bad Request", e.getMessage(), false, false);
                    keepAlive = false;
                }
                // Drop the header and as much of the request body as is here; the rest of the body is skipped as it comes.
                int drop = end + (int) Math.min(skip, inLen - end);
                skip -= drop - end;
                System.arraycopy(in, drop, in, 0, inLen - drop);
                inLen -= drop;
                send(ByteBuffer.wrap(resp.toByteArray()));
            }
        }

        /** The end of the header block (after its empty line) in the buffer, or -1 while it is incomplete. */
        private int headerEnd() {
            for (int i = 0; i + 1 < inLen; i++) {
                if (in[i] != '\n') continue;
                if (in[i + 1] == '\n') return i + 2;
                if (in[i + 1] == '\r' && i + 2 < inLen && in[i + 2] == '\n') return i + 3;
            }
            return -1;
        }

        private int unterminatedLine() {
            int i = inLen;
            while (i > 0 && in[i - 1] != '\n') i--;
            return inLen - i;
        }

        /** A deadline ran out with a request begun: 408, as a server says it gave up waiting, then close. */
        void timeout() {
            try {
                respondAndClose(408, "Request Timeout", "the request header took too long");
            } catch (IOException e) {
                close();
            }
        }

        private void respondAndClose(int status, String reason, String detail) throws IOException {
            ByteArrayOutputStream resp = new ByteArrayOutputStream();
            respond(resp, peer, "-", status, reason, detail, false, false);
            keepAlive = false;
            inLen = 0;
            send(ByteBuffer.wrap(resp.toByteArray()));
        }

        void sendFile(Path path, long size) throws IOException {
            file = FileChannel.open(path);
            fileLeft = size;
        }

        private void send(ByteBuffer head) throws IOException {
            out = head;
            sending = true;
            lastProgress = System.nanoTime();
            deadline(lastProgress + SEND_TIMEOUT_NANOS);
            flush();
        }

        /** Sends what the socket takes; waits for OP_WRITE when it is full; the next request once all is out. */
        private void flush() throws IOException {
            for (;;) {
                if (out.hasRemaining()) {
                    if (ch.write(out) > 0) lastProgress = System.nanoTime();
                    if (out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_WRITE);
                        return;
                    }
                } else if (fileLeft > 0) {
                    if (chunk == null) chunk = ByteBuffer.allocate(Streams.BUFFER);
                    chunk.clear();
                    if (fileLeft < chunk.capacity()) chunk.limit((int) fileLeft);
                    if (file.read(chunk) <= 0) throw new IOException("a file shrank while being sent");
                    fileLeft -= chunk.position();
                    out = chunk.flip();
                } else {
                    break;
                }
            }
            closeFile();
            sending = false;
            out = null;
            chunk = null;
            if (!keepAlive) {
                close();
                return;
            }
            key.interestOps(eof ? 0 : SelectionKey.OP_READ);
            if (inLen > 0) deadline(System.nanoTime() + headerTimeoutNanos);
            else {
                keepAliveWait = true;
                deadline(System.nanoTime() + KEEP_ALIVE_IDLE_NANOS);
            }
            process();
        }

        private void closeFile() {
            if (file == null) return;
            try {
                file.close();
            } catch (IOException ignored) {
                // read-only: nothing was lost
            }
            file = null;
            fileLeft = 0;
        }

        void close() {
            if (closed) return;
            closed = true;
            closeFile();
            // counted out before the FIN leaves, so a peer that has seen the close never finds it still counted
            open.remove(this);
            connections = open.size();
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a socket fails only if it is closed already
            }
        }
    }

    /**
     * Reads one request's header from {@code header} and writes the answer's head (and a short body) to
     * {@code resp}; a file body is left to {@code c}. Returns whether the connection stays open.
     */
    private boolean exchange(InputStream header, OutputStream resp, Conn c) throws IOException {
        String requestLine = HttpWire.readLine(header);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) throw new BadMessage("bad request line: " + requestLine);
        Map<String, String> headers = HttpWire.readHeaders(header);
        if (headers.containsKey("Transfer-Encoding")) throw new BadMessage("request bodies are not supported");
        if (headers.containsKey("Content-Length")) c.skip = HttpWire.contentLength(headers.get("Content-Length"));
        boolean keepAlive = parts[2].equals("HTTP/1.1") && !HttpWire.hasToken(headers.get("Connection"), "close");
        String method = parts[0];
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            respond(resp, c.peer, requestLine, 405, "Method Not Allowed", "only GET and HEAD", false, keepAlive);
            return keepAlive;
        }
        Path file = resolve(parts[1]);
        if (file == null) {
            respond(resp, c.peer, requestLine, 400, "Bad Request", "bad path", head, keepAlive);
        } else if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            respond(resp, c.peer, requestLine, 404, "Not Found", "no such file", head, keepAlive);
        } else {
            long size = Files.size(file);
            writeHeader(resp, 200, "OK", size, contentType(file), keepAlive);
            if (!head) c.sendFile(file, size);
            log(c.peer, requestLine, 200, size);
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

    private void respond(OutputStream out, String peer, String requestLine, int status, String reason, String detail,
                         boolean head, boolean keepAlive) throws IOException {
        byte[] body = (status + " " + reason + ": " + detail + "\n").getBytes(StandardCharsets.UTF_8);
        writeHeader(out, status, reason, body.length, "text/plain; charset=utf-8", keepAlive);
        if (!head) out.write(body);
        log(peer, requestLine, status, body.length);
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

    private void log(String peer, String requestLine, int status, long bytes) {
        if (log != null) log.printf("%s \"%s\" %d %d%n", peer, requestLine, status, bytes);
    }
}
