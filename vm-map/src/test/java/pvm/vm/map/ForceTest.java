package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** {@code vm_mapForce} / {@code _map_force}: the fault path. */
class ForceTest {

    static final int RW = MmapTest.RW;
    static final int RO = MmapTest.RO;
    static final long P = MmapTest.P;
    static final long BASE = MmapTest.BASE;
    static final TestMachine.Lazy LAZY = MmapTest.LAZY;

    private static void clean(TestMachine m) {
        List<String> errors = m.verify();
        assertTrue(errors.isEmpty(), errors.toString());
    }

    private static int attr(VmMap map, long va) {
        return map.pmap.attributes(VirtAddr.of(va));
    }

    @Test
    void nothingMappedIsEfaultAndRightsBeyondTheEntryAreEinval() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, P, RO, LAZY);
        m.anonFixed(map, BASE + P, P, Prot.READ | Prot.WRITE, LAZY); // a kernel-only page
        Snapshot before = Snapshot.of(m);
        assertEquals(Errno.EFAULT, map.force(BASE + 5 * P, RO));
        assertEquals(Errno.EINVAL, map.force(BASE, RW));
        assertEquals(Errno.EINVAL, map.force(BASE, RO | Prot.EXEC));
        assertEquals(Errno.EINVAL, map.force(BASE + P, Prot.READ | Prot.USER), "a user access to a kernel page");
        assertEquals(before, Snapshot.of(m));
        // The kernel's own access is fine, and maps the page without the user bit.
        assertEquals(0, map.force(BASE + P, Prot.READ));
        assertEquals(Attr.PRESENT, attr(map, BASE + P));
        clean(m);
    }

    @Test
    void aReadMapsReadOnlyAndTheWriteAfterItFaultsAgain() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 2 * P, RW, LAZY);
        assertNull(map.tree.find(BASE, P).amap);
        assertEquals(0, map.force(BASE + 3, RO)); // an address inside the page is fine
        assertNotNull(map.tree.find(BASE, P).amap, "anonymous memory gets its amap on the first fault");
        assertEquals(Attr.PRESENT | Attr.USER, attr(map, BASE));
        long pa = map.pmap.resolve(VirtAddr.of(BASE)).value();
        assertEquals(0, m.hal.memory().read64(pa), "a zero page");
        long free = m.pages.freeBytes();
        assertEquals(0, map.force(BASE, RW));
        assertEquals(Attr.PRESENT | Attr.WRITE | Attr.USER, attr(map, BASE));
        assertEquals(pa, map.pmap.resolve(VirtAddr.of(BASE)).value(), "the only reference: no copy");
        assertEquals(free, m.pages.freeBytes());
        assertEquals(1, m.pager.amapCreates);
        clean(m);
    }

    /**
     * A file mapping without {@code MAP_NEEDSCOPY} and without an amap is shared: it reads and
     * writes the file's own pages, and a fork shares it as it is (Phoenix, which has no
     * {@code MAP_SHARED}, would mark it copy-on-write).
     */
    @Test
    void aSharedFileMappingUsesTheFilesPagesAndStaysSharedAcrossAFork() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        TestPager.TestObject file = m.pager.object(8 * P);
        map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(4 * P), RW, file, 2 * P, 0, LAZY).get();
        assertEquals(TestPager.pattern(file, 3 * P), m.read(map, BASE + P, RO));
        long filePage = m.pages.frames().addr(file.pages.get(3 * P));
        assertEquals(filePage, map.pmap.resolve(VirtAddr.of(BASE + P)).value(), "the file's own page");
        assertEquals(Attr.PRESENT | Attr.USER, attr(map, BASE + P), "mapped read-only by a read");
        m.write(map, BASE + P, 77, RW);
        assertEquals(filePage, map.pmap.resolve(VirtAddr.of(BASE + P)).value(), "still the file's page");
        assertEquals(77, m.hal.memory().read64(filePage));
        assertNull(map.tree.find(BASE, P).amap);

        VmMap child = m.process();
        m.maps.copy(LAZY, child, map, true).get();
        assertEquals(0, child.tree.find(BASE, P).flags & MapFlags.NEEDSCOPY);
        assertEquals(0, map.tree.find(BASE, P).flags & MapFlags.NEEDSCOPY);
        m.write(child, BASE + P, 88, RW);
        assertEquals(filePage, child.pmap.resolve(VirtAddr.of(BASE + P)).value(), "the child writes the file's page");
        assertEquals(88, m.read(map, BASE + P, RO), "and the parent sees it");
        clean(m);
    }

    /**
     * With {@code MAP_NEEDSCOPY} (Phoenix's ELF loader maps writable segments so) a file mapping is
     * private: reads see the file's pages, the first write copies the page into the entry's amap,
     * and the file is unchanged; after a fork the copies are the parent's and the child's own.
     */
    @Test
    void aPrivateFileMappingCopiesOnTheFirstWrite() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        TestPager.TestObject file = m.pager.object(8 * P);
        map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(4 * P), RW, file, 2 * P, MapFlags.NEEDSCOPY, LAZY).get();
        assertEquals(TestPager.pattern(file, 3 * P), m.read(map, BASE + P, RO));
        long filePage = m.pages.frames().addr(file.pages.get(3 * P));
        assertEquals(filePage, map.pmap.resolve(VirtAddr.of(BASE + P)).value(), "a read maps the file's page");
        m.write(map, BASE + P, 77, RW);
        assertNotEquals(filePage, map.pmap.resolve(VirtAddr.of(BASE + P)).value(), "a private copy");
        assertEquals(TestPager.pattern(file, 3 * P), m.hal.memory().read64(filePage), "the file is unchanged");
        assertNotNull(map.tree.find(BASE, P).amap);
        assertEquals(0, map.tree.find(BASE, P).flags & MapFlags.NEEDSCOPY);

        VmMap child = m.process();
        m.maps.copy(LAZY, child, map, true).get();
        m.write(child, BASE + P, 88, RW);
        assertEquals(88, m.read(child, BASE + P, RO));
        assertEquals(77, m.read(map, BASE + P, RO));
        assertEquals(TestPager.pattern(file, 3 * P), m.hal.memory().read64(filePage), "the file is unchanged");
        clean(m);
    }

    /** A new mapping of an object does not join a neighbour of that object with private pages. */
    @Test
    void aFileMappingDoesNotJoinANeighbourWithAnAmap() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        TestPager.TestObject file = m.pager.object(8 * P);
        map.mmap(VirtAddr.of(BASE + P), Frame.NONE, Size.of(P), RW, file, P, MapFlags.FIXED | MapFlags.NEEDSCOPY, LAZY).get();
        m.write(map, BASE + P, 5, RW);
        MapEntry written = map.tree.find(BASE + P, P);
        assertNotNull(written.amap);
        // Shared mappings with the same flags as the written one now, at continuing offsets.
        map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(P), RW, file, 0, MapFlags.FIXED, LAZY).get();
        map.mmap(VirtAddr.of(BASE + 2 * P), Frame.NONE, Size.of(P), RW, file, 2 * P, MapFlags.FIXED, LAZY).get();
        assertEquals(3, map.entryCount());
        assertEquals(P, map.tree.find(BASE + P, P).size);
        m.write(map, BASE, 6, RW);
        assertEquals(m.pages.frames().addr(file.pages.get(0L)), map.pmap.resolve(VirtAddr.of(BASE)).value(), "still shared");
        assertEquals(5, m.read(map, BASE + P, RO));
        clean(m);
    }

    @Test
    void physicalMemoryMapsTheAddressWithOrWithoutAPage() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        long ram = 0x40_0000;
        long device = 0x1_0000_0000L - 0x10_0000; // not RAM: no page_t
        map.mmap(VirtAddr.of(BASE), Frame.NONE, Size.of(P), RW, MemObject.PHYSMEM, ram, 0, null).get();
        map.mmap(VirtAddr.of(BASE + 4 * P), Frame.NONE, Size.of(P), RW, MemObject.PHYSMEM, device, MapFlags.DEVICE, null).get();
        assertEquals(ram, map.pmap.resolve(VirtAddr.of(BASE)).value());
        assertEquals(device, map.pmap.resolve(VirtAddr.of(BASE + 4 * P)).value());
        assertEquals(Attr.PRESENT | Attr.WRITE | Attr.USER | Attr.DEVICE, attr(map, BASE + 4 * P));
        clean(m);
    }

    @Test
    void runningOutOfPagesOrAmapsIsEnomemAndChangesNothing() {
        TestMachine m = TestMachine.mmu();
        VmMap map = m.process();
        m.anonFixed(map, BASE, 2 * P, RW, LAZY);
        m.write(map, BASE, 1, RW); // page table and amap exist now
        m.hogAllBut(0);
        Snapshot before = Snapshot.of(m);
        assertEquals(Errno.ENOMEM, map.force(BASE + P, RW));
        assertEquals(before, Snapshot.of(m));
        m.releaseHog();

        // Past the reach of the first entry's amap (16 slots), so the new entry has none of its own.
        m.anonFixed(map, BASE + 40 * P, P, RW, LAZY);
        before = Snapshot.of(m);
        m.pager.failAmapCreate = true;
        assertEquals(Errno.ENOMEM, map.force(BASE + 40 * P, RO));
        assertEquals(before, Snapshot.of(m));
        clean(m);
    }
}
