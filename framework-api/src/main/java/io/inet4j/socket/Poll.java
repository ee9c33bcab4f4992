package io.inet4j.socket;

import io.inet4j.loop.EventLoop;

/**
 * {@code poll(2)} over inet4j sockets ({@code do_sys_poll} / {@code do_pollfd} in {@code fs/select.c}): reports
 * which sockets are ready for the requested {@link PollEvents}, sleeping until one is or the timeout passes.
 * {@code POLLERR} and {@code POLLHUP} are always reported, as in Linux. While it sleeps the caller is registered
 * on every socket's {@link WaitQueue}, like a poll table entry, so any change on any of them wakes it.
 */
public final class Poll {
    private Poll() {}

    /**
     * Fills {@code revents[i]} for {@code socks[i]} and returns how many are ready; 0 on timeout. A timeout of 0
     * checks once; a negative one waits forever. {@code -EINTR} if the thread is interrupted.
     */
    public static int poll(EventLoop loop, Socket[] socks, int[] events, int[] revents, long timeoutNanos) {
        Poller poller = new Poller(loop);
        boolean registered = false;
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        try {
            for (;;) {
                long ticket = poller.ticket();
                int ready = LoopCall.call(loop, () -> scan(socks, events, revents));
                if (ready != 0 || timeoutNanos == 0 || loop.inEventLoop()) return ready;
                if (!registered) {
                    for (Socket s : socks) s.wq().add(poller);
                    registered = true;
                    continue; // a change between the scan and the registration must not be missed
                }
                long left = deadline == 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) return 0;
                sleepingWithoutPoll(socks);
                if (!poller.await(ticket, left)) return Errno.EINTR.neg();
            }
        } finally {
            if (registered) for (Socket s : socks) s.wq().remove(poller);
        }
    }

    /** A poll sleeps without polling a device: the stack of its sockets tells its devices ({@link io.inet4j.net.Net#sleeperWithoutPoll}). */
    private static void sleepingWithoutPoll(Socket[] socks) {
        for (Socket s : socks) {
            Sock sk = s.sk;
            if (sk != null) {
                sk.net.sleeperWithoutPoll(); // one loop, so one stack, for every socket of a poll
                return;
            }
        }
    }

    private static int scan(Socket[] socks, int[] events, int[] revents) {
        int ready = 0;
        for (int i = 0; i < socks.length; i++) {
            Socket s = socks[i];
            int mask = s.sk == null ? PollEvents.POLLHUP : s.ops.poll(s);
            revents[i] = mask & (events[i] | PollEvents.POLLERR | PollEvents.POLLHUP);
            if (revents[i] != 0) ready++;
        }
        return ready;
    }

    /** One sleeping poll() call. */
    static final class Poller implements WaitQueue.Entry {
        private final Signal signal = new Signal();
        private final EventLoop loop;

        Poller(EventLoop loop) { this.loop = loop; }

        long ticket() { return signal.ticket(); }

        /**
         * {@code pollwake}: from the owner of the state, once it lets go ({@link EventLoop#wakeLater}), so the woken
         * poll's scan finds the state free; the change itself is already visible to a scan.
         */
        @Override
        public void wake() {
            if (loop.inEventLoop()) loop.wakeLater(signal);
            else signal.signal();
        }

        /** False when interrupted; true on a signal after {@code ticket} or when {@code nanos} ran out. */
        boolean await(long ticket, long nanos) {
            try {
                signal.await(ticket, nanos);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
