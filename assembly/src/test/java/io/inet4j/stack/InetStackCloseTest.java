package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.loop.Clock;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.ThreadEventLoop;
import io.inet4j.loop.TimerWheel;
import io.inet4j.netdev.FaultInjectingLink;
import io.inet4j.netdev.FaultSpec;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.socket.Errno;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.Orphans;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockType;
import io.inet4j.tcp.Tcp;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a stack lets connections the application closed finish, as Linux finishes them after a program exits
 * (issue 7, item 22): their data arrives whole even through a lossy link, bounded by the builder's close timeout,
 * after which what the peer never acknowledged is abandoned and reported.
 */
@Timeout(60)
class InetStackCloseTest {
    private static InetStack stack(String name, long seed, InMemoryLink link, String addr, Duration closeTimeout) {
        return InetStack.builder().name(name).seed(seed).closeTimeout(closeTimeout).link(link, addr + "/24").build();
    }

    @Test
    void dataWrittenJustBeforeTheStackClosesArrivesWholeThroughLoss() throws Exception {
        int size = 2 << 20;
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        FaultInjectingLink lossy = new FaultInjectingLink(wire[0], new FaultSpec(0.02, 0, 0, 0, 0, 7));
        InetStack a = InetStack.builder().name("a").seed(1).closeTimeout(Duration.ofSeconds(30)).link(lossy, TwoStacks.A + "/24").build();
        try (InetStack b = stack("b", 2, wire[1], TwoStacks.B, Duration.ZERO);
             InetServerSocket server = b.serverSocket(80)) {
            InetSocket c = a.socket();
            c.connect(TwoStacks.B, 80, 5000);
            InetSocket s = server.accept();
            s.setSoTimeout(10_000); // without the drain the rest never comes: fail, don't hang
            FutureTask<byte[]> received = new FutureTask<>(() -> sha256(s.getInputStream()));
            new Thread(received, "server-reader").start();
            byte[] data = new byte[size];
            new SplittableRandom(3).nextBytes(data);
            c.getOutputStream().write(data);
            c.close();
            a.close();
            assertThat(received.get(40, TimeUnit.SECONDS)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            assertThat(a.abandoned()).isEqualTo(Orphans.NONE);
            assertThat(lossy.counters().lost()).as("the link did lose frames").isPositive();
            s.close();
        } finally {
            a.close();
        }
    }

    @Test
    void aPeerThatNeverAcknowledgesIsAbandonedAfterTheTimeoutAndReported() throws Exception {
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        InetStack a = stack("a", 1, wire[0], TwoStacks.A, Duration.ofSeconds(1));
        try (InetStack b = stack("b", 2, wire[1], TwoStacks.B, Duration.ZERO);
             InetServerSocket server = b.serverSocket(80)) {
            InetSocket c = connectThenCutTheWire(a, b, server);
            c.getOutputStream().write(new byte[20_000]);
            String local = "10.0.0.1:" + c.getLocalPort();
            c.close();
            List<String> warnings = new CopyOnWriteArrayList<>();
            Logger log = Logger.getLogger(InetStack.class.getName());
            Handler capture = new Handler() {
                @Override public void publish(LogRecord r) { warnings.add(r.getMessage()); }
                @Override public void flush() {}
                @Override public void close() {}
            };
            log.addHandler(capture);
            long t0 = System.nanoTime();
            try {
                a.close();
            } finally {
                log.removeHandler(capture);
            }
            assertThat(System.nanoTime() - t0).as("close waited the timeout, no longer").isBetween(900_000_000L, 3_000_000_000L);
            assertThat(a.abandoned().connections()).isEqualTo(1);
            assertThat(a.abandoned().bytes()).isEqualTo(20_000);
            // The warning names each connection it abandons and where it stood, as ss would show it.
            assertThat(warnings).singleElement().asString()
                    .contains("1 connection(s) unfinished: 20000 byte(s) never acknowledged")
                    .contains("\n  tcp FIN_WAIT1 " + local + " -> 10.0.0.2:80: 20000 byte(s) and the FIN unacknowledged, ")
                    .containsPattern("[0-9]+ retransmission\\(s\\), rto [0-9]+ ms");
        } finally {
            a.close();
        }
    }

    @Test
    void aZeroTimeoutAbandonsAtOnce() throws Exception {
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        InetStack a = stack("a", 1, wire[0], TwoStacks.A, Duration.ZERO);
        try (InetStack b = stack("b", 2, wire[1], TwoStacks.B, Duration.ZERO);
             InetServerSocket server = b.serverSocket(80)) {
            InetSocket c = connectThenCutTheWire(a, b, server);
            c.getOutputStream().write(new byte[1000]);
            long t0 = System.nanoTime();
            a.close();
            assertThat(System.nanoTime() - t0).isLessThan(500_000_000L);
            assertThat(a.abandoned()).isEqualTo(new Orphans(1, 1000));
        } finally {
            a.close();
        }
    }

    @Test
    void onASimulatedLoopTheCloseDeliversThroughLoss() throws Exception {
        try (TwoStacks t = new TwoStacks(1500, new FaultSpec(0.15, 0, 0, 0, 0, 11))) {
            int queued = connectSendAndClose(t);
            t.a.close();
            assertThat(t.a.abandoned()).isEqualTo(Orphans.NONE);
            assertThat(receivedOn(t.b)).isEqualTo(queued);
        }
    }

    @Test
    void onASimulatedLoopTheCloseWaitsInVirtualTime() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            int queued = connectSendAndClose(t);
            t.b.device("veth-b").close();
            long v0 = t.loop.clock().nanoTime();
            long r0 = System.nanoTime();
            t.a.close();
            assertThat(t.loop.clock().nanoTime() - v0).as("the default timeout, in virtual time")
                    .isEqualTo(InetStack.Builder.DEFAULT_CLOSE_TIMEOUT.toNanos());
            assertThat(System.nanoTime() - r0).as("real time").isLessThan(2_000_000_000L);
            assertThat(t.a.abandoned()).isEqualTo(new Orphans(1, queued));
        }
    }

    @Test
    void closingAStackWhoseLoopIsGoneStillClosesItsSocketsAndDevices() throws Exception {
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        ThreadEventLoop loop = new ThreadEventLoop("doomed");
        InetStack a = InetStack.builder().name("a").loop(loop).link(wire[0], TwoStacks.A + "/24").build();
        InetSocket c = a.socket();
        loop.close(); // the loop is gone, as after a fatal failure: nothing can run on it any more
        a.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(a.device("veth-a").isUp()).as("devices closed from the caller's thread").isFalse();
        assertThat(a.abandoned()).isEqualTo(Orphans.NONE);
    }

    @Test
    void closingAStackClosesTheSocketsStillOpenWhateverWasClosedBefore() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            InetSocket first = t.a.socket();
            InetSocket middle = t.a.socket();
            InetSocket last = t.a.socket();
            middle.close();
            last.close();
            InetSocket open = t.a.socket();
            t.a.close();
            assertThat(first.isClosed()).isTrue();
            assertThat(open.isClosed()).isTrue();
        }
    }

    @Test
    void callsOnAStackWhoseLoopFailedFailFastWithEio() throws Exception {
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        ThreadEventLoop inner = new ThreadEventLoop("failing");
        Throwable[] failed = new Throwable[1];
        EventLoop loop = new EventLoop() {
            @Override public boolean inEventLoop() { return inner.inEventLoop(); }
            @Override public Clock clock() { return inner.clock(); }
            @Override public TimerWheel timers() { return inner.timers(); }

            @Override
            public void execute(Runnable task) {
                if (failed[0] != null) throw new RejectedExecutionException("event loop failed: " + failed[0], failed[0]);
                inner.execute(task);
            }
        };
        try (InetStack a = InetStack.builder().name("a").loop(loop).closeTimeout(Duration.ZERO)
                .link(wire[0], TwoStacks.A + "/24").build()) {
            InetSocket c = a.socket();
            failed[0] = new StackOverflowError();
            Throwable e = catchThrowable(() -> c.setSoTimeout(100));
            assertThat(SocketErrors.errno(e)).as("not mistaken for our own close (EBADF)").isEqualTo(Errno.EIO);
        } finally {
            inner.close();
        }
    }

    /** Connects a to b on a simulated loop, queues 30 000 bytes without running the loop, closes the socket. */
    /** A connection from a to b's {@code server}, after which b's end of the cable is cut: nothing is acknowledged. */
    private static InetSocket connectThenCutTheWire(InetStack a, InetStack b, InetServerSocket server) throws Exception {
        InetSocket c = a.socket();
        c.connect(TwoStacks.B, 80, 5000);
        server.accept();
        b.call(() -> {
            b.device("veth-b").close();
            return null;
        });
        return c;
    }

    private static int connectSendAndClose(TwoStacks t) throws Exception {
        SocketFd listener = t.b.socket(SockType.SOCK_STREAM, 0);
        listener.bind(new SockAddrIn(SockAddrIn.parseAddress(TwoStacks.B), 80));
        listener.listen(1);
        SocketFd c = t.a.socket(SockType.SOCK_STREAM, 0);
        assertThatThrownBy(() -> c.connect(new SockAddrIn(SockAddrIn.parseAddress(TwoStacks.B), 80)))
                .as("on the loop a connect does not wait").hasMessageContaining("EINPROGRESS");
        assertThat(t.runUntil(30, () -> (c.poll() & PollEvents.POLLOUT) != 0)).as("connected").isTrue();
        int queued = c.sendmsg(new MsgHdr(ByteBuffer.allocate(20_000), null), MsgFlags.MSG_DONTWAIT);
        assertThat(queued).isEqualTo(20_000);
        c.close();
        return queued;
    }

    /** The bytes waiting in {@code stack}'s one not yet accepted connection, read on the loop. */
    private static int receivedOn(InetStack stack) {
        return stack.call(() -> {
            int total = 0;
            for (Sock sk : Tcp.of(stack.inet()).sockets()) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                for (int n; (n = sk.prot.recvmsg(sk, new MsgHdr(buf, null), MsgFlags.MSG_DONTWAIT)) > 0; ) total += n;
            }
            return total;
        });
    }

    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        return md.digest();
    }
}
