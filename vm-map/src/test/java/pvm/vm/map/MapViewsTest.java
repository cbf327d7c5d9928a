package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.testkit.FakeHal;

/** The observable side: entries, dump, belongs, vm_mapFind, lockVerify, stats, the checker itself. */
class MapViewsTest {

    static final int RW = MmapTest.RW;
    static final long P = MmapTest.P;
    static final long BASE = MmapTest.BASE;

    @Test
    void entriesDescribeObjectsAmapsAndGaps() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 3 * P, RW, null);
        TestPager.TestObject file = m.pager.object(4 * P);
        map.mmap(VirtAddr.of(BASE + 8 * P), Frame.NONE, Size.of(P), MmapTest.RO, file, P, MapFlags.FIXED, null).get();
        map.mmap(VirtAddr.of(BASE + 16 * P), Frame.NONE, Size.of(P), RW, MemObject.PHYSMEM, 0x40_0000, MapFlags.FIXED, null).get();
        List<EntryInfo> es = map.entries();
        assertEquals(3, es.size());
        assertEquals(EntryInfo.ObjectKind.ANONYMOUS, es.get(0).objectKind());
        assertEquals(3 * P, es.get(0).anonBytes());
        assertEquals(EntryInfo.ObjectKind.OID, es.get(1).objectKind());
        assertEquals("file" + file.id, es.get(1).object());
        assertEquals(P, es.get(1).offs());
        assertEquals(-1, es.get(1).anonBytes());
        assertEquals(EntryInfo.ObjectKind.MEMORY, es.get(2).objectKind());
        // The gaps are those of the tree: the largest free range beside each entry's subtree.
        long largest = 0;
        for (EntryInfo e : es) {
            largest = Math.max(largest, Math.max(e.lmaxgap(), e.rmaxgap()));
        }
        assertEquals(TestMachine.USER_STOP - (BASE + 17 * P), largest);
        assertEquals(TestMachine.USER_STOP - TestMachine.USER_START - 5 * P, map.freeBytes());
    }

    @Test
    void dumpPrintsTheTreeWithGaps() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        assertEquals(List.of("() *"), map.dump());
        m.anonFixed(map, BASE, P, RW, MmapTest.LAZY);
        m.anonFixed(map, BASE + 2 * P, P, MmapTest.RO, MmapTest.LAZY);
        List<String> d = map.dump();
        assertEquals("(00100000+1000, ff000, bfefd000)*", d.get(0));
        assertEquals("| `-() *", d.get(1));
        assertEquals("  `-(00102000+1000, 1000, bfefd000) ", d.get(2));
    }

    @Test
    void belongsAsksWhetherAnEntryOverlaps() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 2 * P, RW, MmapTest.LAZY);
        assertTrue(map.belongs(VirtAddr.of(BASE + 10), Size.of(8)));
        assertTrue(map.belongs(VirtAddr.of(BASE - 4), Size.of(8)), "overlapping is enough, as lib_rbFind");
        assertFalse(map.belongs(VirtAddr.of(BASE + 2 * P), Size.of(8)));
        assertTrue(map.belongs(VirtAddr.of(0), Size.of(0)), "a zero size belongs");
        assertTrue(TestMachine.nommu().kmap().belongs(VirtAddr.of(0x12345), Size.of(8)), "not checked on no-MMU");
    }

    @Test
    void mapFindEntersAKernelObjectEntryWithoutPages() {
        TestMachine m = TestMachine.mmu();
        long free = m.pages.freeBytes();
        VirtAddr v = m.kmap().find(VirtAddr.of(FakeHal.VADDR_KERNEL + 0x40_0000), Size.of(4 * P), MapFlags.NONE, MmapTest.RO).get();
        assertEquals(FakeHal.VADDR_KERNEL + 0x40_0000, v.value());
        assertEquals("kernel", m.kmap().tree.find(v.value(), P).object.describe());
        assertTrue(m.kmap().pmap().resolve(v).isNone());
        assertEquals(free, m.pages.freeBytes());
        assertEquals("EINVAL", m.kmap().find(v, Size.of(5), 0, MmapTest.RO).getLeft().errno());
    }

    @Test
    void lockVerifyTakesTheLockAndSaysWhetherTheMappingHolds() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, P, RW, null);
        AnonMap amap = map.tree.find(BASE, P).amap;
        assertEquals(0, map.lockVerify(amap, null, BASE + 5));
        assertTrue(map.isLockedByCurrentThread());
        map.unlock();
        assertEquals(Errno.EINVAL, map.lockVerify(null, m.pager.object(P), BASE));
        assertTrue(map.isLockedByCurrentThread(), "held on failure too, as Phoenix");
        map.unlock();
        assertEquals(Errno.EINVAL, map.lockVerify(null, null, BASE + P));
        map.unlock();
        assertFalse(map.isLockedByCurrentThread());
    }

    @Test
    void statsFollowThePool() {
        TestMachine m = TestMachine.mmu();
        long used = m.maps.pool().used();
        VmMap map = m.process();
        m.anonFixed(map, BASE, P, RW, MmapTest.LAZY);
        m.anonFixed(map, BASE + 2 * P, P, RW, MmapTest.LAZY);
        assertEquals(used + 2, m.maps.pool().used());
        assertEquals((used + 2) * 60, m.maps.allocatedBytes());
        assertEquals(m.maps.entriesTotal() - used - 2, m.maps.entriesFree());
    }

    /** The checker is not a rubber stamp: broken gaps, overlaps and stray pages are reported. */
    @Test
    void theCheckerFindsBrokenState() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 2 * P, RW, null);
        m.anonFixed(map, BASE + 4 * P, P, MmapTest.RO, null);
        assertTrue(map.verify().isEmpty());

        MapEntry e = map.tree.find(BASE, P);
        e.rmaxgap += P;
        assertTrue(map.verify().stream().anyMatch(s -> s.contains("gaps of")), map.verify().toString());
        map.tree.augment(e);
        assertTrue(map.verify().isEmpty());

        e.size += 3 * P; // now overlaps its neighbour
        assertTrue(map.verify().stream().anyMatch(s -> s.contains("overlapping")), map.verify().toString());
        e.size -= 3 * P;
        map.tree.augment(e);

        // A page mapped just past an entry, outside every entry.
        m.pages.map(map.pmap(), VirtAddr.of(BASE + 2 * P), pvm.hal.pmap.PhysAddr.of(0x40_0000), pvm.hal.pmap.Attr.PRESENT);
        assertTrue(map.verify().stream().anyMatch(s -> s.contains("outside every entry")), map.verify().toString());
        map.pmap().remove(VirtAddr.of(BASE + 2 * P), VirtAddr.of(BASE + 3 * P));

        // A page in the middle of the gap after the last entry, and one far below the first.
        for (long stray : new long[] {BASE + 40 * P, BASE - 64 * P}) {
            m.pages.map(map.pmap(), VirtAddr.of(stray), pvm.hal.pmap.PhysAddr.of(0x40_0000), pvm.hal.pmap.Attr.PRESENT);
            String page = String.format("page 0x%x outside every entry", stray);
            assertTrue(map.verify().stream().anyMatch(s -> s.contains(page)), map.verify().toString());
            map.pmap().remove(VirtAddr.of(stray), VirtAddr.of(stray + P));
        }
        assertTrue(map.verify().isEmpty());

        // A page writable beyond its entry's protection.
        VirtAddr ro = VirtAddr.of(BASE + 4 * P);
        m.pages.map(map.pmap(), ro, map.pmap().resolve(ro), pvm.hal.pmap.Attr.PRESENT | pvm.hal.pmap.Attr.WRITE | pvm.hal.pmap.Attr.USER);
        assertTrue(map.verify().stream().anyMatch(s -> s.contains("beyond the entry's")), map.verify().toString());
    }
}
