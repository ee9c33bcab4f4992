package io.inet4j.ipv4.neigh;

/**
 * Counters of the ARP table, named after the columns of {@code /proc/net/stat/arp_cache}
 * ({@code struct neigh_statistics}); the entry count is {@link NeighTable#size()}.
 */
public enum NeighStat {
    /** Entries created. */
    allocs,
    /** Entries removed (garbage collection, {@code ip neigh del}). */
    destroys,
    /** Times the hash table doubled. */
    hash_grows,
    /** Table lookups: every packet sent, every ARP sender looked up, every confirmation. */
    lookups,
    /** Lookups that found an entry. */
    hits,
    /** Resolutions that ended in FAILED. */
    res_failed,
    /**
     * ARP requests for a local address received as broadcast. Linux counts these only for IPv6 (neighbour
     * solicitations); inet4j counts ARP requests the same way.
     */
    rcv_probes_mcast,
    /** ARP requests for a local address received as unicast (see {@link #rcv_probes_mcast}). */
    rcv_probes_ucast,
    /** Runs of the periodic garbage collector. */
    periodic_gc_runs,
    /** Runs of the garbage collector forced by a full table. */
    forced_gc_runs,
    /**
     * Packets dropped while waiting for resolution: the oldest ones when the queue exceeds
     * {@code unres_qlen_bytes} (as Linux), and, unlike Linux, also every packet dropped when the resolution
     * fails or the entry is deleted.
     */
    unresolved_discards,
    /** New entries refused because the table was full even after a forced garbage collection. */
    table_fulls,
    /**
     * inet4j only, Linux has no such counter: ARP frames dropped as malformed (shorter than 28 bytes, or not
     * Ethernet/IPv4 with 6- and 4-byte addresses, or neither request nor reply).
     */
    rcv_malformed
}
