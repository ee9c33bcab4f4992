package io.inet4j.tap;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who reads a TAP's descriptor now: the link's reader thread, a thread waiting for its socket ({@link TapLink}'s
 * {@link io.inet4j.netdev.BusyPoll}), or nobody. Exactly one reads at a time, so frames go up in the order the
 * kernel queued them and {@link TapReceiver} stays single-threaded: Linux's {@code NAPI_STATE_SCHED}, which either
 * the softirq's poll or a busy poller holds. Holding it is a right to read, not a promise to: a caller that takes
 * it polls while it sleeps and gives it back when its socket is ready; the reader takes it back whenever nobody
 * holds it and no caller took it since its last look (its {@code gro_flush_timeout}), so no frame waits for long.
 *
 * <p>The reader learns of a caller by {@link #takes} moving, and a caller learns that the reader wants a kick
 * (it dozes, not timed) from {@link #releaseCaller}: both sides write their flag before reading the other's, so
 * one of them always sees the other.
 */
final class PollOwner {
    static final int FREE = 0;
    static final int READER = 1;
    static final int CALLER = 2;

    /** What {@link #tryCaller} answers: the caller polls; somebody else polls; the reader must be asked to yield. */
    static final int TAKEN = 0;
    static final int BUSY = 1;
    static final int KICK_READER = 2;

    private final AtomicInteger state = new AtomicInteger(READER);
    /** Callers that took the descriptor, ever; the reader stays away while it moves. */
    private volatile long takes;
    /** A caller wants the reader to give the descriptor up; the reader yields when it sees it. */
    private volatile boolean yieldWanted;
    /** The reader sleeps until kicked rather than for its short deferral, so a caller leaving must kick it. */
    private volatile boolean readerDozing;

    int state() { return state.get(); }

    long takes() { return takes; }

    /**
     * A caller about to sleep: {@link #TAKEN} when the descriptor is now its to poll; {@link #KICK_READER} when the
     * reader holds it and this caller is the first to ask it to yield (it kicks the reader, then sleeps as usual);
     * {@link #BUSY} otherwise.
     */
    int tryCaller() {
        int s = state.get();
        if (s == FREE && state.compareAndSet(FREE, CALLER)) {
            takes++; // the owner's write: only the holder of the descriptor moves it
            return TAKEN;
        }
        if (s == READER && !yieldWanted) {
            yieldWanted = true;
            // The reader may have let go meanwhile; it clears the wish when it takes the descriptor back.
            return state.get() == READER ? KICK_READER : BUSY;
        }
        return BUSY;
    }

    /** The caller gives the descriptor back; true when the reader dozes and must be kicked to take it over. */
    boolean releaseCaller() {
        if (!state.compareAndSet(CALLER, FREE)) throw new IllegalStateException("released by a thread that does not poll");
        return readerDozing;
    }

    /** The reader takes the descriptor when nobody holds it. */
    boolean tryReader() {
        if (!state.compareAndSet(FREE, READER)) return false;
        // A wish left by a caller that found the descriptor free after all: the next caller asks again.
        yieldWanted = false;
        return true;
    }

    /** The reader, holding the descriptor: true when a caller asked it to yield, and then it no longer holds it. */
    boolean readerYields() {
        if (!yieldWanted) return false;
        yieldWanted = false;
        if (!state.compareAndSet(READER, FREE)) throw new IllegalStateException("the reader does not hold the descriptor");
        return true;
    }

    /** The reader gives the descriptor back after a look during its deferral. */
    void releaseReader() {
        if (!state.compareAndSet(READER, FREE)) throw new IllegalStateException("the reader does not hold the descriptor");
    }

    /**
     * The reader is about to sleep until kicked because a caller has held the descriptor since its last look: true
     * when it may (the caller still holds it; a caller that leaves from now on kicks), false when the descriptor
     * came free meanwhile and the reader should take it instead.
     */
    boolean readerDozes() {
        readerDozing = true;
        if (state.get() == CALLER) return true;
        readerDozing = false;
        return false;
    }

    /** The reader woke from a doze. */
    void readerAwake() { readerDozing = false; }
}
