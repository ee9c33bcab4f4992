package io.inet4j.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.SimulatedEventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Net#generic}: per-stack state made once, by whichever side asks first, however many ask at once. */
class NetGenericTest {
    private final Net net = new Net(NetConfig.named("t").withSeed(1), new SimulatedEventLoop(), PacketBufferPool.standard());

    static final class Ports {}

    static final class Table {
        final Ports ports;

        Table(Ports ports) { this.ports = ports; }
    }

    @Test
    void theFirstAskCreatesAndEveryLaterAskGetsTheSameInstance() {
        AtomicInteger made = new AtomicInteger();
        Ports a = net.generic(Ports.class, () -> { made.incrementAndGet(); return new Ports(); });
        Ports b = net.generic(Ports.class, () -> { made.incrementAndGet(); return new Ports(); });
        assertThat(b).isSameAs(a);
        assertThat(made).hasValue(1);
    }

    @Test
    void creatingOneStateMayAskForAnother() {
        Table t = net.generic(Table.class, () -> new Table(net.generic(Ports.class, Ports::new)));
        assertThat(t.ports).isSameAs(net.generic(Ports.class, Ports::new));
    }

    @Test
    void callersRacingForTheSameStateNeverBuildTwins() throws Exception {
        AtomicInteger made = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(net.generic(Ports.class, () -> {
                    made.incrementAndGet();
                    Thread.onSpinWait();
                    return new Ports();
                }));
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) th.join();
        assertThat(made).hasValue(1);
        assertThat(seen).hasSize(8).allMatch(p -> p == seen.get(0));
    }
}
