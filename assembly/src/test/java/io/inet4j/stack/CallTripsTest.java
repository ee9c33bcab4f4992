package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.loop.Clock;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.ThreadEventLoop;
import io.inet4j.loop.TimerWheel;
import io.inet4j.loop.WakeQNode;
import io.inet4j.netdev.InMemoryLink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server's per-connection calls take the stack's state once each, as each is one system call: each trip contends
 * with the stack's receive path, and under load waits for it. Accepting a connection, as {@code accept4} also fills
 * in the peer's address: the new connection's addresses come back with it, so neither the accept nor the accepted
 * socket's address getters make more trips (the addresses read that way are the ones the stack reports, and a
 * closed socket still answers as a closed one does). Closing one without SO_LINGER, as {@code tcp_close} reads the
 * linger flag under the lock it releases with.
 */
@Timeout(60)
class CallTripsTest {
    private final CountingLoop loop = new CountingLoop();
    private final InetStack a;
    private final InetStack b;

    CallTripsTest() {
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        a = InetStack.builder().name("a").seed(1).link(wire[0], TwoStacks.A + "/24").build();
        b = InetStack.builder().name("b").seed(2).loop(loop).link(wire[1], TwoStacks.B + "/24").build();
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
        loop.close();
    }

    @Test
    void anInetServerSocketAcceptsInOneTripAndItsSocketKnowsItsAddresses() throws Exception {
        try (InetServerSocket server = b.serverSocket(7); InetSocket c = a.socket()) {
            // connect returns after our ACK was handed to b: b has the child queued, or the frame queued before
            // any call of ours, so the accept below finds the connection on its first try.
            c.connect(new InetSocketAddress(TwoStacks.B, 7), 2000);
            int clientPort = c.getLocalPort();
            loop.countTripsOf(Thread.currentThread());
            InetSocket s = server.accept();
            int localPort = s.getLocalPort();
            InetAddress localAddress = s.getLocalAddress();
            int peerPort = s.getPort();
            assertThat(loop.trips()).as("trips to b's state by the accepting thread").isEqualTo(1);
            assertThat(localPort).isEqualTo(7);
            assertThat(localAddress).isEqualTo(InetAddress.getByName(TwoStacks.B));
            assertThat(s.getLocalSocketAddress()).isEqualTo(new InetSocketAddress(TwoStacks.B, 7));
            assertThat(peerPort).isEqualTo(clientPort);
            s.close();
            assertThat(s.getLocalPort()).as("closed").isEqualTo(-1);
            assertThat(s.getLocalAddress()).as("closed").isEqualTo(InetAddress.getByName("0.0.0.0"));
        }
    }

    @Test
    void aJavaNetServerSocketAcceptsInOneTrip() throws Exception {
        try (ServerSocket server = b.serverSocketFactory().createServerSocket(7); Socket c = a.socketFactory().createSocket()) {
            c.connect(new InetSocketAddress(TwoStacks.B, 7), 2000);
            int clientPort = c.getLocalPort();
            loop.countTripsOf(Thread.currentThread());
            try (Socket s = server.accept()) {
                assertThat(s.getLocalPort()).isEqualTo(7);
                assertThat(s.getPort()).isEqualTo(clientPort);
                assertThat(loop.trips()).as("trips to b's state by the accepting thread").isEqualTo(1);
            }
        }
    }

    @Test
    void aServerSocketChannelAcceptsInOneTrip() throws Exception {
        try (ServerSocketChannel server = b.selectorProvider().openServerSocketChannel();
             SocketChannel c = a.selectorProvider().openSocketChannel()) {
            server.bind(new InetSocketAddress(7));
            c.connect(new InetSocketAddress(TwoStacks.B, 7));
            SocketAddress client = c.getLocalAddress();
            loop.countTripsOf(Thread.currentThread());
            try (SocketChannel s = server.accept()) {
                assertThat(loop.trips()).as("trips to b's state by the accepting thread").isEqualTo(1);
                assertThat(s.getRemoteAddress()).isEqualTo(client);
            }
        }
    }

    @Test
    void closingWithoutLingerTakesTheStateOnceFromEachBlockingApi() throws Exception {
        try (InetServerSocket inet = b.serverSocket(7);
             ServerSocket javaNet = b.serverSocketFactory().createServerSocket(8);
             ServerSocketChannel nio = b.selectorProvider().openServerSocketChannel();
             Socket c1 = a.socketFactory().createSocket(TwoStacks.B, 7);
             Socket c2 = a.socketFactory().createSocket(TwoStacks.B, 8)) {
            nio.bind(new InetSocketAddress(9));
            try (Socket c3 = a.socketFactory().createSocket(TwoStacks.B, 9)) {
                AutoCloseable[] accepted = {inet.accept(), javaNet.accept(), nio.accept()}; // blocking, all three
                for (AutoCloseable s : accepted) {
                    loop.countTripsOf(Thread.currentThread());
                    s.close();
                    assertThat(loop.trips()).as("trips to b's state closing " + s).isEqualTo(1);
                }
            }
        }
    }

    /**
     * The production loop, counting how often one thread takes the state ({@code tryEnter}) or hands it work
     * ({@code execute}): each is one trip of a socket call to the stack.
     */
    private static final class CountingLoop implements EventLoop, AutoCloseable {
        private final ThreadEventLoop inner = new ThreadEventLoop("b-counted");
        private final AtomicInteger trips = new AtomicInteger();
        private volatile Thread counted;

        void countTripsOf(Thread t) {
            trips.set(0);
            counted = t;
        }

        int trips() { return trips.get(); }

        private void count() {
            if (Thread.currentThread() == counted) trips.incrementAndGet();
        }

        @Override public boolean inEventLoop() { return inner.inEventLoop(); }

        @Override
        public boolean tryEnter() {
            boolean entered = inner.tryEnter();
            if (entered) count();
            return entered;
        }

        @Override public void exit() { inner.exit(); }
        @Override public void wakeLater(WakeQNode w) { inner.wakeLater(w); }
        @Override public void taskFailed(Throwable t) { inner.taskFailed(t); }
        @Override public Clock clock() { return inner.clock(); }
        @Override public TimerWheel timers() { return inner.timers(); }

        @Override
        public void execute(Runnable task) {
            count();
            inner.execute(task);
        }

        @Override public void close() { inner.close(); }
    }
}
