package pvm.vm.map;

import pvm.hal.pmap.Errno;

/**
 * The entries of one map in a red-black tree ordered by address: the map's part of the tree
 * ({@code map_cmp}, {@code map_augment}, {@code _map_find}) over the generic intrusive
 * {@link RbTree} ({@code lib/rb.c}). Every node also carries {@code lmaxgap} and {@code rmaxgap}: the largest free gap in the address range its left (right) subtree spans,
 * bounded by the nearest entries outside the subtree or by the map's ends. Where a child is missing
 * the gap is the exact distance to the neighbouring entry, so each free gap of the map is stored at
 * exactly one node. That is what lets {@link #findFree} ({@code _map_find}) find a free range in
 * O(log n).
 *
 * <p>{@link #augment} ({@code map_augment}) recomputes one node and walks to the root; the tree
 * calls it wherever {@code lib/rb.c} calls {@code rb_augment} (after linking a node, after each
 * rotation, during removal), and the map code calls it after changing an entry's bounds in place.
 *
 * <p>Not thread-safe: the map's lock guards it. Allocation-free, but for the {@link Room} that
 * {@link #findRoom} returns.
 */
public final class MapEntryTree extends RbTree<MapEntry> {

    /** What {@link #findFree} returns when there is no room ({@code NULL} in Phoenix). */
    public static final long NONE = -1;

    private final long start;
    private final long stop;
    private int count;
    /** True while {@link #remove} relinks: the neighbour links and the tree disagree then. */
    private boolean relinking;
    /**
     * The entry last inserted or found, if still in this tree: the next lookup is often for it (an
     * unmapping of what was just mapped, the faults on one entry). See {@link #find}.
     */
    private MapEntry finger;
    /** Where {@link #placeBeside} found room for a new entry: its neighbours, either may be null. */
    private MapEntry slotBefore;
    private MapEntry slotAfter;

    /**
     * The neighbours of the room the last {@link #findRoom} found: where the next insert most likely
     * goes (a mapping inserts into the room it was just given), so {@link #insert} tries them first.
     * Hints only; an entry that left the tree since is ignored.
     */
    private MapEntry roomPrev;
    private MapEntry roomNext;
    /** Loop iterations of the last {@link #findRoom}: what the scaling tests watch. */
    int findSteps;

    /**
     * Free room in the map as {@code _map_find} reports it: the address, and the entries either side
     * of it ({@code *prev} and {@code *next}, either may be null), which the mapper merges with.
     */
    public record Room(long vaddr, MapEntry prev, MapEntry next) {
    }

    MapEntryTree(long start, long stop) {
        super(new MapEntry(-1));
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
        return MapVerify.checkTree("tree", this);
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

    /**
     * {@code lib_rbFind} with a key {@code [vaddr, vaddr+size)}: some entry overlapping it, or null.
     *
     * <p>Before descending it asks the entry last inserted or found: when that entry holds the
     * whole key, no other entry can overlap the key (entries are disjoint), so it is the one the
     * descent would reach. A lookup of what was just mapped, or a run of faults on one entry, then
     * costs no walk down the tree, whose depth grows with the number of entries.
     */
    public MapEntry find(long vaddr, long size) {
        MapEntry f = finger;
        if (f != null && f.tree == this && size > 0 && f.vaddr <= vaddr && vaddr + size <= f.vaddr + f.size) {
            return f;
        }
        MapEntry it = root;
        while (it != null) {
            int c = compare(it, vaddr, size);
            if (c == 0) {
                finger = it;
                return it;
            }
            it = c > 0 ? it.left : it.right;
        }
        return null;
    }

    /**
     * The lowest entry overlapping {@code [vaddr, vaddr+size)}, or null ({@link #find} answers any
     * one of them); the others follow it in {@link #next} order while they start below the end.
     */
    MapEntry firstOverlapping(long vaddr, long size) {
        MapEntry e = find(vaddr, size);
        if (e == null) {
            return null;
        }
        for (MapEntry p = prev(e); p != null && p.vaddr + p.size > vaddr; p = prev(p)) {
            e = p;
        }
        return e;
    }

    /**
     * The first entry of {@code [vaddr, vaddr+size)} that {@code caller} may not touch
     * ({@link MapModel#mayTouch}), or null when it may touch them all.
     */
    MapEntry firstForeign(MapModel model, MapOwner caller, long vaddr, long size) {
        for (MapEntry e = firstOverlapping(vaddr, size); e != null && e.vaddr < vaddr + size; e = next(e)) {
            if (!model.mayTouch(caller, e.owner)) {
                return e;
            }
        }
        return null;
    }

    public static MapEntry minimum(MapEntry node) {
        return RbTree.minimum(node);
    }

    public static MapEntry maximum(MapEntry node) {
        return RbTree.maximum(node);
    }

    /** {@code lib_rbPrev}. */
    public static MapEntry prev(MapEntry node) {
        return RbTree.prev(node);
    }

    /** {@code lib_rbNext}. */
    public static MapEntry next(MapEntry node) {
        return RbTree.next(node);
    }

    /** The lowest entry, or null. */
    public MapEntry first() {
        return minimum(root);
    }

    // ---- map_augment ----------------------------------------------------------------------------

    /**
     * {@code map_augment}: recomputes {@code node}'s gaps (from its children, or, where a child is
     * missing, from the neighbouring entry), then refreshes the gap on the matching side of every
     * ancestor up to the root.
     *
     * <p>Phoenix finds the neighbour beside a missing child by climbing to the first ancestor the
     * node hangs right (left) of. For an entry on a long spine, such as the last entry of a map that
     * grows upwards, that climb is as long as the walk to the root that follows it, and a mapping
     * or unmapping augments several times. Here every entry also knows its neighbours in address
     * order ({@link MapEntry#pred}, {@link MapEntry#succ}), which is the entry the climb finds, so
     * the climb is skipped. While {@link #remove} has the tree half relinked the climb finds
     * something else, so there it still climbs, as Phoenix does.
     */
    void augment(MapEntry node) {
        augment(node, false);
    }

    /**
     * {@link #augment}; with {@code again}, the walk to the root stops at the first ancestor whose
     * gap it leaves as it was. That is only for the second of two augments in a row whose walks
     * meet at this node's parent (a rotation augments both children of the new subtree root, a
     * transplant the parent and then the child put in its place): the first walk has just written
     * every gap from there to the root from the values the second one sees, so once a value comes
     * out the same, so does every one above it, and the rest of the walk would write what is
     * already there.
     */
    @Override
    void augment(MapEntry node, boolean again) {
        MapEntry n = node;
        boolean climb = relinking || isNil(node);
        if (node.left == null) {
            MapEntry p = climb ? climbLeft(node) : node.pred;
            n.lmaxgap = p == null || n.vaddr <= p.vaddr ? n.vaddr - start : n.vaddr - p.vaddr - p.size;
        } else {
            n.lmaxgap = Math.max(node.left.lmaxgap, node.left.rmaxgap);
        }

        if (node.right == null) {
            MapEntry p = climb ? climbRight(node) : node.succ;
            n.rmaxgap = p == null || n.vaddr >= p.vaddr ? stop - n.vaddr - n.size : p.vaddr - n.vaddr - n.size;
        } else {
            n.rmaxgap = Math.max(node.right.lmaxgap, node.right.rmaxgap);
        }

        for (MapEntry it = node; it.parent != null; it = it.parent) {
            long gap = Math.max(it.lmaxgap, it.rmaxgap);
            MapEntry up = it.parent;
            if (up.left == it) {
                if (again && up.lmaxgap == gap) {
                    return;
                }
                up.lmaxgap = gap;
            } else {
                if (again && up.rmaxgap == gap) {
                    return;
                }
                up.rmaxgap = gap;
            }
        }
    }

    /**
     * Phoenix's climb for a missing left child: the first ancestor the node hangs right of, else the
     * last node reached (the root, or the node itself), which the caller's address test then treats
     * as no neighbour.
     */
    private static MapEntry climbLeft(MapEntry node) {
        MapEntry p = node;
        for (MapEntry it = node; it.parent != null; it = it.parent) {
            p = it.parent;
            if (it.parent.right == it) {
                break;
            }
        }
        return p;
    }

    /** {@link #climbLeft} for a missing right child. */
    private static MapEntry climbRight(MapEntry node) {
        MapEntry p = node;
        for (MapEntry it = node; it.parent != null; it = it.parent) {
            p = it.parent;
            if (it.parent.left == it) {
                break;
            }
        }
        return p;
    }

    // ---- lib_rbInsert / lib_rbRemove -------------------------------------------------------------

    /**
     * {@code lib_rbInsert}: links {@code z} by its address.
     *
     * @return {@link Errno#EOK}, or {@link Errno#EEXIST} (nothing changed) when it overlaps an entry
     */
    int insert(MapEntry z) {
        MapEntry y = null;
        MapEntry before = null;
        MapEntry after = null;
        int c = 0;
        if (root != null && (placeBeside(z, roomPrev) || placeBeside(z, roomNext) || placeBeside(z, finger))) {
            // The descent ends in the one empty child slot between the new entry's neighbours: the
            // right child of the one before it if that is empty, else the left child of the one after.
            before = slotBefore;
            after = slotAfter;
            if (before != null && before.right == null) {
                y = before;
                c = -1;
            } else {
                y = after;
                c = 1;
            }
        } else {
            MapEntry x = root;
            while (x != null) {
                y = x;
                c = compare(y, z.vaddr, z.size);
                if (c == 0) {
                    return Errno.EEXIST;
                }
                if (c > 0) {
                    after = x;
                    x = x.left;
                } else {
                    before = x;
                    x = x.right;
                }
            }
        }
        // The last node the descent passed on the right (left) is the new entry's neighbour before (after) it.
        z.pred = before;
        z.succ = after;
        if (before != null) {
            before.succ = z;
        }
        if (after != null) {
            after.pred = z;
        }
        z.tree = this;
        finger = z;
        count++;
        link(z, y, c);
        return Errno.EOK;
    }

    /**
     * Whether {@code z}'s neighbours can be read off {@code hint}, an entry of this tree remembered
     * from the last {@link #findRoom} (the new entry usually goes into the room it found) or the last
     * insert: {@code hint} and its neighbour on {@code z}'s side must bracket {@code z} without
     * overlapping it. Entries are disjoint and in address order, so then nothing else overlaps
     * {@code z} either, and the descent would have found no conflict. Sets {@link #slotBefore} and
     * {@link #slotAfter}.
     */
    private boolean placeBeside(MapEntry z, MapEntry hint) {
        if (hint == null || hint.tree != this) {
            return false;
        }
        MapEntry p;
        MapEntry s;
        if (hint.vaddr + hint.size <= z.vaddr) {
            p = hint;
            s = hint.succ;
        } else if (z.vaddr + z.size <= hint.vaddr) {
            p = hint.pred;
            s = hint;
        } else {
            return false;
        }
        if ((p != null && p.vaddr + p.size > z.vaddr) || (s != null && z.vaddr + z.size > s.vaddr)) {
            return false;
        }
        if ((p == null || p.right != null) && (s == null || s.left != null)) {
            return false; // not neighbours after all; cannot happen in a well-formed tree
        }
        slotBefore = p;
        slotAfter = s;
        return true;
    }

    /** Takes {@code z} out of the chain of neighbour links. */
    private static void unlinkNeighbours(MapEntry z) {
        if (z.pred != null) {
            z.pred.succ = z.succ;
        }
        if (z.succ != null) {
            z.succ.pred = z.pred;
        }
        z.pred = null;
        z.succ = null;
    }

    /** {@code lib_rbRemove}: unlinks {@code z}, which must be in this tree. */
    void remove(MapEntry z) {
        unlink(z);
    }

    /**
     * With at most one child, {@code z} is cut out in one step and every augment sees a whole tree,
     * in which the neighbour links ({@code z} already unlinked) name what the climb would find. With
     * two, {@code z}'s successor is moved up in several steps, and the augments in between climb.
     */
    @Override
    void unlinking(MapEntry z, boolean twoChildren) {
        if (!twoChildren) {
            unlinkNeighbours(z);
        }
        relinking = twoChildren;
    }

    @Override
    void unlinked(MapEntry z, boolean twoChildren) {
        relinking = false;
        if (twoChildren) {
            unlinkNeighbours(z);
        }
        z.tree = null;
        count--;
    }

    // ---- _map_find --------------------------------------------------------------------------------

    /**
     * {@code _map_find}: the lowest address at or above {@code vaddr} (at least {@link #start}) where
     * {@code size} bytes are free below {@link #stop}, found by descending where the gaps say room
     * is, and climbing back to the nearest ancestor with room on its right when a subtree has none
     * past {@code vaddr}.
     *
     * @return the room with the entries either side of it (Phoenix's out parameters, for merging),
     *     or null when there is none
     */
    public Room findRoom(long vaddr, long size) {
        long v = mapFind(vaddr, size);
        return v == NONE ? null : new Room(v, roomPrev, roomNext);
    }

    /** {@link #findRoom}'s address alone, or {@link #NONE}. */
    public long findFree(long vaddr, long size) {
        return mapFind(vaddr, size);
    }

    /** {@code _map_find} proper: the address or {@link #NONE}; leaves the room's neighbours as hints for {@link #insert}. */
    private long mapFind(long vaddr, long size) {
        MapEntry e = root;
        MapEntry foundPrev = null;
        MapEntry foundNext = null;
        findSteps = 0;
        roomPrev = null;
        roomNext = null;

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
                    return found(Math.max(v, e.vaddr - e.lmaxgap), foundPrev, foundNext);
                }
                e = e.left;
                continue;
            }

            if (size <= e.rmaxgap) {
                foundPrev = e;
                if (e.right == null) {
                    return found(Math.max(v, e.vaddr + e.size), foundPrev, foundNext);
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
                return found(e.vaddr + e.size, foundPrev, foundNext);
            }
            e = e.right;
        }
        return found(v, foundPrev, foundNext);
    }

    /** Remembers the room's neighbours (as hints, and for {@link #findRoom}) and returns {@code v}. */
    private long found(long v, MapEntry prev, MapEntry next) {
        roomPrev = prev;
        roomNext = next;
        return v;
    }
}
