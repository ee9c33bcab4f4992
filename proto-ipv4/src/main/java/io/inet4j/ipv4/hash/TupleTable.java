package io.inet4j.ipv4.hash;

/**
 * An open-addressing hash map from a (long, int) key to an object: the storage under the established hash (key:
 * both addresses and both ports) and the per-destination port index. Linear probing at most half full, and
 * deletion by shifting later entries back (no tombstones), so a lookup is a few array reads and allocates nothing.
 *
 * <p>The hash is keyed with a per-table secret, as {@code inet_ehashfn} mixes {@code inet_ehash_secret} into
 * {@code jhash}: a peer cannot choose 4-tuples that pile into one probe run.
 */
final class TupleTable<V> {
    private final long k0;
    private final long k1;
    private long[] keyA;
    private int[] keyB;
    private Object[] values;
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
    V get(long a, int b) {
        for (int i = hash(a, b) & mask; ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null || keyA[i] == a && keyB[i] == b) return (V) v;
        }
    }

    /** Maps the key to {@code v}; returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long a, int b, V v) {
        int i = hash(a, b) & mask;
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keyA[i] == a && keyB[i] == b) {
                Object old = values[i];
                values[i] = v;
                return (V) old;
            }
        }
        keyA[i] = a;
        keyB[i] = b;
        values[i] = v;
        if (++size > (mask + 1) >>> 1) grow();
        return null;
    }

    /** Removes the key if it maps to {@code expected}; returns whether it did. */
    boolean remove(long a, int b, V expected) {
        int i = hash(a, b) & mask;
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keyA[i] == a && keyB[i] == b) {
                if (values[i] != expected) return false;
                shiftBack(i);
                size--;
                return true;
            }
        }
        return false;
    }

    /** Fills the hole at {@code hole} with the later entries of its probe run that may move there. */
    private void shiftBack(int hole) {
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = hash(keyA[j], keyB[j]) & mask;
            // The entry at j may move back only if the hole lies on its path from home to j.
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keyA[hole] = keyA[j];
                keyB[hole] = keyB[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
    }

    private void allocate(int capacity) {
        keyA = new long[capacity];
        keyB = new int[capacity];
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
            if (oldValues[i] != null) put(oldA[i], oldB[i], (V) oldValues[i]);
        }
    }
}
