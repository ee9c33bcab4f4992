package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.stack.InetStack;
import io.inet4j.stack.javanet.InetSocketFactory;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.testing.RequiresTap;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Libraries written against {@code java.net} running over inet4j through its socket factories, against the Linux
 * kernel over a TAP device (Linux 10.85.1.1/24 in a fresh namespace, the stack 10.85.1.2/24). OkHttp and Apache
 * HttpClient 5, given {@link InetSocketFactory}, GET a file from and POST a body to a Python HTTP server in the
 * namespace, which can only be reached through the stack and names the client it saw. The other way, a plain
 * {@code ServerSocket} echo server from {@code InetServerSocketFactory} serves Linux's netcat and curl.
 */
@RequiresTap
class SocketFactoryInteropTest {
    private static final String STACK = "10.85.1.2";
    private static final String LINUX = "10.85.1.1";
    private static final int HTTP_PORT = 8080;
    private static final int FILE_SIZE = 4 << 20;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("sf", STACK, LINUX);
    private static Process server;
    private static Path file;
    private static final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void up() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        file = Interop.randomFile(www, "file.bin", FILE_SIZE, 85);
        Path script = dir.resolve("echo_http.py");
        try (InputStream in = SocketFactoryInteropTest.class.getResourceAsStream("/interop/echo_http.py")) {
            Files.copy(in, script);
        }
        server = lab.peer().start("python3", script.toString(), LINUX, String.valueOf(HTTP_PORT), www.toString());
        Interop.awaitListening(lab.peer().name(), HTTP_PORT);
    }

    @AfterAll
    static void down() throws Exception {
        pool.shutdownNow();
        if (server != null) {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void okHttpGetsAndPostsThroughTheStack() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().socketFactory(lab.stack().socketFactory()).build();
        try {
            String url = "http://" + LINUX + ":" + HTTP_PORT + "/";
            try (Response r = client.newCall(new Request.Builder().url(url + "file.bin").build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.header("X-Peer")).isEqualTo(STACK);
                assertThat(sha256(r.body().bytes())).isEqualTo(Interop.sha256(file));
            }
            byte[] body = random(3 << 20, 1);
            RequestBody post = RequestBody.create(body, MediaType.get("application/octet-stream"));
            try (Response r = client.newCall(new Request.Builder().url(url + "echo").post(post).build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.header("X-Peer")).isEqualTo(STACK);
                assertThat(r.body().bytes()).isEqualTo(body);
            }
            assertThat(client.connectionPool().connectionCount()).as("one kept-alive connection carried both").isEqualTo(1);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /**
     * The README's example, run as written there: the lines between the markers are compared with README's block
     * (this lab's Linux address written as the README's 10.77.1.1), then their outcome is checked.
     */
    @Test
    void theReadmeExampleRunsAsWritten() throws Exception {
        InetStack stack = lab.stack();
        byte[] body;
        // README:begin
        OkHttpClient client = new OkHttpClient.Builder()
                .socketFactory(stack.socketFactory())                    // every connection OkHttp makes is inet4j's
                .build();
        Request request = new Request.Builder().url("http://10.85.1.1:8080/file.bin").build();
        try (Response response = client.newCall(request).execute()) {   // resolves, connects, reads: over the stack
            body = response.body().bytes();
        }
        ServerSocketFactory servers = stack.serverSocketFactory();       // java.net.ServerSockets on the stack
        // README:end
        client.connectionPool().evictAll();
        assertThat(sha256(body)).isEqualTo(Interop.sha256(file));
        try (ServerSocket s = servers.createServerSocket(0)) {
            assertThat(s.getLocalPort()).isPositive();
        }
        assertThat(readmeBlock()).isEqualTo(markedLines().replace(LINUX, "10.77.1.1"));
    }

    /** The java block of README's "Using inet4j from existing Java libraries" section, minus the fences. */
    private static String readmeBlock() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Using inet4j from existing Java libraries");
        assertThat(section).as("README has the section").isNotNegative();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    /** The lines between this file's README markers, without the test's indentation. */
    private static String markedLines() throws Exception {
        String src = Files.readString(Path.of("src/test/java/io/inet4j/samples/interop/SocketFactoryInteropTest.java"));
        int start = src.indexOf("\n", src.indexOf("// README:" + "begin")) + 1;
        String block = src.substring(start, src.lastIndexOf("\n", src.indexOf("// README:" + "end")) + 1);
        return block.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).reduce("", (a, l) -> a + l + "\n");
    }

    @Test
    void apacheHttpClientGetsAndPostsThroughTheStack() throws Exception {
        InetSocketFactory sockets = lab.stack().socketFactory();
        DefaultHttpClientConnectionOperator operator = new DefaultHttpClientConnectionOperator(proxy -> sockets.createSocket(),
                DefaultSchemePortResolver.INSTANCE, SystemDefaultDnsResolver.INSTANCE, RegistryBuilder.<TlsSocketStrategy>create().build());
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(operator,
                PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO, TimeValue.NEG_ONE_MILLISECOND, null);
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(connections).build()) {
            String url = "http://" + LINUX + ":" + HTTP_PORT + "/";
            client.execute(new HttpGet(url + "file.bin"), r -> {
                assertThat(r.getCode()).isEqualTo(200);
                assertThat(r.getFirstHeader("X-Peer").getValue()).isEqualTo(STACK);
                assertThat(sha256(EntityUtils.toByteArray(r.getEntity()))).isEqualTo(Interop.sha256(file));
                return null;
            });
            byte[] body = random(3 << 20, 2);
            HttpPost post = new HttpPost(url + "echo");
            post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
            client.execute(post, r -> {
                assertThat(r.getCode()).isEqualTo(200);
                assertThat(EntityUtils.toByteArray(r.getEntity())).isEqualTo(body);
                return null;
            });
        }
    }

    @Test
    void aServerSocketFromTheFactoryEchoesToLinuxNetcatAndAnswersCurl() throws Exception {
        try (ServerSocket echo = lab.stack().serverSocketFactory().createServerSocket(7007);
             ServerSocket http = lab.stack().serverSocketFactory().createServerSocket(8081)) {
            pool.submit(() -> serve(echo, s -> s.getInputStream().transferTo(s.getOutputStream())));
            pool.submit(() -> serve(http, SocketFactoryInteropTest::answerHttp));

            Path got = dir.resolve("echoed.bin");
            PeerNamespace.Result nc = lab.peer().exec(Duration.ofSeconds(30), "sh", "-c",
                    "nc -N " + STACK + " 7007 < " + file + " > " + got);
            assertThat(nc.ok()).as(nc.stderr()).isTrue();
            assertThat(Interop.sha256(got)).isEqualTo(Interop.sha256(file));

            PeerNamespace.Result curl = lab.peer().exec(Duration.ofSeconds(30), "curl", "-sS", "http://" + STACK + ":8081/hello");
            assertThat(curl.stderr()).isEmpty();
            assertThat(curl.stdout()).isEqualTo("GET /hello from " + LINUX + "\n");
        }
    }

    private interface Handler {
        void handle(Socket s) throws Exception;
    }

    /** The classic thread-per-connection server loop, as a library built on {@code ServerSocket} runs it. */
    private static Void serve(ServerSocket server, Handler handler) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                pool.submit(() -> {
                    try (s) {
                        handler.handle(s);
                        s.shutdownOutput();
                    }
                    return null;
                });
            } catch (Exception closed) {
                return null;
            }
        }
        return null;
    }

    /** Reads a request's head and answers with its request line and the client's address. */
    private static void answerHttp(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) return;
            head.append((char) c);
        }
        String line = head.substring(0, head.indexOf("\r\n"));
        String body = line.substring(0, line.lastIndexOf(' ')) + " from " + s.getInetAddress().getHostAddress() + "\n";
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
