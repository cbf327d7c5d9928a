package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.testkit.FakePmap;

/** {@code vm_mapCopy}: a fork, lazy and eager, and how it fails. */
class CopyTest {

    static final int RW = MmapTest.RW;
    static final int RO = MmapTest.RO;
    static final long P = MmapTest.P;
    static final long BASE = MmapTest.BASE;
    static final TestMachine.Lazy LAZY = MmapTest.LAZY;

    private static void clean(TestMachine m) {
        List<String> errors = m.verify();
        assertTrue(errors.isEmpty(), errors.toString());
    }

    /** A parent with a written RW region (2 pages), a read-only one, a no-inherit one, a device one. */
    private static VmMap parent(TestMachine m) {
        VmMap p = m.process();
        m.anonFixed(p, BASE, 2 * P, RW, null);
        m.write(p, BASE, 10, RW);
        m.write(p, BASE + P, 11, RW);
        m.anonFixed(p, BASE + 4 * P, P, RO, null);
        m.anon(p, BASE + 6 * P, P, RW, MapFlags.FIXED | MapFlags.NOINHERIT, null);
        p.mmap(VirtAddr.of(BASE + 8 * P), pvm.hal.pmap.Frame.NONE, Size.of(P), RW, MemObject.PHYSMEM, 0x40_0000,
                MapFlags.FIXED | MapFlags.DEVICE, null).get();
        return p;
    }

    @Test
    void aLazyForkSharesPagesReadOnlyAndCopiesOnWrite() {
        TestMachine m = TestMachine.mmu();
        VmMap parent = parent(m);
        VmMap child = m.process();
        long free = m.pages.freeBytes();
        m.maps.copy(LAZY, child, parent, true).get();
        assertEquals(3, child.entryCount(), "no-inherit left out");
        assertEquals(MapFlags.NEEDSCOPY, parent.tree.find(BASE, P).flags & MapFlags.NEEDSCOPY);
        assertEquals(MapFlags.NEEDSCOPY, child.tree.find(BASE, P).flags & MapFlags.NEEDSCOPY);
        assertEquals(MapFlags.NEEDSCOPY, parent.tree.find(BASE + 4 * P, P).flags & MapFlags.NEEDSCOPY,
                "read-only anonymous memory with an amap is marked too: its amap is shared");
        assertEquals(0, parent.tree.find(BASE + 8 * P, P).flags & MapFlags.NEEDSCOPY, "device memory: shared as is");
        assertSame(parent.tree.find(BASE, P).amap, child.tree.find(BASE, P).amap);
        assertEquals(LAZY, child.tree.find(BASE, P).owner);
        // The parent's pages are read-only now; the child has none yet.
        assertEquals(Attr.PRESENT | Attr.USER, parent.pmap.attributes(VirtAddr.of(BASE)));
        assertTrue(child.pmap.resolve(VirtAddr.of(BASE)).isNone());
        assertEquals(free, m.pages.freeBytes(), "nothing copied yet");
        clean(m);

        assertEquals(10, m.read(child, BASE, RO));
        assertEquals(parent.pmap.resolve(VirtAddr.of(BASE)), child.pmap.resolve(VirtAddr.of(BASE)), "one page, shared");
        m.write(child, BASE, 20, RW);
        assertNotEquals(parent.pmap.resolve(VirtAddr.of(BASE)), child.pmap.resolve(VirtAddr.of(BASE)));
        assertEquals(10, m.read(parent, BASE, RO));
        m.write(parent, BASE + P, 31, RW);
        assertEquals(11, m.read(child, BASE + P, RO));
        assertEquals(20, m.read(child, BASE, RO));
        clean(m);

        m.maps.destroy(LAZY, child);
        m.maps.destroy(null, parent);
        clean(m);
    }

    @Test
    void anEagerForkPopulatesTheChild() {
        TestMachine m = TestMachine.mmu();
        VmMap parent = parent(m);
        VmMap child = m.process();
        m.maps.copy(null, child, parent, false).get();
        // Writable private pages were copied at once (the entry's protection includes write).
        assertEquals(Attr.PRESENT | Attr.WRITE | Attr.USER, child.pmap.attributes(VirtAddr.of(BASE)));
        assertNotEquals(parent.pmap.resolve(VirtAddr.of(BASE)), child.pmap.resolve(VirtAddr.of(BASE)));
        assertEquals(0, child.tree.find(BASE, P).flags & MapFlags.NEEDSCOPY);
        assertEquals(Attr.PRESENT | Attr.USER, child.pmap.attributes(VirtAddr.of(BASE + 4 * P)));
        assertEquals(0x40_0000, child.pmap.resolve(VirtAddr.of(BASE + 8 * P)).value());
        m.write(child, BASE, 99, RW);
        assertEquals(10, m.read(parent, BASE, RO));
        clean(m);
    }

    @Test
    void anEmptyPoolFailsTheForkDestroysTheChildAndLeavesTheParent() {
        TestMachine m = TestMachine.mmu();
        VmMap parent = parent(m);
        VmMap child = m.process();
        long freeWithChild = m.pages.freeBytes();
        List<MapEntry> taken = m.drainPoolBut(2);
        List<EntryInfo> entries = parent.entries();
        var ptes = new java.util.TreeMap<>(((FakePmap) parent.pmap).ptes);
        assertEquals("ENOMEM", m.maps.copy(LAZY, child, parent, true).getLeft().errno());
        assertEquals(entries, parent.entries());
        assertEquals(ptes, ((FakePmap) parent.pmap).ptes);
        assertEquals(2, m.maps.pool().free());
        assertTrue(!m.maps.liveMaps().contains(child), "the child is destroyed");
        assertEquals(freeWithChild + P, m.pages.freeBytes(), "its page directory is free again");
        m.returnEntries(taken);
        clean(m);
    }

    @Test
    void runningOutOfPagesFailsAnEagerForkAndLeavesTheParent() {
        TestMachine m = TestMachine.mmu();
        VmMap parent = parent(m);
        VmMap child = m.process();
        List<EntryInfo> entries = parent.entries();
        var ptes = new java.util.TreeMap<>(((FakePmap) parent.pmap).ptes);
        long poolFree = m.maps.pool().free();
        m.hogAllBut(2); // a page table and one page: the second page fails
        long free = m.pages.freeBytes();
        assertEquals("ENOMEM", m.maps.copy(null, child, parent, false).getLeft().errno());
        assertEquals(entries, parent.entries(), "no copy-on-write mark left behind");
        assertEquals(ptes, ((FakePmap) parent.pmap).ptes);
        assertEquals(poolFree, m.maps.pool().free());
        assertEquals(free + P, m.pages.freeBytes(), "the child's page directory too");
        m.releaseHog();
        clean(m);
        // The parent still works and its pages are its own.
        m.write(parent, BASE, 12, RW);
        assertEquals(12, m.read(parent, BASE, RO));
        clean(m);
    }

    @Test
    void aTargetThatIsNotAnEmptyOtherMapIsRefused() {
        TestMachine m = TestMachine.mmu();
        VmMap parent = parent(m);
        VmMap busy = m.process();
        m.anonFixed(busy, BASE, P, RW, null);
        Snapshot before = Snapshot.of(m);
        assertEquals("EINVAL", m.maps.copy(null, busy, parent, true).getLeft().errno());
        assertEquals("EINVAL", m.maps.copy(null, parent, parent, true).getLeft().errno());
        assertEquals("EINVAL", m.maps.copy(null, m.kmap(), parent, true).getLeft().errno());
        assertEquals(before, Snapshot.of(m));
        assertTrue(m.maps.liveMaps().contains(busy));
    }
}
