package io.inet4j.ipv4.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-addressing table under the established hash, against a HashMap model. */
class TupleTableTest {
    private record Key(long a, int b) {}

    /** A value that carries its key, as a socket carries its 4-tuple; compared by identity. */
    private static final class Entry {
        final Key key;

        Entry(Key key) { this.key = key; }
    }

    private static final TupleTable.Key<Object> ENTRY_KEY = new TupleTable.Key<>() {
        @Override public long a(Object v) { return ((Entry) v).key.a(); }

        @Override public int b(Object v) { return ((Entry) v).key.b(); }
    };

    @Test
    void agreesWithAMapThroughGrowthAndBackwardShiftDeletes() {
        agreesWithAMap(false);
    }

    @Test
    void aTableThatReadsKeysFromItsValuesAgreesWithAMapToo() {
        agreesWithAMap(true);
    }

    private static void agreesWithAMap(boolean keyless) {
        Random random = new Random(7);
        TupleTable<Object> table = new TupleTable<>(random.nextLong(), random.nextLong(), keyless ? ENTRY_KEY : null);
        Map<Key, Object> model = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        // Few distinct address words and ports, so probe runs collide and deletes shift entries back.
        for (int step = 0; step < 200_000; step++) {
            Key k = random.nextInt(3) == 0 && !keys.isEmpty() ? keys.get(random.nextInt(keys.size()))
                    : new Key(random.nextInt(40), random.nextInt(2000));
            int op = random.nextInt(5);
            if (op < 2) {
                Object v = new Entry(k);
                assertThat(table.put(k.a(), k.b(), v)).isSameAs(model.put(k, v));
                keys.add(k);
            } else if (op == 2) {
                Object v = new Entry(k);
                assertThat(table.putIfAbsent(k.a(), k.b(), v)).isSameAs(model.putIfAbsent(k, v));
                keys.add(k);
            } else {
                Object expected = model.get(k);
                assertThat(table.remove(k.a(), k.b(), expected == null ? new Entry(k) : expected)).isEqualTo(expected != null);
                model.remove(k);
            }
            if (step % 1000 == 0) {
                for (Key key : keys) assertThat(table.get(key.a(), key.b())).isSameAs(model.get(key));
            }
        }
        assertThat(table.size()).isEqualTo(model.size());
    }

    @Test
    void removeLeavesAKeyMappedToAnotherValue() {
        TupleTable<Object> table = new TupleTable<>(1, 2);
        Object tw = new Object();
        Object sk = new Object();
        table.put(5, 6, tw);
        table.put(5, 6, sk);
        assertThat(table.remove(5, 6, tw)).isFalse();
        assertThat(table.get(5, 6)).isSameAs(sk);
    }

    @Test
    void putIfAbsentLeavesAMappedKeyAlone() {
        TupleTable<Object> table = new TupleTable<>(1, 2);
        Object first = new Object();
        assertThat(table.putIfAbsent(5, 6, first)).isNull();
        assertThat(table.putIfAbsent(5, 6, new Object())).isSameAs(first);
        assertThat(table.get(5, 6)).isSameAs(first);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void theHashDependsOnTheSecret() {
        assertThat(new TupleTable<>(1, 2).hash(42, 7)).isNotEqualTo(new TupleTable<>(3, 4).hash(42, 7));
    }
}
