package io.inet4j.socket;

import io.inet4j.loop.EventLoop;
import io.inet4j.loop.LoopTask;
import io.inet4j.loop.WakeQNode;
import io.inet4j.netdev.BusyPoll;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * How an application thread makes a socket call. When the stack's state is free the call runs right here, in the
 * caller's thread ({@link EventLoop#tryEnter}, the analog of {@code lock_sock} in process context); otherwise it is
 * queued to the stack's loop while the caller waits. When it would block, the caller sleeps on the socket's
 * {@link WaitQueue} and tries again ({@code sk_wait_event}). On the loop itself a call runs directly.
 */
public final class LoopCall extends LoopTask {
    /**
     * How long a caller waits for a busy owner before it queues its call to the loop instead: about what an owner
     * holds the state for one frame or call. Longer spins showed up as the busiest code of a thread-per-connection
     * server on two cores, burning the time the owner needed to finish.
     */
    private static final long ENTER_SPIN_NANOS = 5_000;
    /**
     * How much of a blocking receive's wait it may spend asleep in its device's poll ({@link BusyPoll}) before it
     * parks and leaves the device to the link's reader: long enough for the replies of a request-response exchange,
     * short enough that an idle reader neither holds the device nor wakes for its poll's slices for long.
     */
    private static final long POLL_WAIT_NANOS = 10_000_000;
    /**
     * Each thread's one call object: a caller waits for its call to finish before it makes another, so queuing a
     * call to the loop allocates nothing after a thread's first.
     */
    private static final ThreadLocal<LoopCall> MINE = ThreadLocal.withInitial(LoopCall::new);
    private final Thread waiter = Thread.currentThread();
    /** Unparks the waiter once the owner that ran the call lets go of the state ({@link EventLoop#wakeLater}). */
    private final WakeQNode wakeWaiter = new WakeQNode() {
        @Override protected void wake() { LockSupport.unpark(waiter); }
    };
    /** The loop the call is queued to; null between calls. */
    private EventLoop loop;
    private IntSupplier op;
    private volatile boolean done;
    private int result;
    private RuntimeException failure;

    private LoopCall() {}

    /**
     * Runs the call on the loop. An {@link Error} (direct memory exhausted, a stack overflow) still completes the
     * caller's wait, with {@code -ENOMEM} for an {@link OutOfMemoryError} and {@code -EIO} for any other, and is
     * rethrown so the loop counts and logs it.
     */
    @Override
    public void run() {
        try {
            result = op.getAsInt();
        } catch (RuntimeException e) {
            failure = e;
        } catch (Throwable t) {
            result = errno(t).neg();
            throw t;
        } finally {
            EventLoop l = loop; // read first: once done is set the caller may clear it and move on
            done = true;
            // Its owner runs the call, and often more work after it: woken now, the caller's next call would find
            // the state still held and queue itself again. A caller that ran its own call is awake already (and a
            // return here would swallow the Error rethrown above).
            if (waiter != Thread.currentThread()) {
                if (l != null && l.inEventLoop()) l.wakeLater(wakeWaiter);
                else LockSupport.unpark(waiter);
            }
        }
    }

    /**
     * Takes the state for the caller, spinning up to {@value #ENTER_SPIN_NANOS} ns while another thread holds it:
     * owners keep it for microseconds (a frame, a call), and handing the call to the loop's thread instead costs
     * two thread wake-ups and a queued call object.
     */
    private static boolean enter(EventLoop loop) {
        if (loop.tryEnter()) return true;
        long end = System.nanoTime() + ENTER_SPIN_NANOS;
        do {
            Thread.onSpinWait();
            if (loop.tryEnter()) return true;
        } while (System.nanoTime() - end < 0);
        return false;
    }

    /** Spins until {@code wq} moves past {@code ticket} (true), {@code nanos} pass, or the thread is interrupted. */
    private static boolean spinUntilWoken(WaitQueue wq, long ticket, long nanos) {
        long end = System.nanoTime() + nanos;
        while (wq.ticket() == ticket) {
            if (System.nanoTime() - end >= 0 || Thread.currentThread().isInterrupted()) return false;
            Thread.onSpinWait();
        }
        return true;
    }

    /** The errno a caller gets when its call died of {@code t}: ENOMEM for an out-of-memory, EIO otherwise. */
    public static Errno errno(Throwable t) { return t instanceof OutOfMemoryError ? Errno.ENOMEM : Errno.EIO; }

    /**
     * Runs {@code op} on {@code loop} and returns its result ({@code -ENOMEM} / {@code -EIO} if it died of an
     * Error, see {@link #run}). An interrupt does not cancel it: once queued the call
     * runs, and what it did (bytes taken, a child accepted, a socket created) must reach the caller, as Linux lets
     * copied bytes win over {@code -EINTR}. The interrupt stays set for the caller's next blocking step.
     */
    public static int call(EventLoop loop, IntSupplier op) {
        if (loop.inEventLoop()) return op.getAsInt();
        if (enter(loop)) {
            try {
                return op.getAsInt();
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                // As on the loop: the caller gets an errno, the loop counts and logs the Error.
                loop.taskFailed(t);
                return errno(t).neg();
            } finally {
                loop.exit();
            }
        }
        LoopCall c = MINE.get();
        c.loop = loop;
        c.op = op;
        c.failure = null;
        c.done = false;
        try {
            loop.executeOrRun(c);
            boolean interrupted = false;
            while (!c.done) {
                LockSupport.park(c);
                // park returns at once while the flag is set: clear it to sleep, give it back at the end.
                if (Thread.interrupted()) interrupted = true;
            }
            if (interrupted) Thread.currentThread().interrupt();
            if (c.failure != null) throw c.failure;
            return c.result;
        } finally {
            c.op = null; // nothing of the call stays reachable from the thread
            c.loop = null;
        }
    }

    /**
     * A call that may block: retries {@code op} while it answers {@code -EAGAIN}, sleeping on {@code sock}'s wait
     * queue between tries, until {@code timeoutNanos} (0 = forever) passes, then returns {@code -EAGAIN} (the
     * caller maps it to a timeout). Non-blocking calls return the first answer.
     */
    public static int blocking(EventLoop loop, Socket sock, IntSupplier op, long timeoutNanos, boolean nonBlocking) {
        return blocking(loop, sock, op, timeoutNanos, nonBlocking, false);
    }

    /**
     * {@link #blocking}, and for a receive ({@code busyPoll}) with the socket's SO_BUSY_POLL set: before each sleep
     * the caller spins on the wait queue for up to that many microseconds ({@code sk_busy_loop}), so data that
     * comes meanwhile costs no wake-up of a sleeping thread. A receive whose socket last heard from a device that
     * can be polled ({@link Sock#busyPoll}) sleeps in that device's poll when nobody else polls it.
     */
    public static int blocking(EventLoop loop, Socket sock, IntSupplier op, long timeoutNanos, boolean nonBlocking,
            boolean busyPoll) {
        long deadline = timeoutNanos == 0 ? 0 : System.nanoTime() + timeoutNanos;
        long pollUntil = 0;
        for (;;) {
            long ticket = sock.wq().ticket();
            int r = call(loop, op);
            if (r != Errno.EAGAIN.neg() || nonBlocking) return r;
            if (loop.inEventLoop()) return r;
            long left = deadline == 0 ? 0 : deadline - System.nanoTime();
            if (deadline != 0 && left <= 0) return r;
            Sock sk = sock.sk;
            if (busyPoll && sk != null && sk.llUsec > 0) {
                // READ_ONCE(sk->sk_ll_usec): a racy read of an int the owner may be changing is what Linux does too.
                long spin = sk.llUsec * 1_000L;
                if (spinUntilWoken(sock.wq(), ticket, deadline == 0 ? spin : Math.min(spin, left))) continue;
                // Not woken: sleep for what is left (an interrupt that stopped the spin makes the sleep throw).
                left = deadline == 0 ? 0 : deadline - System.nanoTime();
                if (deadline != 0 && left <= 0) return r;
            }
            // A receive sleeps polling the device its data last came from, when nobody else polls it: the frame
            // it waits for then wakes it, not the link's reader, which would have to wake it in turn. Only for the
            // first part of a wait: one that goes on leaves the device to its reader and parks.
            BusyPoll bp = busyPoll && sk != null ? sk.busyPoll() : null;
            try {
                if (bp != null) {
                    long now = System.nanoTime();
                    if (pollUntil == 0) pollUntil = now + POLL_WAIT_NANOS;
                    long polling = pollUntil - now;
                    if (polling > 0 && bp.tryStartPoll()) {
                        boolean woken;
                        try {
                            woken = sock.wq().awaitPolling(ticket, left == 0 ? polling : Math.min(left, polling), bp);
                        } finally {
                            bp.endPoll();
                        }
                        if (woken) continue;
                        left = deadline == 0 ? 0 : deadline - System.nanoTime();
                        if (deadline != 0 && left <= 0) continue; // the op answers once more, then the timeout
                    }
                }
                // Parking: a device's reader that stepped aside for pollers must serve this sleeper's frames itself
                // (Poll and the NIO selector tell it too when they sleep).
                if (sk != null) sk.net.sleeperWithoutPoll();
                sock.wq().await(ticket, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Errno.EINTR.neg();
            }
        }
    }
}
