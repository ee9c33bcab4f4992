package io.inet4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins {@link MpmcRing}: FIFO order, capacity rounded up to a power of two, full and empty answers, reuse of its
 * slots across many wraps, and that under concurrent producers and consumers every element arrives exactly once
 * and each producer's elements in the order it offered them.
 */
class MpmcRingTest {
    @Test
    void pollReturnsElementsInOfferOrder() {
        MpmcRing<Integer> ring = new MpmcRing<>(8);
        for (int i = 0; i < 5; i++) assertThat(ring.offer(i)).isTrue();
        for (int i = 0; i < 5; i++) assertThat(ring.poll()).isEqualTo(i);
        assertThat(ring.poll()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1, 2", "2, 2", "3, 4", "4, 4", "5, 8", "1000, 1024", "1024, 1024", "1025, 2048"})
    void capacityIsTheNextPowerOfTwo(int asked, int expected) {
        MpmcRing<Object> ring = new MpmcRing<>(asked);
        assertThat(ring.capacity()).isEqualTo(expected);
        for (int i = 0; i < expected; i++) assertThat(ring.offer(i)).isTrue();
        assertThat(ring.offer(-1)).as("full at its capacity").isFalse();
    }

    @Test
    void fullRefusesAndEmptyAnswersNull() {
        MpmcRing<String> ring = new MpmcRing<>(4);
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.poll()).isNull();
        for (String s : List.of("a", "b", "c", "d")) assertThat(ring.offer(s)).isTrue();
        assertThat(ring.isEmpty()).isFalse();
        assertThat(ring.offer("e")).isFalse();
        assertThat(ring.poll()).isEqualTo("a");
        assertThat(ring.offer("e")).as("one slot freed").isTrue();
        assertThat(ring.offer("f")).isFalse();
        for (String s : List.of("b", "c", "d", "e")) assertThat(ring.poll()).isEqualTo(s);
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.poll()).isNull();
    }

    @Test
    void slotsAreReusedAcrossManyWraps() {
        MpmcRing<Integer> ring = new MpmcRing<>(4);
        int next = 0;
        int expect = 0;
        for (int round = 0; round < 10_000; round++) {
            int n = 1 + round % 4;
            for (int i = 0; i < n; i++) assertThat(ring.offer(next++)).isTrue();
            for (int i = 0; i < n; i++) assertThat(ring.poll()).isEqualTo(expect++);
        }
        assertThat(ring.isEmpty()).isTrue();
    }

    /** Two producers and two consumers through a small ring: each element once, per-producer order kept. */
    @Test
    @Timeout(30)
    void concurrentProducersAndConsumersDeliverEveryElementExactlyOnce() throws Exception {
        int producers = 2;
        int consumers = 2;
        int perProducer = 150_000;
        int total = producers * perProducer;
        MpmcRing<Integer> ring = new MpmcRing<>(64);
        AtomicIntegerArray seen = new AtomicIntegerArray(total);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        int[] consumed = new int[consumers];
        List<Thread> threads = new ArrayList<>();

        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            threads.add(thread("producer-" + p, failure, () -> {
                start.await();
                for (int i = 0; i < perProducer; i++) {
                    Integer e = base + i;
                    while (!ring.offer(e)) {
                        if (failure.get() != null) return;
                        Thread.yield();
                    }
                }
            }));
        }
        // Elements are numbered producer * perProducer + i, so a consumer can check per-producer order.
        AtomicInteger remaining = new AtomicInteger(total);
        for (int c = 0; c < consumers; c++) {
            int me = c;
            threads.add(thread("consumer-" + c, failure, () -> {
                int[] last = new int[producers];
                Arrays.fill(last, -1);
                start.await();
                while (remaining.get() > 0 && failure.get() == null) {
                    Integer e = ring.poll();
                    if (e == null) {
                        Thread.yield();
                        continue;
                    }
                    remaining.decrementAndGet();
                    consumed[me]++;
                    if (seen.getAndIncrement(e) != 0) throw new AssertionError("delivered twice: " + e);
                    int p = e / perProducer;
                    if (e <= last[p]) throw new AssertionError("producer " + p + " out of order: " + e + " after " + last[p]);
                    last[p] = e;
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(25));
            assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
        }
        assertThat(failure.get()).isNull();
        for (int i = 0; i < total; i++) {
            if (seen.get(i) != 1) throw new AssertionError("element " + i + " arrived " + seen.get(i) + " times");
        }
        assertThat(Arrays.stream(consumed).sum()).isEqualTo(total);
        assertThat(ring.isEmpty()).isTrue();
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread thread(String name, AtomicReference<Throwable> failure, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.setDaemon(true);
        return t;
    }
}
