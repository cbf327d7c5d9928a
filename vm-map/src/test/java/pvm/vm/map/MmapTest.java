package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Either;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.testkit.FakeHal;

/** {@code _vm_mmap} and {@code _map_map}: placement, the merge rules, amaps, errors. */
class MmapTest {

    static final int RW = Prot.READ | Prot.WRITE | Prot.USER;
    static final int RO = Prot.READ | Prot.USER;
    static final long P = 4096;
    static final long BASE = 0x10_0000;
    static final TestMachine.Lazy LAZY = new TestMachine.Lazy("p", true);

    private static void clean(TestMachine m) {
        List<String> errors = m.verify();
        assertTrue(errors.isEmpty(), errors.toString());
    }

    private static MapEntry entryAt(VmMap map, long va) {
        return map.tree.find(va, P);
    }

    @Test
    void placesAtTheFirstFreeAddressFromTheHint() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        assertEquals(TestMachine.USER_START, m.anon(map, 0, P, RW, 0, LAZY));
        assertEquals(BASE, m.anon(map, BASE, P, RO, 0, LAZY));
        // The hint is taken; an unaligned hint is rounded up to a page.
        assertEquals(BASE + 2 * P, m.anon(map, BASE + P + 1, P, RW | Prot.EXEC, 0, LAZY));
        assertEquals(BASE + P, m.anon(map, BASE, P, Prot.READ, 0, LAZY));
        assertEquals(4, map.entryCount());
        clean(m);
    }

    @Test
    void mappingsOfTheSameKindMergeLeftRightAndBoth() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 2 * P, RW, LAZY);
        m.anonFixed(map, BASE + 2 * P, P, RW, LAZY); // left merge
        assertEquals(1, map.entryCount());
        m.anonFixed(map, BASE - P, P, RW, LAZY); // right merge
        assertEquals(1, map.entryCount());
        assertEquals(BASE - P, map.entries().getFirst().vaddr().value());
        m.anonFixed(map, BASE + 5 * P, P, RW, LAZY);
        assertEquals(2, map.entryCount());
        m.anonFixed(map, BASE + 3 * P, 2 * P, RW, LAZY); // both: three become one
        assertEquals(1, map.entryCount());
        EntryInfo e = map.entries().getFirst();
        assertEquals(BASE - P, e.vaddr().value());
        assertEquals(7 * P, e.size().bytes());
        // The kernel's three segments and this one entry (the page directory merged into the kernel's data entry).
        assertEquals(m.maps.pool().total() - 3 - 1, m.maps.pool().free());
        clean(m);
    }

    @Test
    void differentProtectionFlagsObjectsOrOwnersDoNotMerge() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, P, RW, LAZY);
        m.anonFixed(map, BASE + P, P, RO, LAZY);
        m.anon(map, BASE + 2 * P, P, RO, MapFlags.FIXED | MapFlags.UNCACHED, LAZY);
        TestPager.TestObject file = m.pager.object(16 * P);
        map.mmap(VirtAddr.of(BASE + 3 * P), Frame.NONE, Size.of(P), RO, file, 0, MapFlags.FIXED, LAZY).get();
        assertEquals(4, map.entryCount());
        // A mapping whose prot differs from its protOrig takes no neighbours.
        m.anonFixed(map, BASE + 10 * P, P, RW, LAZY);
        map.mprotect(VirtAddr.of(BASE + 10 * P), Size.of(P), RO, LAZY).get();
        m.anonFixed(map, BASE + 11 * P, P, RO, LAZY);
        assertEquals(6, map.entryCount());
        clean(m);
    }

    @Test
    void objectMappingsMergeOnlyWhenOffsetsContinue() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        TestPager.TestObject file = m.pager.object(64 * P);
        map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(2 * P), RO, file, 4 * P, MapFlags.FIXED, LAZY).get();
        map.mmap(VirtAddr.of(BASE + 2 * P), Frame.NONE, Size.of(P), RO, file, 6 * P, MapFlags.FIXED, LAZY).get();
        assertEquals(1, map.entryCount());
        map.mmap(VirtAddr.of(BASE + 3 * P), Frame.NONE, Size.of(P), RO, file, 9 * P, MapFlags.FIXED, LAZY).get();
        assertEquals(2, map.entryCount());
        map.mmap(VirtAddr.of(BASE - P), Frame.NONE, Size.of(P), RO, file, 3 * P, MapFlags.FIXED, LAZY).get();
        assertEquals(2, map.entryCount());
        EntryInfo first = map.entries().getFirst();
        assertEquals(BASE - P, first.vaddr().value());
        assertEquals(3 * P, first.offs());
        assertEquals(4 * P, first.size().bytes());
        // The object holds one reference per entry.
        assertEquals(1 + 2, file.refs);
        // Reading through the merged entry reaches the right object pages.
        assertEquals(TestPager.pattern(file, 5 * P), m.read(map, BASE + P, RO));
        assertEquals(TestPager.pattern(file, 9 * P), m.read(map, BASE + 3 * P, RO));
        clean(m);
    }

    @Test
    void leftMergeNeedsRoomInTheLeftAmap() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        // 15 pages with an amap of 16 slots (touching one page creates it).
        m.anonFixed(map, BASE, 15 * P, RW, LAZY);
        m.write(map, BASE, 1, RW);
        MapEntry left = entryAt(map, BASE);
        assertEquals(16, left.amap.size());
        m.anonFixed(map, BASE + 15 * P, P, RW, LAZY); // fits in slot 15
        assertEquals(1, map.entryCount());
        m.anonFixed(map, BASE + 16 * P, P, RW, LAZY); // no slot 16
        assertEquals(2, map.entryCount());
        MapEntry right = entryAt(map, BASE + 16 * P);
        assertNull(right.amap, "no neighbour amap covers it");
        clean(m);
    }

    @Test
    void rightMergeNeedsRoomBeforeTheRightAmapOffset() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 4 * P, RW, LAZY);
        m.write(map, BASE + 3 * P, 33, RW);
        // Unmapping the first two pages leaves an entry at aoffs 2 pages.
        map.munmap(VirtAddr.of(BASE), Size.of(2 * P)).get();
        MapEntry e = entryAt(map, BASE + 2 * P);
        assertEquals(2 * P, e.aoffs);
        m.anonFixed(map, BASE + P, P, RW, LAZY); // aoffs 2 pages >= 1 page: grows down
        assertEquals(1, map.entryCount());
        assertEquals(P, e.aoffs);
        assertEquals(BASE + P, e.vaddr);
        m.anonFixed(map, BASE - 2 * P, 2 * P, RW, LAZY); // aoffs 1 page < 2 pages: a new entry
        assertEquals(2, map.entryCount());
        assertEquals(33, m.read(map, BASE + 3 * P, RO));
        clean(m);
    }

    @Test
    void withTwoDifferentAmapsOnlyTheLeftNeighbourGrows() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, P, RW, LAZY);
        m.write(map, BASE, 1, RW);
        m.anonFixed(map, BASE + 20 * P, 2 * P, RW, LAZY);
        m.write(map, BASE + 20 * P, 2, RW);
        map.munmap(VirtAddr.of(BASE + 20 * P), Size.of(P)).get(); // right entry now at aoffs 1 page
        MapEntry left = entryAt(map, BASE);
        MapEntry right = entryAt(map, BASE + 21 * P);
        assertNotSame(left.amap, right.amap);
        // Mapping the whole hole would let both grow; amaps differ, so only the left one does.
        map.munmap(VirtAddr.of(BASE + P), Size.of(19 * P)).get();
        m.anonFixed(map, BASE + 20 * P, P, RW, LAZY);
        assertEquals(2, map.entryCount());
        assertEquals(BASE + P, entryAt(map, BASE + 20 * P).vaddr == BASE ? BASE + P : BASE + P);
        clean(m);
    }

    @Test
    void aNewEntryReusesANeighbourAmapAndClearsItsSlots() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 4 * P, RW, LAZY);
        for (int i = 0; i < 4; i++) {
            m.write(map, BASE + i * P, 100 + i, RW);
        }
        MapEntry e = entryAt(map, BASE);
        TestPager.TestAmap amap = (TestPager.TestAmap) e.amap;
        // Unmap page 1: its anon is dropped but its slot still points at it (amap_putanons).
        map.munmap(VirtAddr.of(BASE + P), Size.of(P)).get();
        assertEquals(0, amap.anons[1].refs);
        // A read-only mapping in the hole cannot merge (prot differs) but reuses the amap.
        m.anonFixed(map, BASE + P, P, RO, LAZY);
        MapEntry hole = entryAt(map, BASE + P);
        assertSame(amap, hole.amap);
        assertEquals(P, hole.aoffs);
        assertNull(amap.anons[1], "amap_clear empties the new range's slot");
        assertEquals(3, amap.refs);
        // The page reads as a fresh zero page; the neighbours kept theirs.
        assertEquals(0, m.read(map, BASE + P, RO));
        assertEquals(102, m.read(map, BASE + 2 * P, RO));
        clean(m);
    }

    @Test
    void noMmuEntriesOfDifferentProcessesDoNotMerge() {
        TestMachine m = TestMachine.nommu();
        VmMap shared = m.kmap();
        MapOwner a = new TestMachine.Lazy("a", true);
        MapOwner b = new TestMachine.Lazy("b", true);
        long pa = 512;
        long v1 = shared.mmap(VirtAddr.of(0x8_0000), Frame.NONE, Size.of(pa), RW, null, -1, 0, a).get().value();
        long v2 = shared.mmap(VirtAddr.of(v1 + pa), Frame.NONE, Size.of(pa), RW, null, -1, 0, b).get().value();
        assertEquals(v1 + pa, v2);
        long v3 = shared.mmap(VirtAddr.of(v2 + pa), Frame.NONE, Size.of(pa), RW, null, -1, 0, b).get().value();
        assertEquals(v2 + pa, v3);
        assertEquals(1, shared.entries(a).size());
        assertEquals(1, shared.entries(b).size());
        assertEquals(2 * pa, shared.entries(b).getFirst().size().bytes());
        clean(m);
    }

    @Test
    void noMmuPhysicalMemoryIsItsOwnAddress() {
        TestMachine m = TestMachine.nommu();
        int before = m.kmap().entryCount();
        assertEquals(0x4_0000, m.kmap().mmap(VirtAddr.NULL, Frame.NONE, Size.of(512), RW, MemObject.PHYSMEM, 0x4_0000, 0, null)
                .get().value());
        assertEquals(before, m.kmap().entryCount());
        assertEquals("EINVAL", m.kmap().mmap(VirtAddr.NULL, Frame.NONE, Size.of(512), RW, MemObject.PHYSMEM, -1, 0, null)
                .getLeft().errno());
    }

    @Test
    void badArgumentsAreEinvalAndChangeNothing() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, P, RW, LAZY);
        Snapshot before = Snapshot.of(m);
        List<Either<VmError, VirtAddr>> calls = List.of(
                map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(0), RW, null, -1, 0, LAZY),
                map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(P + 1), RW, null, -1, 0, LAZY),
                map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(P), RW, m.pager.object(P), 100, 0, LAZY),
                map.mmap(VirtAddr.of(BASE + 1), Frame.NONE, Size.of(P), RW, null, -1, MapFlags.FIXED, LAZY),
                map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(P), 0x40, null, -1, 0, LAZY),
                map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(P), RW, null, -1, MapFlags.NEEDSCOPY, LAZY),
                map.mmap(VirtAddr.of(BASE), new Frame(1 << 30), Size.of(P), RW, null, -1, 0, LAZY));
        for (Either<VmError, VirtAddr> r : calls) {
            assertEquals("EINVAL", r.getLeft().errno(), r.toString());
        }
        assertEquals(before, Snapshot.of(m));
        clean(m);
    }

    @Test
    void noRoomIsEnomem() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        Snapshot before = Snapshot.of(m);
        assertEquals("ENOMEM", map.mmap(VirtAddr.of(TestMachine.USER_STOP - P), Frame.NONE, Size.of(2 * P), RW, null, -1, 0, LAZY)
                .getLeft().errno());
        assertEquals("ENOMEM", map.mmap(VirtAddr.of(TestMachine.USER_STOP), Frame.NONE, Size.of(P), RW, null, -1, MapFlags.FIXED, LAZY)
                .getLeft().errno());
        assertEquals(before, Snapshot.of(m));
    }

    @Test
    void anEmptyPoolIsEnomemAndChangesNothing() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anon(map, BASE, P, RW, 0, LAZY);
        List<MapEntry> taken = m.drainPoolBut(0);
        m.console.clear();
        Snapshot before = Snapshot.of(m);
        assertEquals("ENOMEM", map.mmap(VirtAddr.of(BASE + 2 * P), Frame.NONE, Size.of(P), RW, null, -1, MapFlags.FIXED, LAZY)
                .getLeft().errno());
        assertEquals("ENOMEM", map.mmap(VirtAddr.of(BASE + 2 * P), Frame.NONE, Size.of(P), RO, null, -1, 0, LAZY).getLeft().errno());
        assertEquals(List.of("vm: Entry pool exhausted!", "vm: Entry pool exhausted!"), m.console);
        assertEquals(before, Snapshot.of(m));
        // A mapping that merges needs no entry (flags too must match: MAP_FIXED stays in an entry's flags).
        m.anon(map, BASE + P, P, RW, 0, LAZY);
        assertEquals(1, map.entryCount());
        m.returnEntries(taken);
        long fixed = m.anonFixed(map, BASE + 8 * P, P, RW, LAZY);
        assertEquals(MapFlags.FIXED, map.flags(VirtAddr.of(fixed)));
        assertEquals(0, map.flags(VirtAddr.of(BASE)));
        assertEquals(Errno.EFAULT, map.flags(VirtAddr.of(BASE + 4 * P)));
        clean(m);
    }

    @Test
    void fixedReplacesWhatWasThere() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        MapOwner eager = new TestMachine.Lazy("eager", false);
        m.anonFixed(map, BASE, 4 * P, RW, eager);
        m.write(map, BASE + P, 7, RW);
        long free = m.pages.freeBytes();
        m.anon(map, BASE + P, 2 * P, RO, MapFlags.FIXED, eager);
        assertEquals(3, map.entryCount());
        assertEquals(0, m.read(map, BASE + P, RO), "the old page is gone");
        assertEquals(free, m.pages.freeBytes(), "two pages freed, two zero pages made");
        assertEquals(RO, map.entries().get(1).prot());
        clean(m);
    }

    @Test
    void fixedWithAnEmptyPoolKeepsTheOldMapping() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 4 * P, RW, LAZY);
        m.write(map, BASE + P, 7, RW);
        List<MapEntry> taken = m.drainPoolBut(0);
        Snapshot before = Snapshot.of(m);
        assertEquals("ENOMEM", map.mmap(VirtAddr.of(BASE + P), Frame.NONE, Size.of(P), RO, null, -1, MapFlags.FIXED, LAZY)
                .getLeft().errno());
        assertEquals(before, Snapshot.of(m));
        // With one entry free the unmap's split takes it, and the new mapping has none: still nothing changes.
        m.returnEntries(taken.subList(0, 1));
        before = Snapshot.of(m);
        assertEquals("ENOMEM", map.mmap(VirtAddr.of(BASE + P), Frame.NONE, Size.of(P), RO, null, -1, MapFlags.FIXED, LAZY)
                .getLeft().errno());
        assertEquals(before, Snapshot.of(m));
        assertEquals(7, m.read(map, BASE + P, RO));
        m.returnEntries(taken.subList(1, taken.size()));
        clean(m);
    }

    @Test
    void fixedOverWholeEntriesNeedsNoFreeEntry() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 2 * P, RW, LAZY);
        m.anonFixed(map, BASE + 2 * P, P, RW | Prot.EXEC, LAZY);
        m.anonFixed(map, BASE + 3 * P, 2 * P, RO, LAZY);
        m.write(map, BASE + 2 * P, 7, RW);
        List<MapEntry> taken = m.drainPoolBut(0);
        // Exactly the middle entry: the unmap frees it and the new mapping takes it.
        assertEquals(BASE + 2 * P, map.mmap(VirtAddr.of(BASE + 2 * P), Frame.NONE, Size.of(P), RW, null, -1, MapFlags.FIXED, LAZY).get().value());
        assertEquals(0, m.read(map, BASE + 2 * P, RO), "the old page is gone");
        // Over the last page of one entry, the whole middle one and the first of the next: two trims and
        // a free entry, which the mapping does not need (it joins the read-only entry on its right).
        assertEquals(BASE + P, map.mmap(VirtAddr.of(BASE + P), Frame.NONE, Size.of(3 * P), RO, null, -1, MapFlags.FIXED, LAZY).get().value());
        assertEquals(2, map.entryCount());
        assertEquals(1, m.maps.pool().free());
        m.returnEntries(taken);
        clean(m);
    }

    @Test
    void anEagerMappingIsPopulatedAndALazyOneIsNot() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        long free = m.pages.freeBytes();
        m.anonFixed(map, BASE, 3 * P, RW, LAZY);
        assertEquals(free, m.pages.freeBytes());
        assertTrue(map.pmap.resolve(VirtAddr.of(BASE)).isNone());
        m.anonFixed(map, BASE + 8 * P, 3 * P, RW, null); // the kernel is not lazy
        assertEquals(free - 3 * P - P, m.pages.freeBytes(), "three pages and the slot's page table");
        for (int i = 0; i < 3; i++) {
            VirtAddr va = VirtAddr.of(BASE + (8 + i) * P);
            assertEquals(Attr.PRESENT | Attr.WRITE | Attr.USER, map.pmap.attributes(va));
            int f = m.pages.frames().find(map.pmap.resolve(va).value());
            assertEquals(PageFlags.OWNER_APP, PageFlags.owner(m.pages.frames().flags(f)));
        }
        clean(m);
    }

    @Test
    void anEagerMappingThatRunsOutOfPagesLeavesNothingBehind() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, P, RW, null);
        m.hogAllBut(3);
        Snapshot before = Snapshot.of(m);
        Either<VmError, VirtAddr> r = map.mmap(VirtAddr.of(BASE + P), Frame.NONE, Size.of(8 * P), RW, null, -1, 0, null);
        assertEquals("ENOMEM", r.getLeft().errno());
        assertEquals(before, Snapshot.of(m));
        // The same when the mapping had merged with neighbours on both sides.
        m.releaseHog();
        m.anonFixed(map, BASE + 10 * P, P, RW, null);
        m.hogAllBut(3);
        before = Snapshot.of(m);
        assertEquals("ENOMEM", map.mmap(VirtAddr.of(BASE + P), Frame.NONE, Size.of(9 * P), RW, null, -1, MapFlags.FIXED, null)
                .getLeft().errno());
        assertEquals(2, map.entryCount());
        assertEquals(before.freeBytes(), m.pages.freeBytes());
        assertEquals(before.poolFree(), m.maps.pool().free());
        m.releaseHog();
        clean(m);
    }

    @Test
    void anAmapThatCannotBeMadeFailsTheMapping() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        Snapshot before = Snapshot.of(m);
        m.pager.failAmapCreate = true;
        assertEquals("ENOMEM", map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(P), RW, null, -1, 0, null).getLeft().errno());
        assertEquals(before, Snapshot.of(m));
    }

    @Test
    void givenPagesAreMappedWholeWithTheirAttributes() {
        TestMachine m = TestMachine.mmu();
        VmMap kmap = m.kmap();
        int f = m.pages.allocFrame(2 * P, PageFlags.OWNER_KERNEL);
        VirtAddr v = kmap.mmap(VirtAddr.of(FakeHal.VADDR_KERNEL + 0x80_0000), new Frame(f), Size.of(P), Prot.READ, m.maps.kernelObject(),
                -1, MapFlags.UNCACHED, null).get();
        assertEquals(m.pages.frames().addr(f), kmap.pmap().resolve(v).value());
        assertEquals(m.pages.frames().addr(f) + P, kmap.pmap().resolve(v.plus(P)).value());
        assertEquals(Attr.PRESENT | Attr.NOT_CACHED, kmap.pmap().attributes(v.plus(P)));
        assertEquals(2 * P, kmap.tree.find(v.value(), P).size);
        // A fixed mapping of a block replaces the block's whole range, not just the size asked for.
        int g = m.pages.allocFrame(2 * P, PageFlags.OWNER_KERNEL);
        kmap.mmap(v, new Frame(g), Size.of(P), Prot.READ, m.maps.kernelObject(), -1, MapFlags.FIXED | MapFlags.UNCACHED, null).get();
        assertEquals(m.pages.frames().addr(g) + P, kmap.pmap().resolve(v.plus(P)).value());
        clean(m);
    }
}
