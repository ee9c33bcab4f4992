package io.inet4j.buffer;

/**
 * A red-black tree of {@link PacketBuffer}s linked through the buffers themselves: the kernel's {@code struct
 * rb_root} of sk_buffs ({@code lib/rbtree.c}, as TCP's {@code out_of_order_queue} uses it). As in Linux the
 * tree knows no keys: the caller walks down from {@link #root()} comparing its own keys and links the new buffer
 * where the walk ended ({@link #insert}, {@code rb_link_node} plus {@code rb_insert_color}); the tree keeps
 * itself balanced, so walks, inserts and erases are O(log n) and none allocates. A buffer sits in at most one
 * tree; one thread uses a tree.
 */
public final class PacketBufferRbTree {
    private PacketBuffer root;
    private int size;

    public boolean isEmpty() { return root == null; }

    /** Buffers in the tree. */
    public int size() { return size; }

    public PacketBuffer root() { return root; }

    public static PacketBuffer left(PacketBuffer n) { return n.rbLeft; }

    public static PacketBuffer right(PacketBuffer n) { return n.rbRight; }

    /** Whether {@code n} is black; the tests check the red-black rules with it. */
    public static boolean isBlack(PacketBuffer n) { return n == null || n.rbBlack; }

    /** rb_first: the leftmost buffer, or null. */
    public PacketBuffer first() {
        PacketBuffer n = root;
        if (n == null) return null;
        while (n.rbLeft != null) n = n.rbLeft;
        return n;
    }

    /** rb_last: the rightmost buffer, or null. */
    public PacketBuffer last() {
        PacketBuffer n = root;
        if (n == null) return null;
        while (n.rbRight != null) n = n.rbRight;
        return n;
    }

    /** rb_next: the buffer after {@code n} in order, or null. */
    public static PacketBuffer next(PacketBuffer n) {
        if (n.rbRight != null) {
            n = n.rbRight;
            while (n.rbLeft != null) n = n.rbLeft;
            return n;
        }
        PacketBuffer p;
        while ((p = n.rbParent) != null && n == p.rbRight) n = p;
        return p;
    }

    /** rb_prev: the buffer before {@code n} in order, or null. */
    public static PacketBuffer prev(PacketBuffer n) {
        if (n.rbLeft != null) {
            n = n.rbLeft;
            while (n.rbRight != null) n = n.rbRight;
            return n;
        }
        PacketBuffer p;
        while ((p = n.rbParent) != null && n == p.rbLeft) n = p;
        return p;
    }

    /**
     * rb_link_node + rb_insert_color: links {@code node} as the left or right child of {@code parent} (null for
     * an empty tree), where the caller's walk from the root ended, then rebalances.
     */
    public void insert(PacketBuffer node, PacketBuffer parent, boolean asLeft) {
        node.rbParent = parent;
        node.rbLeft = node.rbRight = null;
        node.rbBlack = false;
        if (parent == null) root = node;
        else if (asLeft) parent.rbLeft = node;
        else parent.rbRight = node;
        size++;
        insertFixup(node);
    }

    /** rb_replace_node: {@code fresh} takes {@code victim}'s place (same position in the order), no rebalancing. */
    public void replace(PacketBuffer victim, PacketBuffer fresh) {
        fresh.rbParent = victim.rbParent;
        fresh.rbLeft = victim.rbLeft;
        fresh.rbRight = victim.rbRight;
        fresh.rbBlack = victim.rbBlack;
        if (fresh.rbLeft != null) fresh.rbLeft.rbParent = fresh;
        if (fresh.rbRight != null) fresh.rbRight.rbParent = fresh;
        replaceChild(victim.rbParent, victim, fresh);
        victim.rbParent = victim.rbLeft = victim.rbRight = null;
    }

    /** rb_erase: takes {@code z} out of the tree and rebalances. */
    public void erase(PacketBuffer z) {
        PacketBuffer child;
        PacketBuffer parent;
        boolean removedBlack;
        if (z.rbLeft == null || z.rbRight == null) {
            child = z.rbLeft != null ? z.rbLeft : z.rbRight;
            parent = z.rbParent;
            removedBlack = z.rbBlack;
            if (child != null) child.rbParent = parent;
            replaceChild(parent, z, child);
        } else {
            // Two children: the successor y moves into z's place, and the hole is where y was.
            PacketBuffer y = z.rbRight;
            while (y.rbLeft != null) y = y.rbLeft;
            removedBlack = y.rbBlack;
            child = y.rbRight;
            if (y.rbParent == z) {
                parent = y;
            } else {
                parent = y.rbParent;
                if (child != null) child.rbParent = parent;
                parent.rbLeft = child;
                y.rbRight = z.rbRight;
                z.rbRight.rbParent = y;
            }
            y.rbLeft = z.rbLeft;
            z.rbLeft.rbParent = y;
            y.rbParent = z.rbParent;
            replaceChild(z.rbParent, z, y);
            y.rbBlack = z.rbBlack;
        }
        z.rbParent = z.rbLeft = z.rbRight = null;
        size--;
        if (removedBlack) eraseFixup(child, parent);
    }

    /**
     * Forgets every buffer at once (after the caller released them, as {@code skb_rbtree_purge} does); their
     * stale links are cleared when the pool hands them out again.
     */
    public void clear() {
        root = null;
        size = 0;
    }

    private void replaceChild(PacketBuffer parent, PacketBuffer old, PacketBuffer fresh) {
        if (parent == null) root = fresh;
        else if (parent.rbLeft == old) parent.rbLeft = fresh;
        else parent.rbRight = fresh;
    }

    private void rotateLeft(PacketBuffer x) {
        PacketBuffer y = x.rbRight;
        x.rbRight = y.rbLeft;
        if (y.rbLeft != null) y.rbLeft.rbParent = x;
        y.rbParent = x.rbParent;
        replaceChild(x.rbParent, x, y);
        y.rbLeft = x;
        x.rbParent = y;
    }

    private void rotateRight(PacketBuffer x) {
        PacketBuffer y = x.rbLeft;
        x.rbLeft = y.rbRight;
        if (y.rbRight != null) y.rbRight.rbParent = x;
        y.rbParent = x.rbParent;
        replaceChild(x.rbParent, x, y);
        y.rbRight = x;
        x.rbParent = y;
    }

    private void insertFixup(PacketBuffer z) {
        while (z != root && !isBlack(z.rbParent)) {
            PacketBuffer p = z.rbParent;
            PacketBuffer g = p.rbParent; // a red parent is never the root
            if (p == g.rbLeft) {
                PacketBuffer u = g.rbRight;
                if (!isBlack(u)) {
                    p.rbBlack = true;
                    u.rbBlack = true;
                    g.rbBlack = false;
                    z = g;
                } else {
                    if (z == p.rbRight) {
                        rotateLeft(p);
                        p = z;
                    }
                    p.rbBlack = true;
                    g.rbBlack = false;
                    rotateRight(g);
                    break;
                }
            } else {
                PacketBuffer u = g.rbLeft;
                if (!isBlack(u)) {
                    p.rbBlack = true;
                    u.rbBlack = true;
                    g.rbBlack = false;
                    z = g;
                } else {
                    if (z == p.rbLeft) {
                        rotateRight(p);
                        p = z;
                    }
                    p.rbBlack = true;
                    g.rbBlack = false;
                    rotateLeft(g);
                    break;
                }
            }
        }
        root.rbBlack = true;
    }

    /** Restores the black heights after a black buffer left from under {@code parent}; {@code x} took its place. */
    private void eraseFixup(PacketBuffer x, PacketBuffer parent) {
        while (x != root && isBlack(x)) {
            if (x == parent.rbLeft) {
                PacketBuffer w = parent.rbRight;
                if (!isBlack(w)) {
                    w.rbBlack = true;
                    parent.rbBlack = false;
                    rotateLeft(parent);
                    w = parent.rbRight;
                }
                if (isBlack(w.rbLeft) && isBlack(w.rbRight)) {
                    w.rbBlack = false;
                    x = parent;
                    parent = x.rbParent;
                } else {
                    if (isBlack(w.rbRight)) {
                        w.rbLeft.rbBlack = true;
                        w.rbBlack = false;
                        rotateRight(w);
                        w = parent.rbRight;
                    }
                    w.rbBlack = parent.rbBlack;
                    parent.rbBlack = true;
                    w.rbRight.rbBlack = true;
                    rotateLeft(parent);
                    x = root;
                }
            } else {
                PacketBuffer w = parent.rbLeft;
                if (!isBlack(w)) {
                    w.rbBlack = true;
                    parent.rbBlack = false;
                    rotateRight(parent);
                    w = parent.rbLeft;
                }
                if (isBlack(w.rbLeft) && isBlack(w.rbRight)) {
                    w.rbBlack = false;
                    x = parent;
                    parent = x.rbParent;
                } else {
                    if (isBlack(w.rbLeft)) {
                        w.rbRight.rbBlack = true;
                        w.rbBlack = false;
                        rotateLeft(w);
                        w = parent.rbLeft;
                    }
                    w.rbBlack = parent.rbBlack;
                    parent.rbBlack = true;
                    w.rbLeft.rbBlack = true;
                    rotateRight(parent);
                    x = root;
                }
            }
        }
        if (x != null) x.rbBlack = true;
    }
}
