package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.loop.ThreadEventLoop;
import io.inet4j.net.Net;
import io.inet4j.net.NetConfig;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * Pins when a sleeping {@link Poll#poll} is woken: a change made by the owner of the stack's state signals the
 * poller only once the owner lets go (its scan would otherwise find the state held), one made elsewhere at once;
 * and a poll that sleeps tells the stack's polled devices, as a blocking call does.
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
    void aPollThatSleepsTellsTheStacksPolledDevicesSoTheirReadersServeIt() {
        // As a blocking call does: a TAP reader that stepped aside for polling callers must not leave the frames this
        // poll waits for to its next look.
        Net net = new Net(NetConfig.named("t").withSeed(1), new SimulatedEventLoop(), PacketBufferPool.standard());
        LoopCallTest.IdleDevice device = new LoopCallTest.IdleDevice();
        net.addDevice(device);
        Socket sock = new Socket(SockType.SOCK_STREAM);
        sock.sk = new SockOptionsTest.TestSock(net);
        // Never ready: the poll sleeps until its timeout.
        sock.ops = (ProtoOps) Proxy.newProxyInstance(ProtoOps.class.getClassLoader(), new Class<?>[] {ProtoOps.class},
                (proxy, method, args) -> 0);
        try (ThreadEventLoop loop = new ThreadEventLoop("poll-loop")) {
            int ready = Poll.poll(loop, new Socket[] {sock}, new int[] {PollEvents.POLLIN}, new int[1], 5_000_000);

            assertThat(ready).isZero();
            assertThat(device.sleepersWithoutPoll.get()).isPositive();
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
