package io.inet4j.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link PacketBufferRbTree} against the red-black rules (no red child of red, equal black heights, a
 * black root), its order against a {@link TreeMap}, and its height bound of 2 log2(n + 1), after every insert,
 * replace and erase of a random workload and of the sorted inserts that would degenerate an unbalanced tree.
 */
class PacketBufferRbTreeTest {
    private final PacketBufferPool pool = new PacketBufferPool(64, 0);
    private final PacketBufferRbTree tree = new PacketBufferRbTree();

    /** Walks down by key as a caller of the tree does, and links a buffer holding {@code key}. */
    private PacketBuffer insert(long key) {
        PacketBuffer b = pool.allocateRaw(64);
        b.cb0 = key;
        PacketBuffer parent = null;
        boolean left = false;
        for (PacketBuffer n = tree.root(); n != null;
                n = left ? PacketBufferRbTree.left(n) : PacketBufferRbTree.right(n)) {
            parent = n;
            left = key < n.cb0;
        }
        tree.insert(b, parent, left);
        return b;
    }

    /** The black height of {@code n}'s subtree, asserting the rules on the way. */
    private static int check(PacketBuffer n, PacketBuffer parent) {
        if (n == null) return 1;
        assertThat(n.rbParent).isSameAs(parent);
        if (!PacketBufferRbTree.isBlack(n)) {
            assertThat(PacketBufferRbTree.isBlack(n.rbLeft) && PacketBufferRbTree.isBlack(n.rbRight))
                    .as("red %d has a red child", n.cb0).isTrue();
        }
        int l = check(n.rbLeft, n);
        int r = check(n.rbRight, n);
        assertThat(l).as("black heights under %d", n.cb0).isEqualTo(r);
        return l + (PacketBufferRbTree.isBlack(n) ? 1 : 0);
    }

    private static int height(PacketBuffer n) {
        return n == null ? 0 : 1 + Math.max(height(n.rbLeft), height(n.rbRight));
    }

    private void verify(TreeMap<Long, PacketBuffer> expected) {
        if (tree.root() != null) assertThat(PacketBufferRbTree.isBlack(tree.root())).isTrue();
        check(tree.root(), null);
        assertThat(tree.size()).isEqualTo(expected.size());
        assertThat(height(tree.root())).isLessThanOrEqualTo(
                (int) Math.floor(2 * Math.log(expected.size() + 1) / Math.log(2)));
        List<PacketBuffer> forward = new ArrayList<>();
        for (PacketBuffer b = tree.first(); b != null; b = PacketBufferRbTree.next(b)) forward.add(b);
        assertThat(forward).containsExactlyElementsOf(expected.values());
        List<PacketBuffer> backward = new ArrayList<>();
        for (PacketBuffer b = tree.last(); b != null; b = PacketBufferRbTree.prev(b)) backward.add(0, b);
        assertThat(backward).containsExactlyElementsOf(expected.values());
    }

    @Test
    void randomInsertsReplacesAndErasesKeepTheRulesAndTheOrder() {
        Random rnd = new Random(7);
        TreeMap<Long, PacketBuffer> expected = new TreeMap<>();
        for (int i = 0; i < 3000; i++) {
            long key = rnd.nextInt(500);
            PacketBuffer old = expected.get(key);
            if (old == null) {
                expected.put(key, insert(key));
            } else if (rnd.nextBoolean()) {
                tree.erase(old);
                old.release();
                expected.remove(key);
            } else {
                PacketBuffer fresh = pool.allocateRaw(64);
                fresh.cb0 = key;
                tree.replace(old, fresh);
                old.release();
                expected.put(key, fresh);
            }
            verify(expected);
        }
        for (PacketBuffer b; (b = tree.first()) != null; ) {
            tree.erase(b);
            expected.remove(b.cb0);
            b.release();
            verify(expected);
        }
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void sortedInsertsStayLogarithmicallyShallow() {
        TreeMap<Long, PacketBuffer> expected = new TreeMap<>();
        for (long k = 0; k < 4096; k++) expected.put(k, insert(k));
        verify(expected);
        assertThat(height(tree.root())).isLessThanOrEqualTo(24);
        for (long k = 0; k < 4096; k += 2) tree.erase(expected.remove(k));
        verify(expected);
    }
}
