package io.inet4j.samples.nc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.SocketFd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two netcats, one listening, relaying at once both ways; each exits once both directions are closed. */
@Timeout(30)
class NetcatTest {
    @Test
    void bothDirectionsAtOnceAndExitWhenBothAreClosed() throws Exception {
        byte[] upload = new byte[2_000_000];
        new SplittableRandom(3).nextBytes(upload);
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ThreadedStacks t = new ThreadedStacks(); InetServerSocket l = t.b.serverSocket(9000)) {
            ByteArrayOutputStream atB = new ByteArrayOutputStream();
            Future<Netcat.Counts> listener = pool.submit(() -> Netcat.relay(l.accept(),
                    new ByteArrayInputStream("hello from b\n".getBytes(StandardCharsets.US_ASCII)), atB));
            InetSocket c = t.a.socket();
            c.connect(TwoStacks.B, 9000, 2000);
            ByteArrayOutputStream atA = new ByteArrayOutputStream();
            Netcat.Counts a = Netcat.relay(c, new ByteArrayInputStream(upload), atA);
            Netcat.Counts b = listener.get(10, TimeUnit.SECONDS);
            assertThat(atA.toString(StandardCharsets.US_ASCII)).isEqualTo("hello from b\n");
            assertThat(atB.toByteArray()).isEqualTo(upload);
            assertThat(a).isEqualTo(new Netcat.Counts(upload.length, 13));
            assertThat(b).isEqualTo(new Netcat.Counts(13, upload.length));
            assertThat(c.isClosed()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theRelayWaitsForTheLocalInputAfterThePeerFinished() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ThreadedStacks t = new ThreadedStacks(); InetServerSocket l = t.b.serverSocket(9000)) {
            Future<InetSocket> accepted = pool.submit(l::accept);
            InetSocket c = t.a.socket();
            c.connect(TwoStacks.B, 9000, 2000);
            InetSocket s = accepted.get(5, TimeUnit.SECONDS);
            s.shutdownOutput(); // the peer has nothing to say but still listens
            PipedOutputStream typing = new PipedOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Future<Netcat.Counts> relay = pool.submit(() -> Netcat.relay(c, new PipedInputStream(typing), out));
            Thread.sleep(100);
            assertThat(relay).isNotDone();
            typing.write("late\n".getBytes(StandardCharsets.US_ASCII));
            typing.close();
            assertThat(relay.get(5, TimeUnit.SECONDS)).isEqualTo(new Netcat.Counts(5, 0));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("late\n");
            s.close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void udpListenerAnswersWhoeverSentLastAndBothEndWhenIdleAfterTheirInput() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ThreadedStacks t = new ThreadedStacks()) {
            SocketFd server = t.b.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_UDP);
            server.bind(new SockAddrIn(0, 9001));
            ByteArrayOutputStream atB = new ByteArrayOutputStream();
            Future<Netcat.Counts> listener = pool.submit(() -> Netcat.udpRelay(server,
                    new ByteArrayInputStream("pong\n".getBytes(StandardCharsets.US_ASCII)), atB, 1_000_000_000L));
            SocketFd client = t.a.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_UDP);
            client.connect(new SockAddrIn(SockAddrIn.parseAddress(TwoStacks.B), 9001));
            ByteArrayOutputStream atA = new ByteArrayOutputStream();
            Netcat.Counts a = Netcat.udpRelay(client,
                    new ByteArrayInputStream("ping\nsecond line\n".getBytes(StandardCharsets.US_ASCII)), atA, 1_000_000_000L);
            Netcat.Counts b = listener.get(10, TimeUnit.SECONDS);
            assertThat(atA.toString(StandardCharsets.US_ASCII)).isEqualTo("pong\n");
            assertThat(atB.toString(StandardCharsets.US_ASCII)).isEqualTo("ping\nsecond line\n");
            assertThat(a).isEqualTo(new Netcat.Counts(17, 5));
            assertThat(b).isEqualTo(new Netcat.Counts(5, 17));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void udpClientEndsWithEconnrefusedWhenNothingListens() throws Exception {
        try (ThreadedStacks t = new ThreadedStacks()) {
            SocketFd client = t.a.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_UDP);
            client.connect(new SockAddrIn(SockAddrIn.parseAddress(TwoStacks.B), 9002));
            PipedOutputStream typing = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(typing);
            typing.write("anyone?\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> Netcat.udpRelay(client, in, new ByteArrayOutputStream(), 1_000_000_000L))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED));
            typing.close();
        }
    }
}
