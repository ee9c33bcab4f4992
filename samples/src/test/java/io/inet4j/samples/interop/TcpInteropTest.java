package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inet4j.mib.TcpMib;
import io.inet4j.samples.http.HttpServer;
import io.inet4j.samples.nc.Netcat;
import io.inet4j.socket.Errno;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.SocketErrors;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.testing.RequiresTap;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP against the Linux kernel over a TAP device: the kernel side in a fresh namespace (10.80.1.1/24), the
 * stack (10.80.1.2/24) serving a directory with {@link HttpServer}. curl downloads from the stack, the stack
 * uploads to Linux's netcat, refused connects both ways, 200 connections at once.
 */
@RequiresTap
class TcpInteropTest {
    private static final String STACK = "10.80.1.2";
    private static final String LINUX = "10.80.1.1";
    private static final long BIG = 50L << 20;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("tcp", STACK, LINUX);
    private static HttpServer server;
    private static Path big;

    @BeforeAll
    static void up() throws Exception {
        big = Interop.randomFile(dir, "big.bin", BIG, 50);
        Files.writeString(dir.resolve("small.txt"), "small file\n");
        server = HttpServer.open(lab.stack(), 80, 256, dir, null).start();
    }

    @AfterAll
    static void down() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void curlDownloadsFiftyMegabytesFromTheHttpServer() throws Exception {
        Path got = dir.resolve("curl-got.bin");
        long start = System.nanoTime();
        PeerNamespace.Result r = lab.peer().exec(Duration.ofSeconds(60), "curl", "-sS", "-o", got.toString(),
                "-w", "%{http_code} %{size_download} %{speed_download}", "http://" + STACK + "/big.bin");
        long nanos = System.nanoTime() - start;
        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).startsWith("200 " + BIG + " ");
        assertThat(Interop.sha256(got)).isEqualTo(Interop.sha256(big));
        Interop.throughput("curl <- inet4j http-server, 50 MiB (curl's own speed: "
                + Math.round(Double.parseDouble(r.stdout().split(" ")[2]) / 1e4) / 100.0 + " MB/s)", BIG, nanos);
    }

    @Test
    void theStackUploadsFiftyMegabytesToLinuxNetcat() throws Exception {
        Path got = dir.resolve("nc-got.bin");
        Process nc = lab.peer().start("sh", "-c", "exec nc -l 5001 > " + got + " < /dev/null");
        try {
            Interop.awaitListening(lab.peer().name(), 5001);
            InetSocket s = lab.stack().socket();
            s.connect(LINUX, 5001, 2000);
            long start = System.nanoTime();
            Netcat.Counts counts;
            try (InputStream in = Files.newInputStream(big)) {
                counts = Netcat.relay(s, in, new ByteArrayOutputStream());
            }
            long nanos = System.nanoTime() - start;
            assertThat(nc.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(counts).isEqualTo(new Netcat.Counts(BIG, 0));
            assertThat(Interop.sha256(got)).isEqualTo(Interop.sha256(big));
            Interop.throughput("inet4j nc -> Linux nc -l, 50 MiB", BIG, nanos);
        } finally {
            nc.destroy();
        }
    }

    @Test
    void linuxConnectingToAClosedPortOfTheStackIsRefused() throws Exception {
        PeerNamespace.Result r = lab.peer().exec("python3", "-c", String.join("\n",
                "import errno, socket",
                "s = socket.socket()",
                "try:",
                "    s.connect(('" + STACK + "', 81))",
                "    print('connected')",
                "except OSError as e:",
                "    print(errno.errorcode[e.errno])"));
        assertThat(r.stdout().strip()).isEqualTo("ECONNREFUSED");
        PeerNamespace.Result curl = lab.peer().exec("curl", "-sS", "http://" + STACK + ":81/");
        assertThat(curl.exitCode()).isEqualTo(7);
        assertThat(curl.stderr()).contains("Failed to connect to " + STACK + " port 81");
    }

    @Test
    void theStackConnectingToAClosedLinuxPortIsRefused() throws Exception {
        InetSocket s = lab.stack().socket();
        Throwable e = catchThrowable(() -> s.connect(LINUX, 9, 2000));
        assertThat(e).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
        assertThat(SocketErrors.errno(e)).isEqualTo(Errno.ECONNREFUSED);
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void twoHundredCurlsAtOnceAllSucceed() throws Exception {
        int n = 200;
        long opens = lab.stack().net().mibs().tcp.get(TcpMib.PassiveOpens);
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--no-progress-meter", "--parallel", "--parallel-immediate",
                "--parallel-max", Integer.toString(n), "-w", "%{http_code}\\n"));
        for (int i = 0; i < n; i++) cmd.addAll(List.of("-o", "/dev/null", "http://" + STACK + "/small.txt?" + i));
        long start = System.nanoTime();
        PeerNamespace.Result r = lab.peer().exec(Duration.ofSeconds(60), cmd.toArray(String[]::new));
        long nanos = System.nanoTime() - start;
        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout().lines().filter("200"::equals).count()).isEqualTo(n);
        assertThat(lab.stack().net().mibs().tcp.get(TcpMib.PassiveOpens) - opens).isEqualTo(n);
        System.out.printf("[throughput] %d parallel curl connections in %.3f s%n", n, nanos / 1e9);
    }
}
