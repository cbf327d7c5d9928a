package pvm.vm.map;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.VirtAddr;

/** The invariant checker of one map ({@link VmMap#verify}), lock held. */
final class MapVerify {

    /** At most this many messages: a broken tree would otherwise repeat itself for every node. */
    private static final int MAX_ERRORS = 50;

    private MapVerify() {
    }

    static List<String> verify(VmMap map) {
        List<String> errors = checkTree(map.toString(), map.tree);
        checkEntries(map, errors);
        map.maps.model().checkPages(map, errors);
        return errors.size() > MAX_ERRORS ? new ArrayList<>(errors.subList(0, MAX_ERRORS)) : errors;
    }

    /**
     * The tree alone: parent links, red-black rules (black root, no red entry with a red child,
     * equal black heights), entries ordered and disjoint inside the map's range, the count, and
     * every node's gaps equal to a recomputation from scratch.
     */
    static List<String> checkTree(String label, MapEntryTree tree) {
        List<String> errors = new ArrayList<>();
        MapEntry root = tree.root;
        if (root != null) {
            if (root.parent != null) {
                errors.add(label + ": root has a parent");
            }
            if (root.red) {
                errors.add(label + ": root is red");
            }
        }
        int[] counted = new int[1];
        checkTree(label, root, null, tree.start(), tree.stop(), errors, counted);
        if (counted[0] != tree.size()) {
            errors.add(String.format("%s: %d entries in the tree, %d counted", label, tree.size(), counted[0]));
        }
        checkNeighbours(label, tree, errors);
        return errors;
    }

    /** Each entry's {@code pred}/{@code succ} links name its neighbours in address order. */
    private static void checkNeighbours(String label, MapEntryTree tree, List<String> errors) {
        MapEntry before = null;
        int steps = 0;
        for (MapEntry e = tree.first(); e != null && steps <= tree.size() && errors.size() <= MAX_ERRORS; e = MapEntryTree.next(e)) {
            steps++;
            if (e.pred != before) {
                errors.add(String.format("%s: entry before %s is %s, linked %s", label, e, before, e.pred));
            }
            if (before != null && before.succ != e) {
                errors.add(String.format("%s: entry after %s is %s, linked %s", label, before, e, before.succ));
            }
            before = e;
        }
        if (before != null && before.succ != null) {
            errors.add(String.format("%s: last entry %s links to %s after it", label, before, before.succ));
        }
    }

    /**
     * Checks the subtree at {@code n} whose entries must lie in {@code [lo, hi)}, the bounds being
     * the nearest entries outside it (or the map's ends), and recomputes its gaps from scratch.
     *
     * @return the black height, and in {@code counted} the entries seen
     */
    private static int checkTree(String map, MapEntry n, MapEntry parent, long lo, long hi, List<String> errors, int[] counted) {
        if (n == null) {
            return 1;
        }
        counted[0]++;
        if (errors.size() > MAX_ERRORS) {
            return 1;
        }
        if (n.parent != parent) {
            errors.add(map + ": wrong parent link at " + n);
        }
        if (n.red && (isRed(n.left) || isRed(n.right))) {
            errors.add(map + ": red entry with a red child: " + n);
        }
        if (n.vaddr < lo || n.vaddr + n.size > hi) {
            errors.add(String.format("%s: entry out of order or overlapping its neighbours [0x%x, 0x%x): %s", map, lo, hi, n));
        }
        long lmax = n.left == null ? n.vaddr - lo : subtreeMax(n.left, lo, n.vaddr);
        long rmax = n.right == null ? hi - n.vaddr - n.size : subtreeMax(n.right, n.vaddr + n.size, hi);
        if (n.lmaxgap != lmax || n.rmaxgap != rmax) {
            errors.add(String.format("%s: gaps of %s are %x, %x; recomputed %x, %x", map, n, n.lmaxgap, n.rmaxgap, lmax, rmax));
        }
        int lh = checkTree(map, n.left, n, lo, n.vaddr, errors, counted);
        int rh = checkTree(map, n.right, n, n.vaddr + n.size, hi, errors, counted);
        if (lh != rh) {
            errors.add(map + ": black heights differ under " + n);
        }
        return lh + (n.red ? 0 : 1);
    }

    /** The largest free gap in the range {@code [lo, hi)} the subtree at {@code n} spans, from scratch. */
    private static long subtreeMax(MapEntry n, long lo, long hi) {
        long l = n.left == null ? n.vaddr - lo : subtreeMax(n.left, lo, n.vaddr);
        long r = n.right == null ? hi - n.vaddr - n.size : subtreeMax(n.right, n.vaddr + n.size, hi);
        return Math.max(l, r);
    }

    private static boolean isRed(MapEntry n) {
        return n != null && n.red;
    }

    private static void checkEntries(VmMap map, List<String> errors) {
        long mask = map.pageSize - 1;
        for (MapEntry e = map.tree.first(); e != null; e = MapEntryTree.next(e)) {
            if (e.map != map) {
                errors.add(map + ": entry not tagged with its map: " + e);
            }
            if (e.size <= 0 || (e.size & mask) != 0 || (e.vaddr & mask) != 0) {
                errors.add(map + ": entry not a whole number of pages: " + e);
            }
            if (e.vaddr < map.start || e.vaddr + e.size > map.stop) {
                errors.add(map + ": entry outside the map: " + e);
            }
            if (MapAttr.checkProt(e.protOrig, e.prot) != 0) {
                errors.add(map + ": protection beyond the original one: " + e);
            }
            if (e.amap != null && e.aoffs + e.size > (long) e.amap.size() * map.pageSize) {
                errors.add(map + ": entry runs past the end of its amap: " + e);
            }
            if (errors.size() > MAX_ERRORS) {
                return;
            }
        }
    }

    /**
     * With an MMU: the present pages of each entry map allocated frames (or, for physical memory,
     * anything) with no rights beyond the entry's. (A page of an entry marked {@code MAP_NEEDSCOPY}
     * may be writable: after an eager fork the parent keeps its writable pages, the child having
     * copied every one; that a writable page is not shared is the object layer's check.) In process
     * maps, no page of any gap between the entries is present (the kernel map's boot mappings are
     * not all entries); the pmap walks only the tables that exist ({@link pvm.hal.pmap.Pmap#nextMapped}),
     * so a wide gap costs little. The kernel object's pages were mapped by the boot with the HAL's
     * own attributes, so only their frames are checked.
     */
    static void checkPages(VmMap map, List<String> errors) {
        PageFrames frames = map.maps.pages().frames();
        MemObject kernel = map.maps.kernelObject();
        boolean kernelMap = map.isKernel();
        long ps = map.pageSize;
        for (MapEntry e = map.tree.first(); e != null; e = MapEntryTree.next(e)) {
            for (long va = e.vaddr; va < e.vaddr + e.size; va += ps) {
                PhysAddr pa = map.pmap.resolve(VirtAddr.of(va));
                if (pa.isNone()) {
                    continue;
                }
                // The boot's direct mapping of low memory (below the heap's top at _map_init) may
                // cover free frames and holes, as Phoenix's kernel segment does.
                boolean bootMapping = kernelMap && e.object == kernel && va < map.maps.bootTop();
                if (e.object != MemObject.PHYSMEM && (e.flags & MapFlags.DEVICE) == 0 && !bootMapping) {
                    int f = frames.find(pa.value());
                    // The boot may map the kernel object over memory that is not RAM (devices).
                    if ((f == PageFrames.NONE && e.object != kernel) || (f != PageFrames.NONE && frames.isFree(f))) {
                        errors.add(String.format("%s: page 0x%x maps %s, which is %s: %s", map, va, pa,
                                f == PageFrames.NONE ? "not RAM" : "a free frame", e));
                    }
                }
                if (e.object != kernel) {
                    int attr = map.pmap.attributes(VirtAddr.of(va));
                    int allowed = MapAttr.protToAttr(e.prot) | MapAttr.flagsToAttr(e.flags) | Attr.PRESENT;
                    int beyond = attr & ~allowed & (Attr.WRITE | Attr.USER | Attr.EXEC);
                    if (beyond != 0) {
                        errors.add(String.format("%s: page 0x%x has attributes 0x%x beyond the entry's %s: %s", map, va, attr,
                                Prot.letters(e.prot), e));
                    }
                }
                if (errors.size() > MAX_ERRORS) {
                    return;
                }
            }
        }
        if (!kernelMap) {
            long gap = map.start;
            for (MapEntry e = map.tree.first(); e != null; e = MapEntryTree.next(e)) {
                checkGap(map, gap, e.vaddr, errors);
                gap = e.vaddr + e.size;
            }
            checkGap(map, gap, map.stop, errors);
        }
    }

    /** No page of {@code [from, to)}, a gap between entries, is present. */
    private static void checkGap(VmMap map, long from, long to, List<String> errors) {
        VirtAddr end = VirtAddr.of(to);
        for (long va = from; va < to && errors.size() <= MAX_ERRORS; va += map.pageSize) {
            va = map.pmap.nextMapped(VirtAddr.of(va), end).value();
            if (va < to) {
                errors.add(String.format("%s: page 0x%x outside every entry maps %s", map, va, map.pmap.resolve(VirtAddr.of(va))));
            }
        }
    }
}
