package io.inet4j.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.ThreadedStacks;
import io.inet4j.ipv4.testing.TwoStacks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One thread serves 10,000 connections on one selector, stack to stack: stack b's server thread accepts and
 * echoes on a single {@link InetSelector}; stack a's client thread drives 10,000 non-blocking connections on
 * another, each sending its own 8-byte number and checking the echo. Every connection stays open until all have
 * been answered, so the server holds all 10,000 at once. Prints how long it took and the heap in use.
 */
@Timeout(120)
class InetSelectorTenThousandTest {
    private static final int CONNECTIONS = 10_000;
    /** Connects in flight at once, within the listener's backlog, so no SYN waits for a retransmission. */
    private static final int IN_FLIGHT = 512;

    private final ThreadedStacks t = new ThreadedStacks();

    @AfterEach
    void tearDown() { t.close(); }

    @Test
    void oneServerThreadEchoesTenThousandConnectionsOnOneSelector() throws Exception {
        ServerSocketChannel ss = t.b.selectorProvider().openServerSocketChannel();
        ss.bind(new InetSocketAddress(80), 4096);
        ss.configureBlocking(false);
        AtomicInteger peak = new AtomicInteger();
        Selector serverSel = t.b.selectorProvider().openSelector();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> serve(ss, serverSel, peak));
        long start = System.nanoTime();
        BitSet answered = drive();
        long nanos = System.nanoTime() - start;
        assertThat(answered.cardinality()).as("every connection got its own number back").isEqualTo(CONNECTIONS);
        assertThat(server.get(60, TimeUnit.SECONDS)).as("connections the server thread served").isEqualTo(CONNECTIONS);
        assertThat(peak.get()).as("open at once on the server's selector").isEqualTo(CONNECTIONS);
        Runtime rt = Runtime.getRuntime();
        System.out.printf("10,000 connections echoed by one selector thread in %d ms; heap in use %d MB%n",
                nanos / 1_000_000, (rt.totalMemory() - rt.freeMemory()) >> 20);
        serverSel.close();
        ss.close();
    }

    /** The server thread: accept, then echo whatever arrives; ends when all connections were served and closed. */
    private static int serve(ServerSocketChannel ss, Selector sel, AtomicInteger peak) {
        int served = 0, open = 0;
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        try {
            ss.register(sel, SelectionKey.OP_ACCEPT);
            while (served < CONNECTIONS || open > 0) {
                sel.select();
                for (var it = sel.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isAcceptable()) {
                        SocketChannel c;
                        while ((c = ss.accept()) != null) {
                            c.configureBlocking(false);
                            c.register(sel, SelectionKey.OP_READ);
                            peak.accumulateAndGet(++open, Math::max);
                        }
                    } else if (k.isReadable()) {
                        SocketChannel c = (SocketChannel) k.channel();
                        buf.clear();
                        int n = c.read(buf);
                        if (n < 0) {
                            c.close();
                            open--;
                        } else if (n > 0) {
                            buf.flip();
                            c.write(buf); // 8 bytes always fit in an empty send buffer
                            served++;
                        }
                    }
                }
            }
            return served;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** The client thread's work: connect all, send each its number, check the echoes, then close all. */
    private BitSet drive() throws IOException {
        BitSet answered = new BitSet(CONNECTIONS);
        SocketChannel[] chans = new SocketChannel[CONNECTIONS];
        InetSocketAddress server = new InetSocketAddress(TwoStacks.B, 80);
        try (Selector sel = t.a.selectorProvider().openSelector()) {
            int started = 0, connected = 0;
            ByteBuffer buf = ByteBuffer.allocate(8);
            while (answered.cardinality() < CONNECTIONS) {
                while (started < CONNECTIONS && started - connected < IN_FLIGHT) {
                    SocketChannel c = t.a.selectorProvider().openSocketChannel();
                    c.configureBlocking(false);
                    chans[started] = c;
                    c.register(sel, c.connect(server) ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, started);
                    started++;
                }
                sel.select(1000);
                for (var it = sel.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey k = it.next();
                    it.remove();
                    SocketChannel c = (SocketChannel) k.channel();
                    int id = (Integer) k.attachment();
                    if (k.isConnectable()) {
                        c.finishConnect();
                        connected++;
                        k.interestOps(SelectionKey.OP_WRITE);
                    } else if (k.isWritable()) {
                        buf.clear();
                        buf.putLong(id).flip();
                        assertThat(c.write(buf)).isEqualTo(8);
                        k.interestOps(SelectionKey.OP_READ);
                    } else if (k.isReadable()) {
                        buf.clear();
                        int n = c.read(buf);
                        assertThat(n).as("the echo of connection %d arrives in one piece", id).isEqualTo(8);
                        assertThat(buf.flip().getLong()).isEqualTo(id);
                        answered.set(id);
                        k.interestOps(0);
                    }
                }
            }
        }
        for (SocketChannel c : chans) c.close();
        return answered;
    }
}
