package pvm.vm.map;

import pvm.hal.pmap.Errno;

/**
 * The map tree exactly as it was before its fast paths (neighbour links, the finger, the hinted
 * insert), kept as the reference {@link MapEntryTreeFastPathTest} compares the real tree with.
 *
 * <p>The entries of one map in a red-black tree ordered by address ({@code lib/rb.c} with
 * {@code map_cmp} and {@code map_augment}). Every node also carries {@code lmaxgap} and
 * {@code rmaxgap}: the largest free gap in the address range its left (right) subtree spans,
 * bounded by the nearest entries outside the subtree or by the map's ends. Where a child is missing
 * the gap is the exact distance to the neighbouring entry, so each free gap of the map is stored at
 * exactly one node. That is what lets {@link #findFree} ({@code _map_find}) find a free range in
 * O(log n).
 *
 * <p>{@link #augment} ({@code map_augment}) recomputes one node and walks to the root; the tree
 * calls it wherever {@code lib/rb.c} calls {@code rb_augment} (after linking a node, after each
 * rotation, during removal), and the map code calls it after changing an entry's bounds in place.
 *
 * <p>Not thread-safe: the map's lock guards it. Allocation-free.
 */
final class ReferenceEntryTree {

    /** What {@link #findFree} returns when there is no room ({@code NULL} in Phoenix). */
    public static final long NONE = -1;

    private final long start;
    private final long stop;
    /** The black leaf {@code lib_rbRemoveBalance} stands in for a missing child. */
    private final MapEntry nil = new MapEntry(-1);

    MapEntry root;
    private int count;

    /** The entries either side of the range {@link #findFree} returned, as {@code *prev}/{@code *next}. */
    MapEntry foundPrev;
    MapEntry foundNext;
    /** Loop iterations of the last {@link #findFree}: what the scaling tests watch. */
    int findSteps;

    ReferenceEntryTree(long start, long stop) {
        this.start = start;
        this.stop = stop;
    }

    public long start() {
        return start;
    }

    public long stop() {
        return stop;
    }

    /** Number of entries. */
    public int size() {
        return count;
    }

    public MapEntry root() {
        return root;
    }

    /**
     * The tree's checker: parent links, the red-black rules, order and disjointness inside
     * {@code [start, stop)}, the count, and every node's gaps against a recomputation from scratch.
     * Empty when all hold.
     */
    public java.util.List<String> verify() {
        throw new UnsupportedOperationException();
    }

    // ---- map_cmp and lookups --------------------------------------------------------------------

    /** {@code map_cmp(node, [vaddr, vaddr+size))}: 0 when they overlap. */
    private static int compare(MapEntry e, long vaddr, long size) {
        if (vaddr + size <= e.vaddr) {
            return 1;
        }
        if (e.vaddr + e.size <= vaddr) {
            return -1;
        }
        return 0;
    }

    /** {@code lib_rbFind} with a key {@code [vaddr, vaddr+size)}: some entry overlapping it, or null. */
    public MapEntry find(long vaddr, long size) {
        MapEntry it = root;
        while (it != null) {
            int c = compare(it, vaddr, size);
            if (c == 0) {
                return it;
            }
            it = c > 0 ? it.left : it.right;
        }
        return null;
    }

    public static MapEntry minimum(MapEntry node) {
        MapEntry x = node;
        if (x == null) {
            return null;
        }
        while (x.left != null) {
            x = x.left;
        }
        return x;
    }

    public static MapEntry maximum(MapEntry node) {
        MapEntry x = node;
        if (x == null) {
            return null;
        }
        while (x.right != null) {
            x = x.right;
        }
        return x;
    }

    /** {@code lib_rbPrev}. */
    public static MapEntry prev(MapEntry node) {
        MapEntry x = node;
        if (x.left != null) {
            return maximum(x.left);
        }
        while (x.parent != null && x == x.parent.left) {
            x = x.parent;
        }
        return x.parent;
    }

    /** {@code lib_rbNext}. */
    public static MapEntry next(MapEntry node) {
        MapEntry x = node;
        if (x.right != null) {
            return minimum(x.right);
        }
        while (x.parent != null && x == x.parent.right) {
            x = x.parent;
        }
        return x.parent;
    }

    /** The lowest entry, or null. */
    public MapEntry first() {
        return minimum(root);
    }

    // ---- map_augment ----------------------------------------------------------------------------

    /**
     * {@code map_augment}: recomputes {@code node}'s gaps (from its children, or, where a child is
     * missing, from the neighbouring entry found by walking up), then refreshes the gap on the
     * matching side of every ancestor up to the root.
     */
    void augment(MapEntry node) {
        MapEntry n = node;
        MapEntry p = n;
        if (node.left == null) {
            for (MapEntry it = node; it.parent != null; it = it.parent) {
                p = it.parent;
                if (it.parent.right == it) {
                    break;
                }
            }
            n.lmaxgap = n.vaddr <= p.vaddr ? n.vaddr - start : n.vaddr - p.vaddr - p.size;
        } else {
            n.lmaxgap = Math.max(node.left.lmaxgap, node.left.rmaxgap);
        }

        if (node.right == null) {
            for (MapEntry it = node; it.parent != null; it = it.parent) {
                p = it.parent;
                if (it.parent.left == it) {
                    break;
                }
            }
            n.rmaxgap = n.vaddr >= p.vaddr ? stop - n.vaddr - n.size : p.vaddr - n.vaddr - n.size;
        } else {
            n.rmaxgap = Math.max(node.right.lmaxgap, node.right.rmaxgap);
        }

        for (MapEntry it = node; it.parent != null; it = it.parent) {
            long gap = Math.max(it.lmaxgap, it.rmaxgap);
            if (it.parent.left == it) {
                it.parent.lmaxgap = gap;
            } else {
                it.parent.rmaxgap = gap;
            }
        }
    }

    /** {@code rb_augment}: {@link #augment} when there is a node. */
    private void rbAugment(MapEntry node) {
        if (node != null) {
            augment(node);
        }
    }

    // ---- lib_rbInsert / lib_rbRemove -------------------------------------------------------------

    private void rotateLeft(MapEntry x) {
        MapEntry y = x.right;
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
        rbAugment(y.right);
    }

    private void rotateRight(MapEntry x) {
        MapEntry y = x.left;
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
        rbAugment(y.right);
    }

    private static boolean isRed(MapEntry n) {
        return n != null && n.red;
    }

    private void insertBalance(MapEntry node) {
        MapEntry z = node;
        while (z.parent != null && z.parent.red) {
            if (z.parent == z.parent.parent.left) {
                MapEntry y = z.parent.parent.right;
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
                MapEntry y = z.parent.parent.left;
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

    /**
     * {@code lib_rbInsert}: links {@code z} by its address.
     *
     * @return {@link Errno#EOK}, or {@link Errno#EEXIST} (nothing changed) when it overlaps an entry
     */
    int insert(MapEntry z) {
        MapEntry y = null;
        MapEntry x = root;
        int c = 0;
        while (x != null) {
            y = x;
            c = compare(y, z.vaddr, z.size);
            if (c == 0) {
                return Errno.EEXIST;
            }
            x = c > 0 ? x.left : x.right;
        }
        z.parent = y;
        if (y == null) {
            root = z;
        } else if (c > 0) {
            y.left = z;
        } else {
            y.right = z;
        }
        z.left = null;
        z.right = null;
        z.red = true;
        count++;
        rbAugment(z);
        insertBalance(z);
        return Errno.EOK;
    }

    private void transplant(MapEntry u, MapEntry v) {
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
        rbAugment(v);
    }

    /** {@code lib_rbRemoveBalance}, with {@link #nil} for a missing {@code node}. */
    private void removeBalance(MapEntry parent, MapEntry node) {
        nil.red = false;
        nil.parent = parent;
        nil.left = null;
        nil.right = null;
        MapEntry x = node == null ? nil : node;
        if (root == null) {
            return;
        }
        while (x != root && !x.red) {
            if (x == x.parent.left || (x == nil && x.parent.left == null)) {
                MapEntry w = x.parent.right == null ? nil : x.parent.right;
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
                MapEntry w = x.parent.left == null ? nil : x.parent.left;
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

    /** {@code lib_rbRemove}: unlinks {@code z}, which must be in this tree. */
    void remove(MapEntry z) {
        MapEntry y = z;
        MapEntry x;
        MapEntry p = z.parent;
        boolean yRed = y.red;

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
        count--;
        if (!yRed) {
            removeBalance(p, x);
        }
        z.parent = null;
        z.left = null;
        z.right = null;
    }

    // ---- _map_find --------------------------------------------------------------------------------

    /**
     * {@code _map_find}: the lowest address at or above {@code vaddr} (at least {@link #start}) where
     * {@code size} bytes are free below {@link #stop}, found by descending where the gaps say room
     * is, and climbing back to the nearest ancestor with room on its right when a subtree has none
     * past {@code vaddr}. Sets {@link #foundPrev} and {@link #foundNext} to the entries either side
     * of the range (as Phoenix's out parameters, for merging).
     *
     * @return the address, or {@link #NONE}
     */
    public long findFree(long vaddr, long size) {
        MapEntry e = root;
        foundPrev = null;
        foundNext = null;
        findSteps = 0;

        if (stop < size) {
            return NONE;
        }
        if (stop - size < vaddr) {
            return NONE;
        }
        long v = Math.max(vaddr, start);
        // Phoenix checks the room before it moves a low hint up to the map's start, so an empty
        // map (nothing below to say no) would take a range longer than itself: check again.
        if (stop - size < v) {
            return NONE;
        }

        while (e != null) {
            findSteps++;
            if (size <= e.lmaxgap && v + size <= e.vaddr) {
                foundNext = e;
                if (e.left == null) {
                    return Math.max(v, e.vaddr - e.lmaxgap);
                }
                e = e.left;
                continue;
            }

            if (size <= e.rmaxgap) {
                foundPrev = e;
                if (e.right == null) {
                    return Math.max(v, e.vaddr + e.size);
                }
                e = e.right;
                continue;
            }

            // Neither side has room past v: climb to the nearest ancestor this subtree hangs left
            // of whose right side has room.
            for (;;) {
                findSteps++;
                if (e.parent == null) {
                    return NONE;
                }
                if (e == e.parent.left && e.parent.rmaxgap >= size) {
                    break;
                }
                e = e.parent;
            }
            e = e.parent;

            MapEntry n = e;
            while (n.parent != null) {
                findSteps++;
                if (n == n.parent.left) {
                    break;
                }
                n = n.parent;
            }
            foundNext = n.parent;

            foundPrev = e;
            if (e.right == null) {
                return e.vaddr + e.size;
            }
            e = e.right;
        }
        return v;
    }
}
