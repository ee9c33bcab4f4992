package io.inet4j.ipv4.hash;

/**
 * An open-addressing hash map from a (long, int) key to an entry that carries that key ({@link TupleKey}): the
 * storage under the established hash (key: both addresses and both ports) and the per-destination port index.
 * Linear probing at most half full, and deletion by shifting later entries back (no tombstones), so a lookup is a
 * few array reads and allocates nothing.
 *
 * <p>The hash is keyed with a per-table secret, as {@code inet_ehashfn} mixes {@code inet_ehash_secret} into
 * {@code jhash}: a peer cannot choose 4-tuples that pile into one probe run.
 *
 * <p>It keeps no keys of its own: it reads each entry's, as Linux's ehash chains hold only the sockets and
 * {@code inet_match} compares the 4-tuple inside each. Keys in arrays would cost 12 bytes a slot, 24-48 bytes an
 * entry at the load this table runs at: for the established hash, a sizeable part of what an idle connection costs.
 */
final class TupleTable<V extends TupleKey> {
    private final long k0;
    private final long k1;
    private TupleKey[] values;
    private int mask;
    private int size;

    TupleTable(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
        allocate(64);
    }

    int size() { return size; }

    /** The keyed 32-bit hash of a key; also the flow hash {@code reuseport_select_sock} spreads listeners by. */
    int hash(long a, int b) {
        long h = (a ^ k0) * 0x9E37_79B9_7F4A_7C15L;
        h ^= h >>> 32;
        h += (b ^ k1) * 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 29;
        h *= 0x94D0_49BB_1331_11EBL;
        return (int) (h ^ h >>> 32);
    }

    @SuppressWarnings("unchecked")
    V get(long a, int b) { return (V) values[find(a, b)]; }

    /** Maps the key to {@code v}, whose own key it must be; returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long a, int b, V v) {
        int i = find(a, b);
        Object old = values[i];
        if (old == null) insert(i, v);
        else values[i] = v;
        return (V) old;
    }

    /**
     * Maps the key to {@code v} unless it is mapped already, in one probe run ({@code inet_ehash_insert} looks for
     * the 4-tuple and links the socket in under one bucket lock); returns the value it found, or null when {@code v}
     * went in.
     */
    @SuppressWarnings("unchecked")
    V putIfAbsent(long a, int b, V v) {
        int i = find(a, b);
        Object old = values[i];
        if (old == null) insert(i, v);
        return (V) old;
    }

    /** Removes the key if it maps to {@code expected}; returns whether it did. */
    boolean remove(long a, int b, V expected) {
        int i = find(a, b);
        if (values[i] == null || values[i] != expected) return false;
        shiftBack(i);
        size--;
        return true;
    }

    /**
     * The slot holding key (a, b), or the free slot that ends its probe run: the one loop every operation shares, so
     * the compiler inlines one probe run per call instead of one per operation and outcome.
     */
    private int find(long a, int b) {
        int i = hash(a, b) & mask;
        while (values[i] != null && !matches(i, a, b)) i = (i + 1) & mask;
        return i;
    }

    /** Fills the free slot {@code i} that ends the key's probe run. */
    private void insert(int i, V v) {
        values[i] = v;
        if (++size > (mask + 1) >>> 1) grow();
    }

    /** Whether the occupied slot {@code i} holds key (a, b). */
    private boolean matches(int i, long a, int b) {
        TupleKey e = values[i];
        return e.hashAddrs() == a && e.hashPorts() == b;
    }

    /** Fills the hole at {@code hole} with the later entries of its probe run that may move there. */
    private void shiftBack(int hole) {
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            TupleKey e = values[j];
            int home = hash(e.hashAddrs(), e.hashPorts()) & mask;
            // The entry at j may move back only if the hole lies on its path from home to j.
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                values[hole] = e;
                hole = j;
            }
        }
        values[hole] = null;
    }

    private void allocate(int capacity) {
        values = new TupleKey[capacity];
        mask = capacity - 1;
    }

    private void grow() {
        TupleKey[] old = values;
        allocate(old.length * 2);
        for (TupleKey e : old) {
            if (e != null) values[find(e.hashAddrs(), e.hashPorts())] = e;
        }
    }
}
