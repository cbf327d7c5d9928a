package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pvm.hal.pmap.Errno;

/**
 * The tree's fast paths (neighbour links instead of climbing, the second augment of a pair stopping
 * early, the finger in {@link MapEntryTree#find}, the insert placed beside a remembered entry)
 * against {@link ReferenceEntryTree}, the tree as it was without them. The same seeded operations go
 * to both: findFree-then-insert as a mapping does, inserts at random places, removals, lookups,
 * in-place growth and splits followed by augments as the map code does them. After every step the
 * two trees must have the same shape, colours and gaps, and answer alike.
 */
class MapEntryTreeFastPathTest {

    private static final long PS = 0x1000;
    private static final long START = 0x10_0000L;
    private static final long PAGES = 1024;
    private static final long STOP = START + PAGES * PS;
    private static final int STEPS = 2000;

    private final List<MapEntry> fast = new ArrayList<>();
    private final List<MapEntry> ref = new ArrayList<>();
    private final List<Integer> live = new ArrayList<>();

    /** The same entry in both trees: the fast tree's and the reference's, with one slot number. */
    private int pair(long vaddr, long size) {
        int slot = fast.size();
        MapEntry a = new MapEntry(slot);
        MapEntry b = new MapEntry(slot);
        a.vaddr = b.vaddr = vaddr;
        a.size = b.size = size;
        fast.add(a);
        ref.add(b);
        return slot;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 0x5eed, 20261121})
    void theFastTreeIsTheReferenceTree(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        MapEntryTree a = new MapEntryTree(START, STOP);
        ReferenceEntryTree b = new ReferenceEntryTree(START, STOP);
        for (int step = 0; step < STEPS; step++) {
            String at = "seed " + seed + " step " + step + ": ";
            int op = rnd.nextInt(100);
            if (op < 35) {
                // A mapping: find room from a hint (often the bottom, as mmap(NULL) does), then insert there.
                long hint = rnd.nextInt(3) == 0 ? START + rnd.nextLong(PAGES) * PS : 0;
                long size = (1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 64 : 3)) * PS;
                MapEntryTree.Room room = a.findRoom(hint, size);
                long va = room == null ? MapEntryTree.NONE : room.vaddr();
                long vb = b.findFree(hint, size);
                assertEquals(vb, va, at + "findFree");
                if (room != null) {
                    assertEquals(slot(b.foundPrev), slot(room.prev()), at + "foundPrev");
                    assertEquals(slot(b.foundNext), slot(room.next()), at + "foundNext");
                }
                if (va != MapEntryTree.NONE) {
                    int s = pair(va, size);
                    assertEquals(Errno.EOK, a.insert(fast.get(s)), at + "insert");
                    assertEquals(Errno.EOK, b.insert(ref.get(s)), at + "reference insert");
                    live.add(s);
                }
            } else if (op < 50) {
                // An insert anywhere (it may overlap, and the remembered entries may be far away).
                long va = START + rnd.nextLong(PAGES - 8) * PS;
                int s = pair(va, (1 + rnd.nextInt(4)) * PS);
                int ra = a.insert(fast.get(s));
                assertEquals(b.insert(ref.get(s)), ra, at + "insert at 0x" + Long.toHexString(va));
                if (ra == Errno.EOK) {
                    live.add(s);
                }
            } else if (op < 75 && !live.isEmpty()) {
                int s = live.remove(rnd.nextInt(live.size()));
                a.remove(fast.get(s));
                b.remove(ref.get(s));
            } else if (op < 88) {
                long va = START + rnd.nextLong(PAGES) * PS;
                long size = (1 + rnd.nextInt(3)) * PS;
                if (rnd.nextBoolean() && !live.isEmpty()) {
                    // The lookup the finger serves: inside an entry just touched.
                    MapEntry e = fast.get(live.get(live.size() - 1));
                    va = e.vaddr;
                    size = PS;
                }
                assertEquals(slot(b.find(va, size)), slot(a.find(va, size)), at + "find");
            } else if (!live.isEmpty()) {
                int s = live.get(rnd.nextInt(live.size()));
                if (rnd.nextBoolean()) {
                    grow(a, fast, s);
                    growReference(b, ref, s);
                } else if (fast.get(s).size >= 2 * PS) {
                    long len = (1 + rnd.nextLong(fast.get(s).size / PS - 1)) * PS;
                    int n = pair(0, 0);
                    split(a, fast.get(s), fast.get(n), len);
                    splitReference(b, ref.get(s), ref.get(n), len);
                    live.add(n);
                }
            }
            assertEquals(b.size(), a.size(), at + "size");
            assertSameShape(at, a.root(), b.root(), null);
            if (step % 20 == 0 || step == STEPS - 1) {
                // The full checker (its neighbour links too) is linear in the entries: now and then.
                List<String> errors = MapVerify.checkTree("tree", a);
                assertTrue(errors.isEmpty(), at + errors);
            }
        }
    }

    /** MapMap's left merge, by hand: the entry grows into the free pages after it. */
    private static void grow(MapEntryTree t, List<MapEntry> entries, int s) {
        MapEntry e = entries.get(s);
        MapEntry next = MapEntryTree.next(e);
        long room = (next == null ? t.stop() : next.vaddr) - e.vaddr - e.size;
        if (room < PS) {
            return;
        }
        e.size += PS;
        e.rmaxgap -= PS;
        if (next != null) {
            next.lmaxgap -= PS;
            t.augment(next);
        }
        t.augment(e);
    }

    private static void growReference(ReferenceEntryTree t, List<MapEntry> entries, int s) {
        MapEntry e = entries.get(s);
        MapEntry next = ReferenceEntryTree.next(e);
        long room = (next == null ? t.stop() : next.vaddr) - e.vaddr - e.size;
        if (room < PS) {
            return;
        }
        e.size += PS;
        e.rmaxgap -= PS;
        if (next != null) {
            next.lmaxgap -= PS;
            t.augment(next);
        }
        t.augment(e);
    }

    /** {@code VmMap.entrySplit}, by hand: {@code e} keeps its first {@code len} bytes, {@code n} takes the rest. */
    private static void split(MapEntryTree t, MapEntry e, MapEntry n, long len) {
        n.vaddr = e.vaddr + len;
        n.size = e.size - len;
        e.size = len;
        e.rmaxgap = 0;
        t.augment(e);
        assertEquals(Errno.EOK, t.insert(n));
    }

    private static void splitReference(ReferenceEntryTree t, MapEntry e, MapEntry n, long len) {
        n.vaddr = e.vaddr + len;
        n.size = e.size - len;
        e.size = len;
        e.rmaxgap = 0;
        t.augment(e);
        assertEquals(Errno.EOK, t.insert(n));
    }

    private static int slot(MapEntry e) {
        return e == null ? -1 : e.slot;
    }

    private static void assertSameShape(String at, MapEntry a, MapEntry b, MapEntry parent) {
        if (a == null || b == null) {
            assertEquals(slot(b), slot(a), at + "child of " + parent);
            return;
        }
        String where = at + "entry " + b.slot;
        assertEquals(b.slot, a.slot, where);
        assertEquals(b.red, a.red, where + " colour");
        assertEquals(b.vaddr, a.vaddr, where + " vaddr");
        assertEquals(b.size, a.size, where + " size");
        assertEquals(b.lmaxgap, a.lmaxgap, where + " lmaxgap");
        assertEquals(b.rmaxgap, a.rmaxgap, where + " rmaxgap");
        assertEquals(slot(b.parent), slot(a.parent), where + " parent");
        assertSameShape(at, a.left, b.left, a);
        assertSameShape(at, a.right, b.right, a);
    }
}
