package io.inet4j.testkit.packetdrill;

import java.util.HashMap;
import java.util.Map;

/**
 * One connection's TCP timestamp bookkeeping between script and live values, packetdrill's {@code ts_val_map} and
 * {@code first_script_ts_val}/{@code first_actual_ts_val} of {@code struct socket} (run_packet.c). The stack's TS
 * clock starts at a random offset, so a script cannot know its TS vals: every outbound TS val the script wrote is
 * remembered against the live one the stack sent, and an inbound {@code ecr} written as a script TS val is sent as
 * that live value. The peer's TS vals are the script's own, injected as written, so they need no mapping.
 */
final class TsMapping {
    private static final long MASK = 0xffff_ffffL;
    private final Map<Long, Long> scriptToLive = new HashMap<>();
    private boolean found;
    private long firstScript;
    private long firstLive;

    /** A new connection (its SYN or SYN-ACK): a new random offset, so nothing learned so far holds. */
    void reset() {
        scriptToLive.clear();
        found = false;
    }

    /**
     * An outbound packet carried live TS val {@code live} where the script wrote {@code script}: remembers the
     * pair ({@code set_outbound_ts_val_mapping}) and returns the live value in script space, the first pair's
     * script value plus the ticks since it.
     */
    long outbound(long script, long live) {
        scriptToLive.put(script, live);
        if (!found) {
            found = true;
            firstScript = script;
            firstLive = live;
        }
        return (firstScript + live - firstLive) & MASK;
    }

    /**
     * The live value for an inbound {@code ecr} the script wrote: the live TS val of the outbound packet whose
     * script TS val it names, or with {@code scaled} ({@code --tcp_ts_ecr_scaled}) interpolated from the first
     * pair; -1 when neither applies (packetdrill: "unable to infer live TS ecr").
     */
    long inboundEcr(long script, boolean scaled) {
        Long live = scriptToLive.get(script);
        if (live != null) return live;
        if (scaled && found) return (script - firstScript + firstLive) & MASK;
        return -1;
    }
}
