package io.inet4j.ipv4.hash;

/**
 * An open-addressing hash map from a (long, int) key to an object: the storage under the established hash (key:
 * both addresses and both ports) and the per-destination port index. Linear probing at most half full, and
 * deletion by shifting later entries back (no tombstones), so a lookup is a few array reads and allocates nothing.
 *
 * <p>The hash is keyed with a per-table secret, as {@code inet_ehashfn} mixes {@code inet_ehash_secret} into
 * {@code jhash}: a peer cannot choose 4-tuples that pile into one probe run.
 *
 * <p>A table made with a {@link Key} keeps no keys of its own: it reads each value's key from the value, as Linux's
 * ehash chains hold only the sockets and {@code inet_match} compares the 4-tuple inside each. Keys in arrays cost
 * 12 bytes a slot, 24-48 bytes an entry at the load this table runs at: for the established hash, a sizeable part
 * of what an idle connection costs.
 */
final class TupleTable<V> {
    /** How a keyless table reads a value's key, which must not change while the value is in the table. */
    interface Key<V> {
        long a(V v);

        int b(V v);
    }

    private final long k0;
    private final long k1;
    /** Where the values' keys come from; null when they are kept in {@link #keyA} and {@link #keyB}. */
    private final Key<V> key;
    private long[] keyA;
    private int[] keyB;
    private Object[] values;
    private int mask;
    private int size;

    /** A table that keeps its keys. */
    TupleTable(long k0, long k1) { this(k0, k1, null); }

    /** A table that reads its keys from its values through {@code key}, or keeps them when it is null. */
    TupleTable(long k0, long k1, Key<V> key) {
        this.k0 = k0;
        this.k1 = k1;
        this.key = key;
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

    /** Maps the key to {@code v} (whose own key it must be, in a keyless table); returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long a, int b, V v) {
        int i = find(a, b);
        Object old = values[i];
        if (old == null) insert(i, a, b, v);
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
        if (old == null) insert(i, a, b, v);
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
    private void insert(int i, long a, int b, V v) {
        if (key == null) {
            keyA[i] = a;
            keyB[i] = b;
        }
        values[i] = v;
        if (++size > (mask + 1) >>> 1) grow();
    }

    /** Whether the occupied slot {@code i} holds key (a, b). */
    private boolean matches(int i, long a, int b) { return keyA(i) == a && keyB(i) == b; }

    @SuppressWarnings("unchecked")
    private long keyA(int i) { return key == null ? keyA[i] : key.a((V) values[i]); }

    @SuppressWarnings("unchecked")
    private int keyB(int i) { return key == null ? keyB[i] : key.b((V) values[i]); }

    /** Fills the hole at {@code hole} with the later entries of its probe run that may move there. */
    private void shiftBack(int hole) {
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = hash(keyA(j), keyB(j)) & mask;
            // The entry at j may move back only if the hole lies on its path from home to j.
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                if (key == null) {
                    keyA[hole] = keyA[j];
                    keyB[hole] = keyB[j];
                }
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
    }

    private void allocate(int capacity) {
        if (key == null) {
            keyA = new long[capacity];
            keyB = new int[capacity];
        }
        values = new Object[capacity];
        mask = capacity - 1;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldA = keyA;
        int[] oldB = keyB;
        Object[] oldValues = values;
        allocate(oldValues.length * 2);
        size = 0;
        for (int i = 0; i < oldValues.length; i++) {
            V v = (V) oldValues[i];
            if (v == null) continue;
            if (key == null) put(oldA[i], oldB[i], v);
            else put(key.a(v), key.b(v), v);
        }
    }
}
