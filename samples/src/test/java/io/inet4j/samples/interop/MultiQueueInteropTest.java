package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpMib;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.ShardedServerSocket;
import io.inet4j.stack.ShardedStack;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.TapLink;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two queues of one TAP device ({@code IFF_MULTI_QUEUE}), a {@link ShardedStack} of two shards on them, and the
 * kernel in a fresh namespace (10.122.1.1/24; the stack is 10.122.1.2): Linux connects to a listener of both
 * shards, the shards connect to Linux, and both shards and both queues carry connections.
 */
@RequiresTap
class MultiQueueInteropTest {
    private static final String STACK = "10.122.1.2";
    private static final String LINUX = "10.122.1.1";
    private static final int ECHO = 5001;
    private static final int LINUX_ECHO = 5002;

    private static List<TapLink> queues;
    private static PeerNamespace peer;
    private static ShardedStack shards;

    @BeforeAll
    static void up() throws IOException {
        queues = TapLink.openQueues(TapNames.unique("mq"), 1500, null, true, 2);
        try {
            peer = PeerNamespace.attach(queues.get(0).name(), TapNames.namespace("mq"), LINUX + "/24");
        } catch (IOException | RuntimeException e) {
            queues.forEach(TapLink::close);
            throw e;
        }
        shards = ShardedStack.build(queues, (i, b) -> b.name("mq-" + i), STACK + "/24");
    }

    @AfterAll
    static void down() throws IOException {
        if (shards != null) shards.close();
        if (peer != null) peer.close();
    }

    @Test
    void theQueuesAreOneDevice() throws IOException {
        assertThat(queues).extracting(TapLink::queue).containsExactly(0, 1);
        assertThat(queues.get(1).name()).isEqualTo(queues.get(0).name());
        assertThat(queues.get(1).mac()).isEqualTo(queues.get(0).mac());
        PeerNamespace.Result link = peer.exec("ip", "-d", "link", "show", queues.get(0).name());
        assertThat(link.stdout()).contains("numtxqueues 2").contains("multi_queue");
    }

    @Test
    void linuxConnectionsToTheListenerLandOnBothShards() throws Exception {
        long[] before = {passiveOpens(0), passiveOpens(1)};
        int n = 32;
        try (ShardedServerSocket listener = shards.serverSocket(ECHO, 64)) {
            Thread server = new Thread(() -> echoEach(listener, n), "mq-echo");
            server.start();
            // One connection after the other, each from a fresh port: the flows spread by the peer's port.
            PeerNamespace.Result r = peer.exec(Duration.ofSeconds(60), "python3", "-c", String.join("\n",
                    "import socket",
                    "ok = 0",
                    "for i in range(" + n + "):",
                    "    s = socket.create_connection(('" + STACK + "', " + ECHO + "), timeout=10)",
                    "    s.sendall(b'line %d\\n' % i)",
                    "    f = s.makefile('rb')",
                    "    if f.readline() == b'line %d\\n' % i: ok += 1",
                    "    s.close()",
                    "print(ok)"));
            assertThat(r.stderr()).isEmpty();
            assertThat(r.stdout().strip()).isEqualTo(Integer.toString(n));
            server.join(10_000);
        }
        long on0 = passiveOpens(0) - before[0];
        long on1 = passiveOpens(1) - before[1];
        report(n + " Linux connections: " + on0 + " on shard 0, " + on1 + " on shard 1");
        assertThat(on0 + on1).isEqualTo(n);
        assertThat(on0).isPositive();
        assertThat(on1).isPositive();
    }

    @Test
    void theShardsConnectToLinuxAndHearBackAfterTheKernelForgetsTheFlow() throws Exception {
        long[] before = {activeOpens(0), activeOpens(1)};
        // Linux echoes each line, the last one after 4 s of silence: longer than tun's 3 s flow memory.
        Process server = peer.start("python3", "-c", String.join("\n",
                "import socket, threading, time",
                "l = socket.socket()",
                "l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                "l.bind(('" + LINUX + "', " + LINUX_ECHO + "))",
                "l.listen(16)",
                "def serve(c):",
                "    f = c.makefile('rb')",
                "    c.sendall(f.readline())",
                "    time.sleep(4)",
                "    c.sendall(b'late\\n')",
                "    c.close()",
                "while True:",
                "    c, _ = l.accept()",
                "    threading.Thread(target=serve, args=(c,)).start()"));
        try {
            Interop.awaitListening(peer.name(), LINUX_ECHO);
            List<InetSocket> sockets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                InetSocket s = shards.socket();
                s.connect(LINUX, LINUX_ECHO, 10_000);
                s.setSoTimeout(15_000);
                sockets.add(s);
            }
            for (int i = 0; i < sockets.size(); i++) {
                OutputStream out = sockets.get(i).getOutputStream();
                out.write(("hello " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(readLine(sockets.get(i))).isEqualTo("hello " + i);
            }
            for (InetSocket s : sockets) {
                assertThat(readLine(s)).isEqualTo("late");
                s.close();
            }
        } finally {
            server.destroy();
        }
        report("4 connections to Linux, 4 s of silence each");
        assertThat(activeOpens(0) - before[0]).isEqualTo(2);
        assertThat(activeOpens(1) - before[1]).isEqualTo(2);
    }

    /**
     * Frames each queue read against frames each shard's device took (ARP counts on every shard): where they differ,
     * the steering moved frames the kernel had put on another flow's queue.
     */
    private static void report(String what) {
        String dev = queues.get(0).name();
        System.out.printf("[mq] %s; rx frames by queue %d / %d, by shard %d / %d%n", what,
                queues.get(0).stats().rxFrames(), queues.get(1).stats().rxFrames(),
                shards.shard(0).device(dev).stats().rxPackets(), shards.shard(1).device(dev).stats().rxPackets());
    }

    /** Echoes one line on each of {@code n} accepted connections, one after the other. */
    private static void echoEach(ShardedServerSocket listener, int n) {
        for (int i = 0; i < n; i++) {
            try (InetSocket s = listener.accept()) {
                String line = readLine(s);
                s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return; // the assertions on Linux's side say what went wrong
            }
        }
    }

    /** One line, read a byte at a time so nothing of the next one is taken. */
    private static String readLine(InetSocket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; line.append((char) c)) {
            if (c < 0) return null;
        }
        return line.toString();
    }

    private static long passiveOpens(int shard) { return shards.shard(shard).net().mibs().tcp.get(TcpMib.PassiveOpens); }

    private static long activeOpens(int shard) { return shards.shard(shard).net().mibs().tcp.get(TcpMib.ActiveOpens); }
}
