package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SockQueueTest {
    @Test
    void anEmptyQueueAnswersNullAndIteratesNothing() {
        SockQueue<String> q = new SockQueue<>();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.peek()).isNull();
        assertThat(q.peekLast()).isNull();
        assertThat(q.poll()).isNull();
        assertThat(q.pollLast()).isNull();
        assertThat(q).isEmpty();
    }

    @Test
    void theSharedEmptyQueueReadsAsEmptyAndRefusesAdds() {
        SockQueue<String> none = SockQueue.none();
        assertThat(none).isSameAs(SockQueue.<Integer>none()).isEmpty();
        assertThat(none.poll()).isNull();
        assertThat(none.peekLast()).isNull();
        assertThatThrownBy(() -> none.add("syn")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> none.addFirst("syn")).isInstanceOf(IllegalStateException.class);
        assertThat(SockQueue.none()).isEmpty();
    }

    @Test
    void insertPutsAnElementAtItsIndexThroughWrapAroundAndGrowth() {
        SockQueue<Integer> q = new SockQueue<>();
        List<Integer> ref = new ArrayList<>();
        Random r = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            if (r.nextInt(3) == 0 && !ref.isEmpty()) {
                assertThat(q.poll()).isEqualTo(ref.remove(0));
            } else {
                int at = r.nextInt(ref.size() + 1);
                q.insert(at, i);
                ref.add(at, i);
            }
        }
        List<Integer> seen = new ArrayList<>();
        q.forEach(seen::add);
        assertThat(seen).containsExactlyElementsOf(ref);
        assertThatThrownBy(() -> q.insert(q.size() + 1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void itBehavesAsAnArrayDequeThroughGrowthAndWrapAround() {
        SockQueue<Integer> q = new SockQueue<>();
        ArrayDeque<Integer> ref = new ArrayDeque<>();
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            switch (r.nextInt(5)) {
                case 0 -> { q.add(i); ref.add(i); }
                case 1 -> { q.addFirst(i); ref.addFirst(i); }
                case 2 -> assertThat(q.poll()).isEqualTo(ref.poll());
                case 3 -> assertThat(q.pollLast()).isEqualTo(ref.pollLast());
                default -> {
                    assertThat(q.peek()).isEqualTo(ref.peek());
                    assertThat(q.peekLast()).isEqualTo(ref.peekLast());
                }
            }
            assertThat(q.size()).isEqualTo(ref.size());
        }
        List<Integer> seen = new ArrayList<>();
        q.forEach(seen::add);
        assertThat(seen).containsExactlyElementsOf(ref);
        List<Integer> indexed = new ArrayList<>();
        for (int i = 0; i < q.size(); i++) indexed.add(q.get(i));
        assertThat(indexed).as("get(i) walks head to tail").containsExactlyElementsOf(ref);
        assertThatThrownBy(() -> q.get(q.size())).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
