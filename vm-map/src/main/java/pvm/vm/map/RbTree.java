package pvm.vm.map;

/**
 * An intrusive red-black tree: Phoenix's {@code lib/rb.c} ({@code lib_rbInsert},
 * {@code lib_rbRemove}, {@code lib_rbInsertBalance}, {@code lib_rbRemoveBalance}, rotations,
 * {@code lib_rbMinimum}, {@code lib_rbMaximum}, {@code lib_rbPrev}, {@code lib_rbNext}). The nodes
 * carry their links themselves ({@link RbNode}); the tree allocates nothing.
 *
 * <p>The augment hook is {@link #augment}: the tree calls it wherever {@code lib/rb.c} calls
 * {@code rb_augment} (after linking a node, after each rotation, during removal), so a subclass
 * keeps a summary of each subtree in its nodes (the map's free gaps, {@link MapEntryTree}). Where
 * to link a new node is the subclass's business (its order); {@link #link} balances after.
 *
 * <p>Not thread-safe: the owner's lock guards it.
 *
 * @param <N> the node type
 */
abstract class RbTree<N extends RbNode<N>> {

    /** The black leaf {@code lib_rbRemoveBalance} stands in for a missing child. */
    private final N nil;

    N root;

    /** @param nil a node of no use but as the black leaf {@code lib_rbRemoveBalance} stands in for a missing child */
    RbTree(N nil) {
        this.nil = nil;
    }

    /**
     * {@code rb_augment}: recompute {@code node}'s summary from its children and refresh its
     * ancestors'. With {@code again} the call is the second of two whose walks to the root meet at
     * this node's parent (a rotation augments both children of the new subtree root, a transplant the
     * parent and then the child put in its place), so the walk may stop at the first ancestor it
     * leaves unchanged.
     */
    abstract void augment(N node, boolean again);

    /** Called by {@link #unlink} before it relinks: {@code twoChildren} when the successor moves up in several steps. */
    abstract void unlinking(N z, boolean twoChildren);

    /** Called by {@link #unlink} once {@code z} is out and before the tree is rebalanced. */
    abstract void unlinked(N z, boolean twoChildren);

    /** Whether {@code node} is the stand-in black leaf of {@code lib_rbRemoveBalance}. */
    final boolean isNil(N node) {
        return node == nil;
    }

    /** {@code rb_augment}: {@link #augment} when there is a node. */
    final void rbAugment(N node) {
        if (node != null) {
            augment(node, false);
        }
    }

    /** {@link #rbAugment} as the second of a pair whose walks meet (see {@link #augment}). */
    final void rbAugmentAgain(N node) {
        if (node != null) {
            augment(node, true);
        }
    }

    static <N extends RbNode<N>> N minimum(N node) {
        N x = node;
        if (x == null) {
            return null;
        }
        while (x.left != null) {
            x = x.left;
        }
        return x;
    }

    static <N extends RbNode<N>> N maximum(N node) {
        N x = node;
        if (x == null) {
            return null;
        }
        while (x.right != null) {
            x = x.right;
        }
        return x;
    }

    /** {@code lib_rbPrev}. */
    static <N extends RbNode<N>> N prev(N node) {
        N x = node;
        if (x.left != null) {
            return maximum(x.left);
        }
        while (x.parent != null && x == x.parent.left) {
            x = x.parent;
        }
        return x.parent;
    }

    /** {@code lib_rbNext}. */
    static <N extends RbNode<N>> N next(N node) {
        N x = node;
        if (x.right != null) {
            return minimum(x.right);
        }
        while (x.parent != null && x == x.parent.right) {
            x = x.parent;
        }
        return x.parent;
    }

    /**
     * The second half of {@code lib_rbInsert}: links {@code z} below {@code parent} (as its left child
     * when {@code side > 0}, its right child otherwise; as the root when {@code parent} is null),
     * red, augments it and rebalances.
     */
    final void link(N z, N parent, int side) {
        z.parent = parent;
        if (parent == null) {
            root = z;
        } else if (side > 0) {
            parent.left = z;
        } else {
            parent.right = z;
        }
        z.left = null;
        z.right = null;
        z.red = true;
        rbAugment(z);
        insertBalance(z);
    }

    /**
     * {@code lib_rbRemove}: unlinks {@code z}, which must be in this tree, augmenting as it relinks,
     * then rebalances. {@link #unlinking} and {@link #unlinked} bracket the relinking.
     */
    final void unlink(N z) {
        N y = z;
        N x;
        N p = z.parent;
        boolean yRed = y.red;
        boolean twoChildren = z.left != null && z.right != null;
        unlinking(z, twoChildren);
        if (z.left == null) {
            x = z.right;
            transplant(z, z.right);
        } else if (z.right == null) {
            x = z.left;
            transplant(z, z.left);
        } else {
            y = minimum(z.right);
            yRed = y.red;
            x = y.right;
            if (y.parent == z) {
                p = y;
            } else {
                p = y.parent;
                transplant(y, y.right);
                y.right = z.right;
                y.right.parent = y;
            }
            transplant(z, y);
            y.left = z.left;
            y.left.parent = y;
            y.red = z.red;
            rbAugment(maximum(y.left));
            rbAugment(minimum(y.right));
        }
        unlinked(z, twoChildren);
        if (!yRed) {
            removeBalance(p, x);
        }
        z.parent = null;
        z.left = null;
        z.right = null;
    }

    private void rotateLeft(N x) {
        N y = x.right;
        x.right = y.left;
        if (y.left != null) {
            y.left.parent = x;
        }
        y.parent = x.parent;
        if (x.parent == null) {
            root = y;
        } else if (x == x.parent.left) {
            x.parent.left = y;
        } else {
            x.parent.right = y;
        }
        y.left = x;
        x.parent = y;
        rbAugment(y.left);
        rbAugmentAgain(y.right);
    }

    private void rotateRight(N x) {
        N y = x.left;
        x.left = y.right;
        if (y.right != null) {
            y.right.parent = x;
        }
        y.parent = x.parent;
        if (x.parent == null) {
            root = y;
        } else if (x == x.parent.right) {
            x.parent.right = y;
        } else {
            x.parent.left = y;
        }
        y.right = x;
        x.parent = y;
        rbAugment(y.left);
        rbAugmentAgain(y.right);
    }

    private static boolean isRed(RbNode<?> n) {
        return n != null && n.red;
    }

    private void insertBalance(N node) {
        N z = node;
        while (z.parent != null && z.parent.red) {
            if (z.parent == z.parent.parent.left) {
                N y = z.parent.parent.right;
                if (isRed(y)) {
                    z.parent.red = false;
                    y.red = false;
                    z.parent.parent.red = true;
                    z = z.parent.parent;
                } else if (z == z.parent.right) {
                    z = z.parent;
                    rotateLeft(z);
                } else {
                    z.parent.red = false;
                    z.parent.parent.red = true;
                    rotateRight(z.parent.parent);
                }
            } else {
                N y = z.parent.parent.left;
                if (isRed(y)) {
                    z.parent.red = false;
                    y.red = false;
                    z.parent.parent.red = true;
                    z = z.parent.parent;
                } else if (z == z.parent.left) {
                    z = z.parent;
                    rotateRight(z);
                } else {
                    z.parent.red = false;
                    z.parent.parent.red = true;
                    rotateLeft(z.parent.parent);
                }
            }
        }
        root.red = false;
    }

    private void transplant(N u, N v) {
        if (u.parent != null) {
            if (u == u.parent.left) {
                u.parent.left = v;
            } else {
                u.parent.right = v;
            }
            rbAugment(u.parent);
        } else {
            root = v;
        }
        if (v != null) {
            v.parent = u.parent;
        }
        if (u.parent != null) {
            rbAugmentAgain(v);
        } else {
            rbAugment(v);
        }
    }

    /** {@code lib_rbRemoveBalance}, with {@link #nil} for a missing {@code node}. */
    private void removeBalance(N parent, N node) {
        nil.red = false;
        nil.parent = parent;
        nil.left = null;
        nil.right = null;
        N x = node == null ? nil : node;
        if (root == null) {
            return;
        }
        while (x != root && !x.red) {
            if (x == x.parent.left || (x == nil && x.parent.left == null)) {
                N w = x.parent.right == null ? nil : x.parent.right;
                if (w.red) {
                    w.red = false;
                    x.parent.red = true;
                    rotateLeft(x.parent);
                    w = x.parent.right;
                }
                if (!isRed(w.left) && !isRed(w.right)) {
                    w.red = true;
                    x = x.parent;
                } else if (!isRed(w.right)) {
                    w.left.red = false;
                    w.red = true;
                    rotateRight(w);
                } else {
                    w.red = x.parent.red;
                    x.parent.red = false;
                    w.right.red = false;
                    rotateLeft(x.parent);
                    x = root;
                }
            } else {
                N w = x.parent.left == null ? nil : x.parent.left;
                if (w.red) {
                    w.red = false;
                    x.parent.red = true;
                    rotateRight(x.parent);
                    w = x.parent.left;
                }
                if (!isRed(w.right) && !isRed(w.left)) {
                    w.red = true;
                    x = x.parent;
                } else if (!isRed(w.left)) {
                    w.right.red = false;
                    w.red = true;
                    rotateLeft(w);
                } else {
                    w.red = x.parent.red;
                    x.parent.red = false;
                    w.left.red = false;
                    rotateRight(x.parent);
                    x = root;
                }
            }
        }
        x.red = false;
        nil.parent = null;
    }

}
