package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** {@code _vm_munmap}: whole entries, heads, tails, middles, spans; anons and pages let go. */
class MunmapTest {

    static final int RW = MmapTest.RW;
    static final long P = MmapTest.P;
    static final long BASE = MmapTest.BASE;

    private static void clean(TestMachine m) {
        List<String> errors = m.verify();
        assertTrue(errors.isEmpty(), errors.toString());
    }

    /** An eager 8-page mapping whose page i holds the value i. */
    private static VmMap eight(TestMachine m) {
        VmMap map = m.process();
        m.anonFixed(map, BASE, 8 * P, RW, null);
        for (int i = 0; i < 8; i++) {
            m.write(map, BASE + i * P, i, RW);
        }
        return map;
    }

    @Test
    void headTailMiddleAndWhole() {
        TestMachine m = TestMachine.mmu();
        VmMap map = eight(m);
        long free = m.pages.freeBytes();
        MapEntry e = map.tree.find(BASE, P);

        map.munmap(VirtAddr.of(BASE), Size.of(P)).get(); // head
        assertEquals(BASE + P, e.vaddr);
        assertEquals(P, e.aoffs);
        assertEquals(free + P, m.pages.freeBytes());
        clean(m);

        map.munmap(VirtAddr.of(BASE + 7 * P), Size.of(P)).get(); // tail
        assertEquals(6 * P, e.size);
        clean(m);

        map.munmap(VirtAddr.of(BASE + 3 * P), Size.of(2 * P)).get(); // middle: split in two
        assertEquals(2, map.entryCount());
        MapEntry right = map.tree.find(BASE + 5 * P, P);
        assertSame(e.amap, right.amap);
        assertEquals(5 * P, right.aoffs);
        assertEquals(2 * P, right.size);
        assertEquals(free + 4 * P, m.pages.freeBytes());
        assertEquals(6, m.read(map, BASE + 6 * P, MmapTest.RO));
        assertEquals(2, m.read(map, BASE + 2 * P, MmapTest.RO));
        assertTrue(map.pmap.resolve(VirtAddr.of(BASE + 3 * P)).isNone());
        clean(m);

        map.munmap(VirtAddr.of(BASE + 5 * P), Size.of(2 * P)).get(); // whole entry
        assertEquals(1, map.entryCount());
        clean(m);
    }

    @Test
    void aRangeOverSeveralEntriesAndHoles() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        long free = m.pages.freeBytes();
        long pool = m.maps.pool().free();
        m.anonFixed(map, BASE, 3 * P, RW, null);
        m.anonFixed(map, BASE + 4 * P, 2 * P, MmapTest.RO, null);
        m.anonFixed(map, BASE + 7 * P, 3 * P, RW, null);
        map.munmap(VirtAddr.of(BASE + P), Size.of(8 * P)).get();
        assertEquals(2, map.entryCount());
        assertEquals(P, map.entries().get(0).size().bytes());
        assertEquals(BASE + 9 * P, map.entries().get(1).vaddr().value());
        clean(m);
        map.munmap(VirtAddr.of(0x1000), Size.of(TestMachine.USER_STOP - 0x1000)).get();
        assertEquals(0, map.entryCount());
        assertEquals(pool, m.maps.pool().free());
        assertEquals(free - P, m.pages.freeBytes(), "only the page table stays");
        clean(m);
    }

    @Test
    void unmappingNothingSucceeds() {
        TestMachine m = TestMachine.mmu();
        VmMap map = eight(m);
        Snapshot before = Snapshot.of(m);
        map.munmap(VirtAddr.of(BASE + 100 * P), Size.of(4 * P)).get();
        assertEquals(before, Snapshot.of(m));
    }

    @Test
    void misalignedOrEmptyIsEinval() {
        TestMachine m = TestMachine.mmu();
        VmMap map = eight(m);
        Snapshot before = Snapshot.of(m);
        assertEquals("EINVAL", map.munmap(VirtAddr.of(BASE + 1), Size.of(P)).getLeft().errno());
        assertEquals("EINVAL", map.munmap(VirtAddr.of(BASE), Size.of(P - 1)).getLeft().errno());
        assertEquals("EINVAL", map.munmap(VirtAddr.of(BASE + P), Size.of(0)).getLeft().errno());
        assertEquals(before, Snapshot.of(m));
    }

    @Test
    void aRangeWhoseEndWrapsIsEinvalAndChangesNothing() {
        TestMachine m = TestMachine.mmu();
        VmMap map = eight(m);
        Snapshot before = Snapshot.of(m);
        assertEquals("EINVAL", map.munmap(VirtAddr.of(BASE + P), Size.of(Long.MAX_VALUE - P + 1 - BASE)).getLeft().errno());
        assertEquals(before, Snapshot.of(m));
        assertTrue(m.verify().isEmpty(), m.verify().toString());
    }

    @Test
    void aMiddleSplitWithAnEmptyPoolIsEnomemAndChangesNothing() {
        TestMachine m = TestMachine.mmu();
        VmMap map = eight(m);
        List<MapEntry> taken = m.drainPoolBut(0);
        Snapshot before = Snapshot.of(m);
        assertEquals("ENOMEM", map.munmap(VirtAddr.of(BASE + 2 * P), Size.of(P)).getLeft().errno());
        assertEquals(before, Snapshot.of(m));
        // Head and tail need no entry.
        map.munmap(VirtAddr.of(BASE), Size.of(P)).get();
        map.munmap(VirtAddr.of(BASE + 7 * P), Size.of(P)).get();
        assertEquals(1, map.entryCount());
        m.returnEntries(taken);
        clean(m);
    }

    @Test
    void anObjectMappingKeepsItsOffsetsWhenCut() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        TestPager.TestObject file = m.pager.object(32 * P);
        map.mmap(VirtAddr.of(BASE), pvm.hal.pmap.Frame.NONE, Size.of(6 * P), MmapTest.RO, file, 8 * P, 0, MmapTest.LAZY).get();
        map.munmap(VirtAddr.of(BASE + 2 * P), Size.of(P)).get();
        assertEquals(8 * P, map.entries().get(0).offs());
        assertEquals(11 * P, map.entries().get(1).offs());
        assertEquals(TestPager.pattern(file, 12 * P), m.read(map, BASE + 4 * P, MmapTest.RO));
        assertEquals(3, file.refs);
        map.munmap(VirtAddr.of(BASE), Size.of(6 * P)).get();
        assertEquals(1, file.refs);
        clean(m);
    }
}
