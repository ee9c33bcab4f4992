package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The hand-off between the loop waking a socket and an application thread going to sleep on it. */
class WaitQueueTest {
    @Test
    void aWakeUpAfterTheTicketIsNeverLost() throws Exception {
        WaitQueue wq = new WaitQueue();
        int rounds = 20_000;
        AtomicInteger ready = new AtomicInteger();
        // The waker plays the loop: it wakes once the sleeper has taken its ticket, racing the sleeper's await.
        Thread waker = new Thread(() -> {
            for (int i = 1; i <= rounds; i++) {
                while (ready.get() < i) Thread.onSpinWait();
                wq.wakeUp();
            }
        });
        waker.start();
        int missed = 0;
        for (int i = 1; i <= rounds; i++) {
            long ticket = wq.ticket();
            ready.set(i);
            if (!wq.await(ticket, TimeUnit.SECONDS.toNanos(1))) missed++;
        }
        waker.join();
        assertThat(missed).isZero();
    }

    @Test
    void awaitTimesOutWithoutAWakeUp() throws Exception {
        WaitQueue wq = new WaitQueue();
        long start = System.nanoTime();
        assertThat(wq.await(wq.ticket(), 20, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void aWakeUpBeforeAwaitReturnsAtOnce() throws Exception {
        WaitQueue wq = new WaitQueue();
        long ticket = wq.ticket();
        wq.wakeUp();
        assertThat(wq.await(ticket, 0)).isTrue();
    }
}
