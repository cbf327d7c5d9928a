package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Errno;

/** The augmented red-black tree and {@code _map_find}, against brute force. */
class MapEntryTreeTest {

    private static final long PS = 0x1000;
    private static final long START = 0x1000;
    private static final long STOP = 0x1000_0000L;

    private int slots;

    private MapEntry entry(long vaddr, long size) {
        MapEntry e = new MapEntry(slots++);
        e.vaddr = vaddr;
        e.size = size;
        return e;
    }

    private static void assertValid(MapEntryTree tree, String context) {
        List<String> errors = MapVerify.checkTree("tree", tree);
        assertTrue(errors.isEmpty(), context + ": " + errors);
    }

    /** Random inserts and removals; after each the tree is a valid RB tree with exact gaps. */
    @Test
    void randomInsertAndRemoveKeepRbRulesAndGaps() {
        for (long seed = 1; seed <= 12; seed++) {
            Random rnd = new Random(seed);
            MapEntryTree tree = new MapEntryTree(START, START + 512 * PS);
            TreeMap<Long, MapEntry> model = new TreeMap<>();
            for (int step = 0; step < 1500; step++) {
                String ctx = "seed " + seed + " step " + step;
                if (model.isEmpty() || rnd.nextInt(100) < 55) {
                    long v = START + rnd.nextInt(512) * PS;
                    long size = (1 + rnd.nextInt(4)) * PS;
                    if (v + size > START + 512 * PS) {
                        continue;
                    }
                    MapEntry e = entry(v, size);
                    boolean overlaps = overlapsAny(model, v, size);
                    int r = tree.insert(e);
                    assertEquals(overlaps ? Errno.EEXIST : Errno.EOK, r, ctx);
                    if (!overlaps) {
                        model.put(v, e);
                    }
                } else {
                    List<MapEntry> all = new ArrayList<>(model.values());
                    MapEntry e = all.get(rnd.nextInt(all.size()));
                    tree.remove(e);
                    model.remove(e.vaddr);
                }
                assertValid(tree, ctx);
                assertEquals(model.size(), tree.size(), ctx);
                List<MapEntry> inOrder = new ArrayList<>();
                for (MapEntry e = tree.first(); e != null; e = MapEntryTree.next(e)) {
                    inOrder.add(e);
                }
                assertEquals(new ArrayList<>(model.values()), inOrder, ctx);
            }
        }
    }

    private static boolean overlapsAny(TreeMap<Long, MapEntry> model, long v, long size) {
        Map.Entry<Long, MapEntry> below = model.floorEntry(v + size - 1);
        return below != null && below.getValue().vaddr + below.getValue().size > v;
    }

    @Test
    void prevAndNextWalkBothWays() {
        MapEntryTree tree = new MapEntryTree(START, STOP);
        for (int i = 0; i < 100; i++) {
            tree.insert(entry(START + (i * 7 % 100) * 2 * PS, PS));
        }
        MapEntry e = MapEntryTree.maximum(tree.root());
        int n = 0;
        long last = Long.MAX_VALUE;
        for (; e != null; e = MapEntryTree.prev(e)) {
            assertTrue(e.vaddr < last);
            last = e.vaddr;
            n++;
        }
        assertEquals(100, n);
    }

    @Test
    void findReturnsAnOverlappingEntry() {
        MapEntryTree tree = new MapEntryTree(START, STOP);
        MapEntry a = entry(0x10000, 0x3000);
        MapEntry b = entry(0x20000, 0x1000);
        tree.insert(a);
        tree.insert(b);
        assertSame(a, tree.find(0x12000, 0x1000));
        assertSame(a, tree.find(0xf000, 0x2000));
        assertNull(tree.find(0x13000, 0xd000));
        assertSame(b, tree.find(0x13000, 0xe000));
    }

    /** Brute force: the lowest address at or above the hint (and start) where the range is free. */
    private static long firstFit(TreeMap<Long, MapEntry> model, long start, long stop, long vaddr, long size) {
        if (stop < size || stop - size < vaddr) {
            return MapEntryTree.NONE;
        }
        long cand = Math.max(vaddr, start);
        for (MapEntry e : model.values()) {
            if (e.vaddr + e.size <= cand) {
                continue;
            }
            if (cand + size <= e.vaddr) {
                return cand;
            }
            cand = e.vaddr + e.size;
        }
        return cand + size <= stop ? cand : MapEntryTree.NONE;
    }

    @Test
    void findFreeIsFirstFitFromTheHint() {
        for (long seed = 100; seed < 140; seed++) {
            Random rnd = new Random(seed);
            long stop = START + (64 + rnd.nextInt(400)) * PS;
            MapEntryTree tree = new MapEntryTree(START, stop);
            TreeMap<Long, MapEntry> model = new TreeMap<>();
            int n = rnd.nextInt(120);
            for (int i = 0; i < n; i++) {
                long v = START + rnd.nextInt((int) ((stop - START) / PS)) * PS;
                long size = (1 + rnd.nextInt(3)) * PS;
                if (v + size <= stop && !overlapsAny(model, v, size)) {
                    MapEntry e = entry(v, size);
                    tree.insert(e);
                    model.put(v, e);
                }
            }
            assertValid(tree, "seed " + seed);
            for (int q = 0; q < 400; q++) {
                long hint = rnd.nextInt(4) == 0 ? 0 : rnd.nextLong(stop + 4 * PS);
                long size = (1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 40)) * PS;
                long expect = firstFit(model, START, stop, hint, size);
                MapEntryTree.Room room = tree.findRoom(hint, size);
                long got = room == null ? MapEntryTree.NONE : room.vaddr();
                String ctx = String.format("seed %d query %d: hint 0x%x size 0x%x", seed, q, hint, size);
                assertEquals(expect, got, ctx);
                assertEquals(got, tree.findFree(hint, size), ctx + " findFree");
                if (room != null) {
                    Map.Entry<Long, MapEntry> p = model.lowerEntry(got);
                    Map.Entry<Long, MapEntry> nx = model.ceilingEntry(got);
                    assertSame(p == null ? null : p.getValue(), room.prev(), ctx + " prev");
                    assertSame(nx == null ? null : nx.getValue(), room.next(), ctx + " next");
                }
            }
        }
    }

    @Test
    void findFreeOnAnEmptyTreeAndAtTheEdges() {
        MapEntryTree tree = new MapEntryTree(START, STOP);
        assertEquals(START, tree.findFree(0, PS));
        assertEquals(0x5000, tree.findFree(0x5000, PS));
        assertEquals(STOP - PS, tree.findFree(STOP - PS, PS));
        assertEquals(MapEntryTree.NONE, tree.findFree(STOP - PS, 2 * PS));
        assertEquals(MapEntryTree.NONE, tree.findFree(0, STOP + PS));
        tree.insert(entry(START, STOP - START));
        assertEquals(MapEntryTree.NONE, tree.findFree(0, PS));
    }

    /** 100 000 entries: the tree stays balanced and a search visits O(log n) nodes. */
    @Test
    void findFreeStaysLogarithmicAtOneHundredThousandEntries() {
        int n = 100_000;
        long stop = START + (2L * n + 10) * PS;
        MapEntryTree tree = new MapEntryTree(START, stop);
        MapEntry[] all = new MapEntry[n];
        // Every other page mapped, so each gap is one page.
        for (int i = 0; i < n; i++) {
            all[i] = entry(START + 2L * i * PS, PS);
            assertEquals(Errno.EOK, tree.insert(all[i]));
        }
        assertValid(tree, "after inserts");
        int height = height(tree.root());
        assertTrue(height <= 2 * (Math.log(n + 1) / Math.log(2)), "height " + height);
        Random rnd = new Random(7);
        int worst = 0;
        for (int q = 0; q < 2000; q++) {
            long hint = START + rnd.nextLong(stop - START);
            tree.findFree(hint, PS);
            worst = Math.max(worst, tree.findSteps);
            tree.findFree(hint, 2 * PS); // room only at the end: the climb path
            worst = Math.max(worst, tree.findSteps);
        }
        assertTrue(worst <= 4 * 17 + 4, "a search took " + worst + " steps");
        // Removing every other entry keeps it valid.
        for (int i = 0; i < n; i += 2) {
            tree.remove(all[i]);
        }
        assertValid(tree, "after removals");
    }

    private static int height(MapEntry n) {
        return n == null ? 0 : 1 + Math.max(height(n.left), height(n.right));
    }
}
