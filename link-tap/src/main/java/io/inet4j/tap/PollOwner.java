package io.inet4j.tap;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who reads a TAP's descriptor now: the link's reader thread, a thread waiting for its socket ({@link TapLink}'s
 * {@link io.inet4j.netdev.BusyPoll}), or nobody. Exactly one reads at a time, so frames go up in the order the
 * kernel queued them and {@link TapReceiver} stays single-threaded: Linux's {@code NAPI_STATE_SCHED}, which either
 * the softirq's poll or a busy poller holds.
 *
 * <p>A caller finding it free takes it, polls while it sleeps and gives it back when its socket is ready. A caller
 * finding the reader on it asks ({@link #ASKED}) and waits a moment: the reader hands it over directly, so no
 * frame for that caller waits on a reader that already stepped aside. The reader, once it gave the descriptor up,
 * looks every deferral ({@code gro_flush_timeout}) and takes it back for good when no caller took it since its last
 * look, or when a caller left while another was turned away and sleeps without polling; while one caller holds it
 * throughout, the reader dozes until that caller leaves and kicks it. Both sides write their flag before reading
 * the other's, so one of them always sees the other.
 *
 * <p>Polling pays when the frame a caller waits for is likely its own: with one thread waiting (a request and its
 * reply) it saves the reader's wake-up of that thread. With several waiting at once (a server's many connections)
 * only one of them polls, most frames are someone else's, and every frame that comes while no caller happens to be
 * polling waits for the deferring reader's next look. So once a caller is turned away by another, callers leave
 * the descriptor with the reader for {@link #CONTENDED_NANOS} instead of asking for it: the reader serves them all
 * at once, as it does with polling off.
 */
class PollOwner {
    static final int FREE = 0;
    static final int READER = 1;
    /** The reader holds it and a caller waits for it to hand over. */
    static final int ASKED = 2;
    static final int CALLER = 3;

    /** What {@link #tryCaller} answers: the caller polls; it must ask the reader; it sleeps without polling. */
    static final int TAKEN = 0;
    static final int ASK = 1;
    static final int REFUSED = 2;
    /**
     * How long after a caller was turned away by another the callers do not ask the reader for the descriptor:
     * long against a connection's life, so a busy server stays with its reader, short enough that a single waiter
     * polls again soon after the crowd has gone.
     */
    static final long CONTENDED_NANOS = 20_000_000;

    private final AtomicInteger state = new AtomicInteger(READER);
    /** Callers that got the descriptor, ever; the reader stays away while it moves. Written by the one holding it. */
    private volatile long takes;
    /** A caller was turned away by another caller and sleeps without polling: the reader must serve it. */
    private volatile boolean contended;
    /** The reader sleeps until kicked rather than for its short deferral, so a caller leaving must kick it. */
    private volatile boolean readerDozing;
    /** When a caller was last turned away by another ({@code System.nanoTime}); 0: never. */
    private volatile long contendedAt;

    int state() { return state.get(); }

    /**
     * One compare-and-set of the state: every transition goes through here, so a test can play another thread's
     * move between two of ours, where a preemption would put it.
     */
    boolean cas(int expect, int update) { return state.compareAndSet(expect, update); }

    long takes() { return takes; }

    /**
     * A caller about to sleep, at {@code now} ({@code System.nanoTime}): {@link #TAKEN} when the descriptor is now
     * its to poll; {@link #ASK} when the reader holds it and this caller is the one to ask (it kicks the reader and
     * waits for {@link #askAnswered}); {@link #REFUSED} when another caller has it or asks for it, or when the reader
     * holds it within {@link #CONTENDED_NANOS} of callers competing, and this one sleeps without polling.
     */
    int tryCaller(long now) {
        for (;;) {
            int s = state.get();
            if (s == FREE) {
                if (!cas(FREE, CALLER)) continue;
                takes++;
                return TAKEN;
            }
            if (s == READER) {
                long at = contendedAt;
                if (at != 0 && now - at < CONTENDED_NANOS) return REFUSED; // the reader reads for it already
                if (cas(READER, ASKED)) return ASK;
                continue;
            }
            contended = true;
            contendedAt = now;
            return REFUSED;
        }
    }

    /**
     * The asking caller, after waiting: true when the reader handed it the descriptor; false when it withdrew the
     * request (it sleeps without polling, and the reader, still holding the descriptor, serves it).
     */
    boolean askAnswered() {
        if (cas(ASKED, READER)) return false;
        if (state.get() != CALLER) throw new IllegalStateException("asked, but the descriptor is " + state.get());
        return true;
    }

    /** The caller gives the descriptor back; true when the reader must be kicked to take it over now. */
    boolean releaseCaller() {
        if (!cas(CALLER, FREE)) throw new IllegalStateException("released by a thread that does not poll");
        return readerDozing || contended;
    }

    /** The reader takes the descriptor when nobody holds it. */
    boolean tryReader() { return cas(FREE, READER); }

    /**
     * The reader, holding the descriptor: when a caller asked, hands it over (true; the reader then kicks that
     * caller and defers), else keeps it.
     */
    boolean handOff() {
        if (!cas(ASKED, CALLER)) return false;
        takes++;
        return true;
    }

    /**
     * The reader lets go after a look during its deferral; true when it handed the descriptor to an asking caller.
     * A caller may withdraw its request between the reader's two tries, handing the descriptor back: then the
     * reader tries again, and lets go.
     */
    boolean releaseReader() {
        for (;;) {
            if (cas(READER, FREE)) return false;
            if (handOff()) return true;
            if (state.get() != READER) throw new IllegalStateException("the reader does not hold the descriptor");
        }
    }

    /**
     * A thread sleeps for its socket without polling (turned away, or its socket has no device to poll): the reader
     * must serve it. True when this is news, so the one telling kicks the reader once, not at every sleep.
     */
    boolean sleeperWithoutPoll() {
        if (contended) return false;
        contended = true;
        return true;
    }

    /** The reader, at a look: true when a caller was turned away since the last, so the reader must keep reading. */
    boolean takeContended() {
        if (!contended) return false;
        contended = false;
        return true;
    }

    /**
     * The reader is about to sleep until kicked because a caller has held the descriptor since its last look: true
     * when it may (the caller still holds it; a caller that leaves from now on kicks), false when the descriptor
     * came free meanwhile and the reader should look again at once.
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
