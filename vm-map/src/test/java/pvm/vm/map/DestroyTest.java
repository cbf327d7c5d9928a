package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** {@code vm_mapCreate} and {@code vm_mapDestroy}: nothing outlives an address space. */
class DestroyTest {

    static final int RW = MmapTest.RW;
    static final long P = MmapTest.P;
    static final long BASE = MmapTest.BASE;

    private static void clean(TestMachine m) {
        List<String> errors = m.verify();
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void createTakesAPageDirectoryMappedInTheKernelMap() {
        TestMachine m = TestMachine.mmu();
        long free = m.pages.freeBytes();
        VmMap map = m.process();
        assertEquals(free - P, m.pages.freeBytes());
        assertTrue(map.pdirFrame >= 0);
        assertEquals(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE, m.pages.frames().flags(map.pdirFrame));
        assertEquals(m.pages.frames().addr(map.pdirFrame), map.pmap().root().value());
        assertEquals(m.pages.frames().addr(map.pdirFrame), m.kmap().pmap().resolve(VirtAddr.of(map.pdirVaddr)).value());
        clean(m);
    }

    @Test
    void destroyingEverythingGivesEveryPageAndEntryBack() {
        TestMachine m = TestMachine.mmu();
        long free = m.pages.freeBytes();
        long pool = m.maps.pool().free();
        VmMap parent = m.process();
        m.anonFixed(parent, BASE, 8 * P, RW, null);
        m.anonFixed(parent, 0x4000_0000L, 3 * P, RW, null); // another page table
        TestPager.TestObject file = m.pager.object(8 * P);
        parent.mmap(VirtAddr.of(BASE + 20 * P), Frame.NONE, Size.of(4 * P), RW, file, 0, 0, null).get();
        m.write(parent, BASE + 20 * P, 5, RW);
        parent.munmap(VirtAddr.of(BASE + 2 * P), Size.of(P)).get();
        VmMap lazy = m.process();
        m.maps.copy(MmapTest.LAZY, lazy, parent, true).get();
        m.write(lazy, BASE, 1, RW);
        VmMap eager = m.process();
        m.maps.copy(null, eager, lazy, false).get();
        clean(m);

        m.maps.destroy(null, eager);
        m.maps.destroy(MmapTest.LAZY, lazy);
        clean(m);
        m.maps.destroy(null, parent);
        clean(m);
        m.pager.objectPut(file); // the test's own reference
        assertEquals(free, m.pages.freeBytes());
        assertEquals(pool, m.maps.pool().free());
        assertEquals(0, m.pager.heldFrames());
        assertTrue(m.maps.liveMaps().isEmpty());
    }

    @Test
    void aDestroyedMapTakesNoMoreMappings() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.maps.destroy(null, map);
        m.maps.destroy(null, map);
        assertEquals("EINVAL", map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(P), RW, null, -1, 0, null).getLeft().errno());
        assertEquals(Errno.EFAULT, map.force(BASE, RW));
        assertThrows(IllegalArgumentException.class, () -> m.maps.destroy(null, m.kmap()));
        clean(m);
    }

    @Test
    void createWithoutPagesIsEnomemAndLeaksNothing() {
        TestMachine m = TestMachine.mmu();
        m.hogAllBut(0);
        Snapshot before = Snapshot.of(m);
        assertEquals("ENOMEM", m.maps.create(VirtAddr.of(TestMachine.USER_START), VirtAddr.of(TestMachine.USER_STOP)).getLeft().errno());
        assertEquals(before, Snapshot.of(m));
        assertEquals("EINVAL", m.maps.create(VirtAddr.of(0x2000), VirtAddr.of(0x1000)).getLeft().errno());
        m.releaseHog();
        // No room in the kernel map for the directory: the page goes back.
        List<MapEntry> taken = m.drainPoolBut(0);
        long free = m.pages.freeBytes();
        // The directory merges into the kernel's data entry, so an empty pool does not stop it...
        VmMap map = m.process();
        assertEquals(free - P, m.pages.freeBytes());
        m.maps.destroy(null, map);
        m.returnEntries(taken);
        clean(m);
    }

    @Test
    void noMmuDestroyDropsOnlyTheOwnersEntries() {
        TestMachine m = TestMachine.nommu();
        VmMap shared = m.maps.sharedMap(1).get();
        MapOwner a = new TestMachine.Lazy("a", false);
        MapOwner b = new TestMachine.Lazy("b", true);
        long free = m.pages.freeBytes();
        shared.mmap(VirtAddr.of(shared.start), Frame.NONE, Size.of(1024), RW, null, -1, 0, a).get();
        shared.mmap(VirtAddr.of(shared.start), Frame.NONE, Size.of(2048), RW, null, -1, 0, b).get();
        assertTrue(m.pages.freeBytes() < free, "an eager owner's pages are populated");
        m.maps.destroy(a, shared);
        assertEquals(1, shared.entryCount());
        assertEquals(b, shared.entries().getFirst().owner());
        assertEquals(free, m.pages.freeBytes());
        m.maps.destroy(b, shared);
        assertEquals(0, shared.entryCount());
        // A process may have entries in the kernel's map too (the map it was given).
        int kernels = m.kmap().entryCount();
        m.kmap().mmap(VirtAddr.of(0x8_0000), Frame.NONE, Size.of(512), RW, null, -1, 0, b).get();
        m.maps.destroy(b, m.kmap());
        assertEquals(kernels, m.kmap().entryCount());
        assertThrows(IllegalArgumentException.class, () -> m.maps.destroy(null, m.kmap()));
        clean(m);
    }
}
