package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FdRefsTest {
    @Test
    void closesOnlyOnceTheLastReferenceIsBackAndRefusesNewOnes() throws Exception {
        FdRefs refs = new FdRefs();
        assertThat(refs.get()).isTrue();
        assertThat(refs.get()).isTrue(); // re-entrant: a poller that writes a kick holds two
        refs.put();
        AtomicInteger closed = new AtomicInteger();
        CountDownLatch closing = new CountDownLatch(1);
        CompletableFuture<Boolean> closer = CompletableFuture.supplyAsync(() -> {
            closing.countDown();
            return refs.closeWhenIdle(closed::incrementAndGet);
        });
        closing.await();
        // The closer waits for the reference still held; meanwhile nobody new gets one.
        while (refs.open()) Thread.onSpinWait();
        assertThat(refs.get()).isFalse();
        assertThat(closed).hasValue(0);
        refs.put();
        assertThat(closer.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(closed).hasValue(1);
        assertThat(refs.closeWhenIdle(closed::incrementAndGet)).isFalse();
        assertThat(closed).hasValue(1);
    }
}
