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
    private static final class Entry implements TupleKey {
        final Key key;

        Entry(Key key) { this.key = key; }

        @Override public long hashAddrs() { return key.a(); }

        @Override public int hashPorts() { return key.b(); }
    }

    @Test
    void agreesWithAMapThroughGrowthAndBackwardShiftDeletes() {
        Random random = new Random(7);
        TupleTable<Entry> table = new TupleTable<>(random.nextLong(), random.nextLong());
        Map<Key, Entry> model = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        // Few distinct address words and ports, so probe runs collide and deletes shift entries back.
        for (int step = 0; step < 200_000; step++) {
            Key k = random.nextInt(3) == 0 && !keys.isEmpty() ? keys.get(random.nextInt(keys.size()))
                    : new Key(random.nextInt(40), random.nextInt(2000));
            int op = random.nextInt(5);
            if (op < 2) {
                Entry v = new Entry(k);
                assertThat(table.put(k.a(), k.b(), v)).isSameAs(model.put(k, v));
                keys.add(k);
            } else if (op == 2) {
                Entry v = new Entry(k);
                assertThat(table.putIfAbsent(k.a(), k.b(), v)).isSameAs(model.putIfAbsent(k, v));
                keys.add(k);
            } else {
                Entry expected = model.get(k);
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
        TupleTable<Entry> table = new TupleTable<>(1, 2);
        Entry tw = new Entry(new Key(5, 6));
        Entry sk = new Entry(new Key(5, 6));
        table.put(5, 6, tw);
        table.put(5, 6, sk);
        assertThat(table.remove(5, 6, tw)).isFalse();
        assertThat(table.get(5, 6)).isSameAs(sk);
    }

    @Test
    void putIfAbsentLeavesAMappedKeyAlone() {
        TupleTable<Entry> table = new TupleTable<>(1, 2);
        Entry first = new Entry(new Key(5, 6));
        assertThat(table.putIfAbsent(5, 6, first)).isNull();
        assertThat(table.putIfAbsent(5, 6, new Entry(new Key(5, 6)))).isSameAs(first);
        assertThat(table.get(5, 6)).isSameAs(first);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void theHashDependsOnTheSecret() {
        assertThat(new TupleTable<>(1, 2).hash(42, 7)).isNotEqualTo(new TupleTable<>(3, 4).hash(42, 7));
    }
}
