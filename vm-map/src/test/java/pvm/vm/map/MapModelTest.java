package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** Each memory model of the mapper on its own, on the machine it is made for. */
class MapModelTest {

    private static final MapOwner A = new TestMachine.Lazy("a", true);
    private static final MapOwner B = new TestMachine.Lazy("b", true);

    /** A page mapped by {@link #A} and, right after it, one mapped by {@link #B}, alike but for the owner. */
    private static long twoNeighbours(VmMap map, int ps) {
        long a = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(2L * ps), Prot.READ, null, -1, MapFlags.NONE, A).get().value();
        map.munmap(VirtAddr.of(a), Size.of(2L * ps)).get();
        map.mmap(VirtAddr.of(a), Frame.NONE, Size.of(ps), Prot.READ, null, -1, MapFlags.FIXED, A).get();
        map.mmap(VirtAddr.of(a + ps), Frame.NONE, Size.of(ps), Prot.READ, null, -1, MapFlags.FIXED, B).get();
        return a;
    }

    @Test
    void thePagedModelGivesEachMapADirectoryAndTakesItBack() {
        TestMachine m = TestMachine.mmu();
        assertSame(MapModel.PAGED, m.maps.model());
        assertEquals(0, m.maps.sharedMapCount(), "no shared maps with an MMU");
        long free = m.pages.freeBytes();
        VmMap map = m.process();
        assertNotEquals(PageFrames.NONE, map.pdirFrame, "vm_mapCreate allocates a page directory");
        assertEquals(free - m.ps, m.pages.freeBytes());
        assertFalse(map.isShared());
        m.maps.destroy(A, map);
        assertEquals(free, m.pages.freeBytes(), "vm_mapDestroy gives the directory back");
        assertFalse(m.maps.liveMaps().contains(map));
        assertThrows(IllegalArgumentException.class, () -> m.maps.destroy(null, m.kmap()), "the kernel map stays");
        assertEquals(List.of(), m.verify());
    }

    @Test
    void thePagedModelMergesWhoeverMadeTheEntriesAndLooksUpWhatBelongs() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        long a = twoNeighbours(map, m.ps);
        assertEquals(1, map.entryCount(), "neighbours of two owners merge in a map of one process");
        assertTrue(map.belongs(VirtAddr.of(a), Size.of(m.ps)));
        assertFalse(map.belongs(VirtAddr.of(a + 4L * m.ps), Size.of(m.ps)), "nothing mapped there");
        assertEquals(List.of(), m.verify());
    }

    @Test
    void theFlatModelSharesBoardMapsAndDropsOnlyTheOwnersEntries() {
        TestMachine m = TestMachine.nommu();
        assertSame(MapModel.FLAT, m.maps.model());
        assertEquals(m.hal.maps().size(), m.maps.sharedMapCount(), "one shared map per board memory map");
        VmMap shared = m.maps.sharedMap(1).get();
        assertTrue(shared.isShared());
        twoNeighbours(shared, m.ps);
        int before = shared.entryCount();
        assertEquals(1, shared.entries(A).size(), "neighbours of two owners do not merge in a shared map");
        m.maps.destroy(A, shared);
        assertEquals(before - 1, shared.entryCount(), "a process's exit drops its own entries only");
        assertEquals(1, shared.entries(B).size());
        assertThrows(IllegalArgumentException.class, () -> m.maps.destroy(null, shared), "the kernel's entries stay");
        assertEquals(List.of(), m.verify());
    }

    @Test
    void theFlatModelMapsPhysicalMemoryWithoutAnEntryAndEveryAddressBelongs() {
        TestMachine m = TestMachine.nommu();
        VmMap shared = m.maps.sharedMap(1).get();
        int entries = shared.entryCount();
        long pa = m.hal.maps().get(1).start();
        assertEquals(pa, shared.mmap(VirtAddr.NULL, Frame.NONE, Size.of(m.ps), Prot.READ, MemObject.PHYSMEM, pa, MapFlags.NONE, A)
                .get().value(), "without translation the physical address is the mapping");
        assertEquals(entries, shared.entryCount());
        assertTrue(shared.belongs(VirtAddr.of(pa + 0x100), Size.of(m.ps)), "every address is memory");
        VmMap created = m.maps.create(VirtAddr.of(0), VirtAddr.of(0x1000)).get();
        assertEquals(PageFrames.NONE, created.pdirFrame, "no page directory without an MMU");
        assertEquals(List.of(), m.verify());
    }
}
