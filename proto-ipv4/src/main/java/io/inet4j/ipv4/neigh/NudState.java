package io.inet4j.ipv4.neigh;

/**
 * The Neighbour Unreachability Detection state of a {@link Neighbour} ({@code NUD_*} of
 * {@code include/uapi/linux/neighbour.h}), with the kernel's state groups ({@code NUD_IN_TIMER},
 * {@code NUD_VALID}, {@code NUD_CONNECTED}) as predicates.
 */
public enum NudState {
    /** Just created; nothing known yet. */
    NONE(false, false, false),
    /** Resolution under way: requests are broadcast and packets wait in the entry's queue. */
    INCOMPLETE(true, false, false),
    /** Confirmed recently: packets go out at once. */
    REACHABLE(true, true, true),
    /** Address known but not confirmed lately; the next packet sent starts verification. */
    STALE(false, true, false),
    /** Used while stale: packets go out, and an upper-layer confirmation is awaited before probing. */
    DELAY(true, true, false),
    /** Unicast probes go to the known address; packets still go out meanwhile. */
    PROBE(true, true, false),
    /** Resolution failed; the next packet starts it again. */
    FAILED(false, false, false),
    /**
     * No resolution needed. Linux gives broadcast and multicast next hops such entries; inet4j maps those
     * addresses without entries, so none is in this state. Listed so states print and parse as {@code ip neigh}'s.
     */
    NOARP(false, true, true),
    /** Set by the administrator ({@code ip neigh add ... permanent}): never expires, never collected. */
    PERMANENT(false, true, true);

    private final boolean inTimer;
    private final boolean valid;
    private final boolean connected;

    NudState(boolean inTimer, boolean valid, boolean connected) {
        this.inTimer = inTimer;
        this.valid = valid;
        this.connected = connected;
    }

    /** NUD_IN_TIMER: the entry's timer drives this state. */
    public boolean inTimer() { return inTimer; }

    /** NUD_VALID: the entry has a link-layer address that may be used. */
    public boolean valid() { return valid; }

    /** NUD_CONNECTED: the address may be used without verification. */
    public boolean connected() { return connected; }
}
