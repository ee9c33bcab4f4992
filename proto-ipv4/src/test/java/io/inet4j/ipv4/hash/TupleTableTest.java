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

    @Test
    void agreesWithAMapThroughGrowthAndBackwardShiftDeletes() {
        Random random = new Random(7);
        TupleTable<Object> table = new TupleTable<>(random.nextLong(), random.nextLong());
        Map<Key, Object> model = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        // Few distinct address words and ports, so probe runs collide and deletes shift entries back.
        for (int step = 0; step < 200_000; step++) {
            Key k = random.nextInt(3) == 0 && !keys.isEmpty() ? keys.get(random.nextInt(keys.size()))
                    : new Key(random.nextInt(40), random.nextInt(2000));
            if (random.nextInt(5) < 3) {
                Object v = new Object();
                assertThat(table.put(k.a(), k.b(), v)).isSameAs(model.put(k, v));
                keys.add(k);
            } else {
                Object expected = model.get(k);
                assertThat(table.remove(k.a(), k.b(), expected == null ? new Object() : expected)).isEqualTo(expected != null);
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
    void theHashDependsOnTheSecret() {
        assertThat(new TupleTable<>(1, 2).hash(42, 7)).isNotEqualTo(new TupleTable<>(3, 4).hash(42, 7));
    }
}
