package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.loop.ThreadEventLoop;
import org.junit.jupiter.api.Test;

/**
 * Pins when a sleeping {@link Poll#poll} is woken: a change made by the owner of the stack's state signals the
 * poller only once the owner lets go (its scan would otherwise find the state held), one made elsewhere at once.
 */
class PollTest {
    @Test
    void aPollerWokenByTheStatesOwnerIsSignalledOnceItLetsGo() {
        try (ThreadEventLoop loop = new ThreadEventLoop("poll-loop")) {
            Poll.Poller poller = new Poll.Poller(loop);
            long ticket = poller.ticket();
            while (!loop.tryEnter()) Thread.onSpinWait();
            long whileOwned;
            try {
                poller.wake();
                whileOwned = poller.ticket();
            } finally {
                loop.exit();
            }
            assertThat(whileOwned).as("not signalled while the state is held").isEqualTo(ticket);
            assertThat(poller.ticket()).as("signalled as the owner let go").isNotEqualTo(ticket);
        }
    }

    @Test
    void aPollerWokenByAThreadThatDoesNotOwnTheStateIsSignalledAtOnce() {
        try (ThreadEventLoop loop = new ThreadEventLoop("poll-loop")) {
            Poll.Poller poller = new Poll.Poller(loop);
            long ticket = poller.ticket();
            poller.wake();
            assertThat(poller.ticket()).isNotEqualTo(ticket);
        }
    }
}
