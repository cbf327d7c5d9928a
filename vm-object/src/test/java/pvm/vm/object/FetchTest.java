package pvm.vm.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.testkit.FakeHal;
import pvm.vm.map.MapEntry;
import pvm.vm.map.VmMap;
import pvm.vm.object.VmPagerTest.Proc;

/**
 * Faults on object mappings: the fetch from the backing store with every lock released, the
 * re-check after it (the two races {@code vm_objectPage} handles), offsets beyond the object, and
 * what shared and private mappings see.
 */
class FetchTest {

    static final int PAGE = FakeHal.PAGE;
    static final int RW = Prot.READ | Prot.WRITE;
    static final Proc LAZY = new Proc("p", true);

    private final TestStore store = new TestStore();
    private final Oid data = store.add("data", 3 * PAGE + PAGE / 2);
    private final Booted m = Booted.boot(store);
    private final PhysicalMemory ram = m.hal.memory();
    private final PageFrames frames = m.pages.frames();
    private final List<VmMap> maps = new ArrayList<>();

    @AfterEach
    void consistent() {
        assertEquals(List.of(), m.verify());
        for (VmMap map : maps) {
            m.maps.destroy(null, map);
        }
        assertEquals(0, m.pager.objectCount(), "every object went with its last mapping");
        assertEquals(store.opens, store.closes, "every proc_open has its proc_close");
        assertEquals(List.of(), m.verify());
    }

    private VmMap userMap() {
        VmMap map = m.maps.create(VirtAddr.of(0x10000), VirtAddr.of(FakeHal.VADDR_KERNEL)).getOrElseThrow(e -> new AssertionError(e.message()));
        maps.add(map);
        return map;
    }

    /** sys_mmap's way: get the object, map it, put the reference taken for the call. */
    private long mapFile(VmMap map, Oid oid, long offs, int pages, int flags) {
        VmObject o = m.pager.objectGet(oid).get();
        try {
            return map.mmap(VirtAddr.NULL, Frame.NONE, Size.of((long) pages * PAGE), RW, o, offs, flags, LAZY)
                    .getOrElseThrow(e -> new AssertionError(e.message())).value();
        } finally {
            m.pager.objectPut(o);
        }
    }

    private VmObject object() {
        return m.pager.findObject(data).get();
    }

    private void dirtyFreeRam() {
        for (int f = 0; f < frames.count(); f++) {
            if (frames.isFree(f)) {
                ram.fill(frames.addr(f), PAGE, 0xa5);
            }
        }
    }

    @Test
    void aFetchReadsThroughATemporaryKernelMappingWithEveryLockReleased() {
        VmMap map = userMap();
        long va = mapFile(map, data, 0, 4, MapFlags.NEEDSCOPY);
        int kernelEntries = m.maps.kernelMap().entryCount();
        boolean[] ran = new boolean[1];
        store.beforeNextRead(() -> {
            ran[0] = true;
            assertFalse(map.isLockedByCurrentThread(), "the map lock is released");
            assertFalse(m.pager.store().isLockedByCurrentThread(), "the object lock is released");
            Amap amap = (Amap) map.tree().find(va, PAGE).amap();
            assertNotNull(amap, "a write fault gave the entry its amap first");
            assertFalse(amap.lock.isHeldByCurrentThread(), "the amap lock is released");
            assertEquals(kernelEntries + 1, m.maps.kernelMap().entryCount(), "the page is mapped in the kernel map");
        });
        assertEquals(0, Faults.write8(ram, map, va + 1, 0x77), "a write to a private mapping: fetch, then copy");
        assertTrue(ran[0]);
        assertEquals(kernelEntries, m.maps.kernelMap().entryCount(), "the temporary mappings are gone");
        assertEquals(1, store.reads);
        assertFalse(map.isLockedByCurrentThread());
        assertFalse(((Amap) map.tree().find(va, PAGE).amap()).lock.isHeldByCurrentThread());
    }

    @Test
    void aSharedMappingReadsAndWritesTheObjectsPages() {
        VmMap a = userMap();
        VmMap b = userMap();
        long va = mapFile(a, data, PAGE, 2, MapFlags.NONE);
        long vb = mapFile(b, data, 0, 4, MapFlags.NONE);
        assertEquals(TestStore.byteAt(data, PAGE + 9) & 0xff, Faults.read8(ram, a, va + 9));
        assertEquals(1, store.reads);
        assertEquals(TestStore.byteAt(data, PAGE + 9) & 0xff, Faults.read8(ram, b, vb + PAGE + 9));
        assertEquals(1, store.reads, "the second mapping finds the page cached");
        assertEquals(Faults.phys(a, va), Faults.phys(b, vb + PAGE));
        assertEquals(frames.addr(object().page(1)), Faults.phys(a, va));

        assertEquals(0, Faults.write8(ram, b, vb + PAGE + 9, 0x42));
        assertEquals(0x42, Faults.read8(ram, a, va + 9), "one set of pages");
        byte[] seen = new byte[1];
        assertEquals(1, m.pager.readObject(data, PAGE + 9, seen, 1));
        assertEquals(0x42, seen[0], "the object's page holds the write");
        assertEquals(TestStore.byteAt(data, PAGE + 9), store.contents(data)[PAGE + 9], "nothing is written back to the store");
        assertNull(a.tree().find(va, PAGE).amap());
        assertEquals(2, object().refs());
    }

    @Test
    void aPrivateMappingCopiesAnObjectPageOnTheFirstWrite() {
        VmMap map = userMap();
        long va = mapFile(map, data, 0, 2, MapFlags.NEEDSCOPY);
        assertEquals(TestStore.byteAt(data, 3) & 0xff, Faults.read8(ram, map, va + 3));
        long objectPage = frames.addr(object().page(0));
        assertEquals(objectPage, Faults.phys(map, va), "a read maps the object's page");
        assertEquals(Attr.PRESENT, map.pmap().attributes(VirtAddr.of(va)) & (Attr.PRESENT | Attr.WRITE), "read-only");
        MapEntry e = map.tree().find(va, PAGE);
        assertNull(e.amap());

        assertEquals(0, Faults.write8(ram, map, va + 3, 0x99));
        assertNotEquals(objectPage, Faults.phys(map, va), "a copy");
        assertNotNull(e.amap());
        assertEquals(Faults.phys(map, va), frames.addr(((Amap) e.amap()).anon(0).frame()), "the copy is the amap's anon");
        assertEquals(0, e.flags() & MapFlags.NEEDSCOPY);
        assertEquals(TestStore.byteAt(data, 3), (byte) ram.read8(objectPage + 3), "the object's page is unchanged");
        assertEquals(0x99, Faults.read8(ram, map, va + 3));
        assertEquals(TestStore.byteAt(data, 4) & 0xff, Faults.read8(ram, map, va + 4), "the rest of the page was copied");
        assertEquals(1, m.pager.anonCount());

        // A page written first (no read before) is fetched and copied in one fault.
        assertEquals(0, Faults.write8(ram, map, va + PAGE, 0x11));
        assertEquals(2, store.reads);
        assertNotEquals(frames.addr(object().page(1)), Faults.phys(map, va + PAGE));
        assertEquals(TestStore.byteAt(data, PAGE + 1) & 0xff, Faults.read8(ram, map, va + PAGE + 1));
    }

    @Test
    void whenSomeoneElseLoadsThePageMeanwhileTheirsIsUsedAndOursFreed() {
        VmMap a = userMap();
        VmMap b = userMap();
        long va = mapFile(a, data, 0, 3, MapFlags.NONE);
        long vb = mapFile(b, data, 0, 3, MapFlags.NONE);
        // Page tables first, and page 1 cached, so that only the race moves pages below.
        Faults.read8(ram, a, va + PAGE);
        Faults.read8(ram, b, vb + PAGE);
        long free = m.pages.freeBytes();
        store.beforeNextRead(() -> assertEquals(0, b.force(vb, Prot.READ), "the other fault loads page 0 meanwhile"));
        assertEquals(0, a.force(va, Prot.READ));
        assertEquals(3, store.reads, "two fetches of page 0 ran");
        assertEquals(free - PAGE, m.pages.freeBytes(), "one page kept, the loser's freed");
        int page0 = object().page(0);
        assertEquals(frames.addr(page0), Faults.phys(a, va));
        assertEquals(frames.addr(page0), Faults.phys(b, vb));
    }

    @Test
    void whenTheEntryChangesMeanwhileTheFaultFailsAndThePageIsFreed() {
        VmMap map = userMap();
        long va = mapFile(map, data, 0, 2, MapFlags.NONE);
        Faults.read8(ram, map, va + PAGE); // the page table
        long free = m.pages.freeBytes();
        long kmem = m.kmalloc.allocatedBytes();
        store.beforeNextRead(() -> map.munmap(VirtAddr.of(va), Size.of(2L * PAGE)).get());
        assertEquals(Errno.EINVAL, map.force(va, Prot.READ));
        assertFalse(map.isLockedByCurrentThread());
        assertEquals(0, m.pager.objectCount(), "the unmap dropped the last reference");
        assertTrue(m.pages.freeBytes() > free, "the fetched page and the cached one are free");
        assertTrue(m.kmalloc.allocatedBytes() < kmem);
    }

    @Test
    void whenAPrivateEntryChangesMeanwhileItsAmapIsNotTouched() {
        VmMap map = userMap();
        long va = mapFile(map, data, 0, 2, MapFlags.NEEDSCOPY);
        Faults.read8(ram, map, va + PAGE);
        // A write fault: amap_create, then amap_page fetches with the amap's lock released.
        store.beforeNextRead(() -> map.munmap(VirtAddr.of(va), Size.of(2L * PAGE)).get());
        assertEquals(Errno.EINVAL, map.force(va, RW));
        assertEquals(0, m.pager.amapCount(), "the amap went with the entry");
        assertEquals(0, m.pager.objectCount());
    }

    @Test
    void whenTheSlotIsFilledMeanwhileItsAnonIsUsed() {
        VmMap map = userMap();
        long va = mapFile(map, data, 0, 2, MapFlags.NEEDSCOPY);
        Faults.read8(ram, map, va + PAGE); // page table; page 1 cached
        assertEquals(0, Faults.write8(ram, map, va + PAGE, 1)); // the entry has its amap now
        store.beforeNextRead(() -> assertEquals(0, Faults.write8(ram, map, va, 0x33), "another thread writes page 0"));
        assertEquals(0, map.force(va, Prot.READ));
        assertEquals(2, m.pager.anonCount(), "no anon is lost or leaked");
        assertEquals(0x33, Faults.read8(ram, map, va));
    }

    @Test
    void offsetsAtOrBeyondTheObjectsSizeFailAndTheLastPageEndsInZeros() {
        dirtyFreeRam();
        VmMap map = userMap();
        long va = mapFile(map, data, 2L * PAGE, 3, MapFlags.NONE);
        // Page 3 of the object holds half a page of data; its tail reads as zeros.
        assertEquals(TestStore.byteAt(data, 3L * PAGE + 10) & 0xff, Faults.read8(ram, map, va + PAGE + 10));
        assertEquals(0, Faults.read8(ram, map, va + PAGE + PAGE / 2));
        assertEquals(0, Faults.read8(ram, map, va + 2 * PAGE - 1));
        assertEquals(Errno.EINVAL, map.force(va + 2 * PAGE, Prot.READ), "offset 4P is beyond the object");
        long far = mapFile(map, data, 8L * PAGE, 1, MapFlags.NONE);
        assertEquals(Errno.EINVAL, map.force(far, Prot.READ));
        assertEquals(1, store.reads, "nothing is fetched for a page beyond the object");
    }

    @Test
    void aFailedFetchIsEnomemAndLeavesNothing() {
        VmMap map = userMap();
        long va = mapFile(map, data, 0, 2, MapFlags.NONE);
        Faults.read8(ram, map, va + PAGE);
        long free = m.pages.freeBytes();
        long kmem = m.kmalloc.allocatedBytes();
        int kernelEntries = m.maps.kernelMap().entryCount();

        store.failRead = true;
        assertEquals(Errno.ENOMEM, map.force(va, Prot.READ));
        store.failRead = false;
        store.failOpen = true;
        assertEquals(Errno.ENOMEM, map.force(va, Prot.READ));
        store.failOpen = false;
        List<Integer> hoard = m.exhaustPages();
        assertEquals(Errno.ENOMEM, map.force(va, Prot.READ), "no page to fetch into");
        m.release(hoard);
        assertEquals(free, m.pages.freeBytes());
        assertEquals(kmem, m.kmalloc.allocatedBytes());
        assertEquals(kernelEntries, m.maps.kernelMap().entryCount());
        assertEquals(PageFrames.NONE, object().page(0));

        // Fetched, but no page for the private copy.
        MapEntry e = map.tree().find(va, PAGE);
        assertNotNull(e);
        VmMap priv = userMap();
        long vp = mapFile(priv, data, 0, 1, MapFlags.NEEDSCOPY);
        Faults.read8(ram, priv, vp);
        hoard = m.exhaustPages();
        assertEquals(Errno.ENOMEM, priv.force(vp, RW));
        m.release(hoard);
        assertEquals(frames.addr(object().page(0)), Faults.phys(priv, vp), "still the object's page, read-only");
    }
}
