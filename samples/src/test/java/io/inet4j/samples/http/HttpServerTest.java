package io.inet4j.samples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The file server and the GET client between two threaded stacks: framing, keep-alive, status codes, the root. */
@Timeout(30)
class HttpServerTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;

    private final ThreadedStacks t = new ThreadedStacks();
    private HttpServer server;
    private byte[] big;

    @BeforeEach
    void serve() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>inet4j</h1>\n");
        Files.createDirectories(root.resolve("dir with space"));
        Files.writeString(root.resolve("dir with space/a+b.txt"), "plus\n");
        big = new byte[3_000_000];
        new SplittableRandom(9).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(outside.resolve("secret"), "no");
        server = HttpServer.open(t.b, 80, 50, root, null).start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        t.close();
    }

    @Test
    void httpGetFetchesAFileWhoseHashMatches() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpGet.Response r = HttpGet.get(t.a, "http://" + TwoStacks.B + "/big.bin", body, 5000);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.ok()).isTrue();
        assertThat(r.headers()).containsEntry("Content-Length", "3000000").containsEntry("Connection", "close");
        assertThat(r.bodyBytes()).isEqualTo(big.length);
        assertThat(sha256(body.toByteArray())).isEqualTo(sha256(big));
    }

    @Test
    void aPersistentConnectionServesRequestsInTurnUntilConnectionClose() throws Exception {
        try (InetSocket s = t.a.socket()) {
            s.connect(TwoStacks.B, 80, 2000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            // Two requests in one write (pipelined), then a third that asks to close.
            out.write(("GET / HTTP/1.1\r\nHost: b\r\n\r\nHEAD /big.bin HTTP/1.1\r\nHost: b\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Reply index = Reply.read(in, false);
            assertThat(index.statusLine).isEqualTo("HTTP/1.1 200 OK");
            assertThat(index.headers).containsEntry("Content-Type", "text/html; charset=utf-8").doesNotContainKey("Connection");
            assertThat(index.body).isEqualTo("<h1>inet4j</h1>\n");
            Reply head = Reply.read(in, true);
            assertThat(head.headers).containsEntry("Content-Length", "3000000");
            assertThat(head.body).isEmpty();
            out.write("GET /dir%20with%20space/a+b.txt HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Reply last = Reply.read(in, false);
            assertThat(last.body).isEqualTo("plus\n");
            assertThat(last.headers).containsEntry("Connection", "close");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void http10GetsOneAnswerAndTheConnectionCloses() throws Exception {
        Exchange x = exchange("GET / HTTP/1.0\r\n\r\n", true);
        assertThat(x.reply.statusLine).isEqualTo("HTTP/1.1 200 OK");
        assertThat(x.reply.headers).containsEntry("Connection", "close");
        assertThat(x.closedAfter).isTrue();
    }

    @Test
    void missingFilesAre404() throws Exception {
        assertThat(exchange("GET /nope HTTP/1.1\r\nHost: b\r\n\r\n", false).reply.statusLine).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(exchange("GET /dir%20with%20space/ HTTP/1.1\r\n\r\n", false).reply.statusLine).endsWith("404 Not Found");
    }

    @Test
    void pathsThatLeaveTheRootAre400() throws Exception {
        String escape = "/../" + outside.getFileName() + "/secret";
        for (String target : new String[] {escape, "/%2e%2e/" + outside.getFileName() + "/secret", "/a/../../x", "x", "/%zz"}) {
            Exchange x = exchange("GET " + target + " HTTP/1.1\r\n\r\n", false);
            assertThat(x.reply.statusLine).as(target).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(x.closedAfter).as(target).isFalse(); // a bad path is a well-formed request: keep going
        }
    }

    @Test
    void otherMethodsAre405AndGarbageIs400ThenClose() throws Exception {
        Exchange post = exchange("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", false);
        assertThat(post.reply.statusLine).isEqualTo("HTTP/1.1 405 Method Not Allowed");
        assertThat(post.closedAfter).isFalse();
        Exchange garbage = exchange("HELLO\r\n\r\n", true);
        assertThat(garbage.reply.statusLine).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(garbage.closedAfter).isTrue();
        Exchange longLine = exchange("GET /" + "a".repeat(HttpWire.MAX_LINE) + " HTTP/1.1\r\n\r\n", true);
        assertThat(longLine.reply.statusLine).isEqualTo("HTTP/1.1 400 Bad Request");
    }

    @Test
    void theClientReadsChunkedBodiesAndReportsAnErrorStatus() throws Exception {
        try (InetServerSocket fake = t.b.serverSocket(8080)) {
            Thread answer = new Thread(() -> {
                try (InetSocket s = fake.accept()) {
                    HttpWire.readLine(s.getInputStream());
                    s.getOutputStream().write(("HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            answer.start();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            HttpGet.Response r = HttpGet.get(t.a, "http://" + TwoStacks.B + ":8080/x?y=1", body, 5000);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.ok()).isFalse();
            assertThat(body.toString(StandardCharsets.US_ASCII)).isEqualTo("hello, world");
            answer.join();
        }
    }

    @Test
    void theClientWantsAnIpv4LiteralAndReportsARefusedConnect() {
        assertThatThrownBy(() -> HttpGet.get(t.a, "http://example.com/", OutputStream.nullOutputStream(), 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> HttpGet.get(t.a, "https://10.0.0.2/", OutputStream.nullOutputStream(), 1000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpGet.get(t.a, "http://" + TwoStacks.B + ":81/", OutputStream.nullOutputStream(), 1000))
                .isInstanceOf(java.net.ConnectException.class);
    }

    /** One request on a fresh connection, the reply, and whether the server closed after it. */
    private record Exchange(Reply reply, boolean closedAfter) {}

    /**
     * Sends {@code request} and reads the reply; then waits for the server to close: up to 5 s when
     * {@code closeExpected}, else 200 ms (a connection that stays open costs the whole wait).
     */
    private Exchange exchange(String request, boolean closeExpected) throws IOException {
        try (InetSocket s = t.a.socket()) {
            s.connect(TwoStacks.B, 80, 2000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            Reply r = Reply.read(in, false);
            s.setSoTimeout(closeExpected ? 5000 : 200);
            boolean closed;
            try {
                closed = in.read() == -1;
            } catch (java.net.SocketTimeoutException stillOpen) {
                closed = false;
            }
            return new Exchange(r, closed);
        }
    }

    /** A response read with the server's own framing: status line, header, Content-Length bytes. */
    private record Reply(String statusLine, Map<String, String> headers, String body) {
        static Reply read(InputStream in, boolean head) throws IOException {
            String status = HttpWire.readLine(in);
            Map<String, String> headers = HttpWire.readHeaders(in);
            int n = head ? 0 : Integer.parseInt(headers.get("Content-Length"));
            return new Reply(status, headers, new String(in.readNBytes(n), StandardCharsets.UTF_8));
        }
    }

    private static byte[] sha256(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-256").digest(b); }
}
