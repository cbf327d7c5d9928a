package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** {@code vm_mprotect}: validation first, then splits, merges and re-entered pages. */
class MprotectTest {

    static final int RW = MmapTest.RW;
    static final int RO = MmapTest.RO;
    static final long P = MmapTest.P;
    static final long BASE = MmapTest.BASE;

    private static void clean(TestMachine m) {
        List<String> errors = m.verify();
        assertTrue(errors.isEmpty(), errors.toString());
    }

    private static int attr(VmMap map, long va) {
        return map.pmap.attributes(VirtAddr.of(va));
    }

    @Test
    void badArgumentsHolesAndExcessRightsChangeNothing() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 4 * P, RW, null);
        m.anonFixed(map, BASE + 5 * P, 2 * P, RO, null);
        Snapshot before = Snapshot.of(m);
        assertEquals("EINVAL", map.mprotect(VirtAddr.of(BASE + 1), Size.of(P), RO).getLeft().errno());
        assertEquals("EINVAL", map.mprotect(VirtAddr.of(BASE), Size.of(P + 7), RO).getLeft().errno());
        assertEquals("EINVAL", map.mprotect(VirtAddr.of(BASE), Size.of(0), RO).getLeft().errno());
        assertEquals("EINVAL", map.mprotect(VirtAddr.of(BASE), Size.of(P), 0x100).getLeft().errno());
        assertEquals("ENOMEM", map.mprotect(VirtAddr.of(BASE + 2 * P), Size.of(4 * P), Prot.USER).getLeft().errno());
        assertEquals("ENOMEM", map.mprotect(VirtAddr.of(BASE + 100 * P), Size.of(P), RO).getLeft().errno());
        assertEquals("ENOMEM", map.mprotect(VirtAddr.of(BASE + P), Size.of(Long.MAX_VALUE - P + 1 - BASE), RO).getLeft().errno());
        assertEquals("EACCES", map.mprotect(VirtAddr.of(BASE + 5 * P), Size.of(P), RW).getLeft().errno());
        assertEquals("EACCES", map.mprotect(VirtAddr.of(BASE), Size.of(P), RW | Prot.EXEC).getLeft().errno());
        assertEquals(before, Snapshot.of(m));
        clean(m);
    }

    @Test
    void theMiddleOfAnEntrySplitsAndItsPresentPagesChange() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 6 * P, RW, MmapTest.LAZY);
        m.write(map, BASE + 2 * P, 42, RW);
        map.mprotect(VirtAddr.of(BASE + 2 * P), Size.of(2 * P), RO).get();
        assertEquals(3, map.entryCount());
        assertEquals(List.of(RW, RO, RW), map.entries().stream().map(EntryInfo::prot).toList());
        assertEquals(List.of(RW, RW, RW), map.entries().stream().map(EntryInfo::protOrig).toList());
        assertEquals(Attr.PRESENT | Attr.USER, attr(map, BASE + 2 * P));
        assertEquals(0, attr(map, BASE + 3 * P), "a page not present stays so");
        // A write now faults beyond the entry's protection.
        assertEquals(Errno.EINVAL, map.force(BASE + 2 * P, RW));
        assertEquals(42, m.read(map, BASE + 2 * P, RO));
        // Back to read-write. The page of private memory gets write permission from its next
        // write fault (the pager's decision: no copy, it is this entry's alone).
        map.mprotect(VirtAddr.of(BASE + 2 * P), Size.of(2 * P), RW).get();
        assertEquals(List.of(RW, RW, RW), map.entries().stream().map(EntryInfo::prot).toList());
        assertEquals(Attr.PRESENT | Attr.USER, attr(map, BASE + 2 * P));
        long pa = map.pmap.resolve(VirtAddr.of(BASE + 2 * P)).value();
        assertEquals(0, map.force(BASE + 2 * P, RW));
        assertEquals(Attr.PRESENT | Attr.WRITE | Attr.USER, attr(map, BASE + 2 * P));
        assertEquals(pa, map.pmap.resolve(VirtAddr.of(BASE + 2 * P)).value());
        clean(m);
    }

    @Test
    void aRangeOverSeveralEntriesChangesAllAndMergesWhatCanBeOne() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 8 * P, RW, MmapTest.LAZY);
        for (int i = 0; i < 8; i++) {
            m.write(map, BASE + i * P, i, RW);
        }
        // Three entries sharing one amap: RW | RO | RW.
        map.mprotect(VirtAddr.of(BASE + 3 * P), Size.of(2 * P), RO).get();
        assertEquals(3, map.entryCount());
        long poolFree = m.maps.pool().free();
        // Over all three, from inside the first to inside the last: Phoenix's loop would revisit the
        // first entry and free it; here the three become one, plus the two split-off ends.
        map.mprotect(VirtAddr.of(BASE + P), Size.of(6 * P), RO).get();
        assertEquals(List.of(RW, RO, RW), map.entries().stream().map(EntryInfo::prot).toList());
        assertEquals(List.of(P, 6 * P, P), map.entries().stream().map(e -> e.size().bytes()).toList());
        assertEquals(poolFree, m.maps.pool().free());
        for (int i = 0; i < 8; i++) {
            assertEquals(i, m.read(map, BASE + i * P, RO));
            int expect = i == 0 || i == 7 ? Attr.PRESENT | Attr.WRITE | Attr.USER : Attr.PRESENT | Attr.USER;
            assertEquals(expect, attr(map, BASE + i * P), "page " + i);
        }
        clean(m);
    }

    @Test
    void entriesWithDifferentAmapsAreNotMerged() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 20 * P, RW, MmapTest.LAZY);
        m.write(map, BASE, 1, RW); // amap of 20 slots
        m.anonFixed(map, BASE + 20 * P, 2 * P, RW, MmapTest.LAZY); // no room in it: own entry
        m.write(map, BASE + 20 * P, 2, RW);
        assertEquals(2, map.entryCount());
        assertNotEquals(map.tree.find(BASE, P).amap, map.tree.find(BASE + 20 * P, P).amap);
        map.mprotect(VirtAddr.of(BASE), Size.of(22 * P), RO).get();
        assertEquals(List.of(RO, RO), map.entries().stream().map(EntryInfo::prot).toList());
        assertEquals(1, m.read(map, BASE, RO));
        assertEquals(2, m.read(map, BASE + 20 * P, RO));
        clean(m);
    }

    @Test
    void anEmptyPoolForTheSplitsIsEnomemAndChangesNothing() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 6 * P, RW, null);
        List<MapEntry> taken = m.drainPoolBut(1);
        Snapshot before = Snapshot.of(m);
        assertEquals("ENOMEM", map.mprotect(VirtAddr.of(BASE + 2 * P), Size.of(2 * P), RO).getLeft().errno());
        assertEquals(before, Snapshot.of(m));
        // One split needs one entry.
        map.mprotect(VirtAddr.of(BASE + 4 * P), Size.of(2 * P), RO).get();
        assertEquals(0, m.maps.pool().free());
        // A whole entry needs none.
        map.mprotect(VirtAddr.of(BASE + 4 * P), Size.of(2 * P), Prot.READ).get();
        m.returnEntries(taken);
        clean(m);
    }

    @Test
    void protNoneMakesPagesAbsent() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 2 * P, RW, null);
        m.write(map, BASE, 9, RW);
        map.mprotect(VirtAddr.of(BASE), Size.of(2 * P), Prot.NONE).get();
        assertTrue(map.pmap.resolve(VirtAddr.of(BASE)).isNone());
        assertEquals(Errno.EINVAL, map.force(BASE, RO));
        map.mprotect(VirtAddr.of(BASE), Size.of(2 * P), RO).get();
        assertEquals(9, m.read(map, BASE, RO), "the anon kept the page");
        clean(m);
    }

    @Test
    void aPageStillToBeCopiedStaysReadOnlyForALazyOwnerAndIsCopiedForOthers() {
        TestMachine m = TestMachine.mmu();
        VmMap parent = m.process();
        m.anonFixed(parent, BASE, 2 * P, RW, null);
        m.write(parent, BASE, 5, RW);
        m.write(parent, BASE + P, 6, RW);
        parent.mprotect(VirtAddr.of(BASE), Size.of(2 * P), RO).get();

        // Lazy child: both sides' pages are read-only and marked copy-on-write.
        VmMap lazyChild = m.process();
        m.maps.copy(MmapTest.LAZY, lazyChild, parent, true).get();
        lazyChild.mprotect(VirtAddr.of(BASE), Size.of(2 * P), RW, MmapTest.LAZY).get();
        assertEquals(MapFlags.NEEDSCOPY, lazyChild.tree.find(BASE, P).flags & MapFlags.NEEDSCOPY);
        assertEquals(0, attr(lazyChild, BASE) & Attr.WRITE);
        clean(m);

        // An eager child of anonymous memory took a private amap when its fork populated it (a
        // read fault of a marked entry), so no mark is left; its pages stay shared and read-only,
        // and only a write fault copies one.
        VmMap eagerChild = m.process();
        m.maps.copy(null, eagerChild, parent, false).get();
        assertEquals(0, eagerChild.tree.find(BASE, P).flags & MapFlags.NEEDSCOPY);
        assertEquals(parent.pmap.resolve(VirtAddr.of(BASE)), eagerChild.pmap.resolve(VirtAddr.of(BASE)));
        long free = m.pages.freeBytes();
        eagerChild.mprotect(VirtAddr.of(BASE), Size.of(2 * P), RW, null).get();
        assertEquals(Attr.PRESENT | Attr.USER, attr(eagerChild, BASE + P), "shared: write waits for the fault");
        assertEquals(free, m.pages.freeBytes());
        m.write(eagerChild, BASE, 50, RW);
        assertEquals(free - P, m.pages.freeBytes(), "one page copied");
        assertEquals(5, m.read(parent, BASE, RO));
        assertEquals(5, m.read(lazyChild, BASE, RO));
        clean(m);
    }

    /**
     * A private file mapping not written yet keeps its mark through an eager fork; raising it to
     * write copies every page now.
     */
    @Test
    void aMarkedEntryOfAnEagerOwnerIsCopiedWhenMadeWritable() {
        TestMachine m = TestMachine.mmu();
        VmMap parent = m.process();
        TestPager.TestObject file = m.pager.object(4 * P);
        parent.mmap(VirtAddr.of(BASE), pvm.hal.pmap.Frame.NONE, Size.of(2 * P), RW, file, 0, MapFlags.NEEDSCOPY, MmapTest.LAZY).get();
        parent.mprotect(VirtAddr.of(BASE), Size.of(2 * P), RO).get();
        VmMap child = m.process();
        m.maps.copy(null, child, parent, false).get();
        MapEntry e = child.tree.find(BASE, P);
        assertEquals(MapFlags.NEEDSCOPY, e.flags & MapFlags.NEEDSCOPY);
        long filePage = m.pages.frames().addr(file.pages.get(0L));
        assertEquals(filePage, child.pmap.resolve(VirtAddr.of(BASE)).value());
        long free = m.pages.freeBytes();
        child.mprotect(VirtAddr.of(BASE), Size.of(2 * P), RW, null).get();
        assertEquals(0, e.flags & MapFlags.NEEDSCOPY);
        assertEquals(free - 2 * P, m.pages.freeBytes(), "both pages copied");
        assertEquals(Attr.PRESENT | Attr.WRITE | Attr.USER, attr(child, BASE + P));
        m.write(child, BASE, 50, RW);
        assertEquals(TestPager.pattern(file, 0), m.hal.memory().read64(filePage));
        clean(m);
    }
}
