package pvm.vm.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.TargetAbi;
import pvm.hal.pmap.VirtAddr;
import pvm.testkit.FakeHal;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.map.MapEntry;
import pvm.vm.map.MapOwner;
import pvm.vm.map.MemObject;
import pvm.vm.map.Pager;
import pvm.vm.map.VmMap;

class VmPagerTest {

    static final int PAGE = FakeHal.PAGE;
    static final int RW = Prot.READ | Prot.WRITE;

    /** A process as the mapper sees one. */
    record Proc(String name, boolean lazy) implements MapOwner {
    }

    private final BootedVm m = BootedVm.init();
    private final PhysicalMemory ram = m.hal.memory();
    private final PageFrames frames = m.pages.frames();

    private VmMap userMap() {
        return m.maps.create(VirtAddr.of(0x10000), VirtAddr.of(FakeHal.VADDR_KERNEL)).getOrElseThrow(e -> new AssertionError(e.message()));
    }

    private static long mmapAnon(VmMap map, int pages, MapOwner owner) {
        return map.mmap(VirtAddr.NULL, Frame.NONE, Size.of((long) pages * PAGE), RW, null, -1, MapFlags.NONE, owner)
                .getOrElseThrow(e -> new AssertionError(e.message())).value();
    }

    private static MapEntry entryAt(VmMap map, long va) {
        return map.tree().find(va, PAGE);
    }

    private static long phys(VmMap map, long va) {
        return map.pmap().resolve(VirtAddr.of(va)).value();
    }

    private int frameAt(VmMap map, long va) {
        return frames.find(phys(map, va));
    }

    private void dirtyFreeRam() {
        for (int f = 0; f < frames.count(); f++) {
            if (frames.isFree(f)) {
                ram.fill(frames.addr(f), PAGE, 0xa5);
            }
        }
    }

    private void write(VmMap map, long va, long pattern) {
        for (int i = 0; i < PAGE; i += 8) {
            ram.write64(phys(map, va) + i, pattern + i);
        }
    }

    private void assertPage(VmMap map, long va, long pattern) {
        for (int i = 0; i < PAGE; i += 8) {
            assertEquals(pattern + i, ram.read64(phys(map, va) + i), String.format("word %d of the page at 0x%x", i / 8, va));
        }
    }

    private void assertZero(VmMap map, long va) {
        for (int i = 0; i < PAGE; i += 8) {
            assertEquals(0, ram.read64(phys(map, va) + i), String.format("word %d of the page at 0x%x", i / 8, va));
        }
    }

    @Test
    void initPrintsAndBecomesThePager() {
        assertEquals("vm: Initializing memory objects", m.console.getLast());
        assertTrue(m.console.get(m.console.size() - 2).startsWith("vm: Initializing kernel memory allocator"));
        assertSame(m.pager, m.maps.pager());
        assertEquals(1, m.pager.kernelObject().refs());
        assertEquals(IA32, m.pager.sizes(), "the sizes of the target's ABI");
        assertEquals(106, m.pager.sizes().minSlots());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void anonymousMemoryGetsZeroedPagesInOneAmapChargedToKmalloc() {
        VmMap map = userMap();
        long kmem = m.kmalloc.allocatedBytes();
        int zones = m.kmalloc.zoneCount();
        long free = m.pages.freeBytes();
        dirtyFreeRam();

        long va = mmapAnon(map, 3, new Proc("p", false));

        MapEntry e = entryAt(map, va);
        Amap amap = assertInstanceOf(Amap.class, e.amap());
        assertEquals(106, amap.size(), "slot arrays come in 512-byte chunks");
        assertEquals(1, amap.refs());
        assertEquals(3, amap.anonCount());
        assertEquals(3, m.pager.anonCount());
        for (int i = 0; i < 3; i++) {
            long v = va + (long) i * PAGE;
            assertZero(map, v);
            assertEquals(PageFlags.OWNER_APP, PageFlags.owner(frames.flags(frameAt(map, v))));
            assertEquals(frameAt(map, v), amap.anon(i).frame());
            assertEquals(1, amap.anon(i).refs());
        }
        int newZones = m.kmalloc.zoneCount() - zones;
        assertEquals(512 + 3 * 128 + 64L * newZones, m.kmalloc.allocatedBytes() - kmem,
                "an amap of 88 + 106 * 4 = 512 bytes, three anons of 88 bytes in 128-byte blocks, a header per new zone");
        assertEquals(List.of(), m.verify());

        assertTrue(map.munmap(VirtAddr.of(va), Size.of(3L * PAGE)).isRight());
        assertEquals(0, m.pager.anonCount());
        assertEquals(0, m.pager.amapCount());
        assertTrue(amap.isFreed());
        assertEquals(kmem, m.kmalloc.allocatedBytes(), "kmalloc is back where it started");
        assertEquals(free, m.pages.freeBytes(), "every page is back, zones included (Phoenix policy)");
        assertEquals(List.of(), m.verify());
    }

    @Test
    void aBigEntryGetsAnAmapOfItsOwnSize() {
        VmMap map = userMap();
        long va = mmapAnon(map, 200, new Proc("p", true));
        assertTrue(map.force(va + 7 * PAGE, Prot.WRITE | Prot.READ) == Errno.EOK);
        Amap amap = (Amap) entryAt(map, va).amap();
        assertEquals(200, amap.size());
        assertEquals(1024, m.kmalloc.blockSize(amap.kaddr()), "88 + 200 * 4 = 888 bytes");
        assertEquals(1, amap.anonCount());
        assertNotNull(amap.anon(7));
        assertEquals(List.of(), m.verify());
    }

    @Test
    void partialUnmapReleasesOnlyThoseAnons() {
        VmMap map = userMap();
        long va = mmapAnon(map, 3, new Proc("p", false));
        Amap amap = (Amap) entryAt(map, va).amap();
        Anon middle = amap.anon(1);
        int frame = middle.frame();
        assertTrue(map.munmap(VirtAddr.of(va + PAGE), Size.of(PAGE)).isRight());
        assertTrue(middle.isFreed());
        assertTrue(frames.isFree(frame));
        assertEquals(2, m.pager.anonCount());
        assertEquals(2, amap.refs(), "the entry split in two, both on the amap");
        assertEquals(List.of(), m.verify());
        // Mapping the hole again clears the stale slot and gives a fresh page.
        long again = map.mmap(VirtAddr.of(va + PAGE), Frame.NONE, Size.of(PAGE), RW, null, -1, MapFlags.FIXED, new Proc("p", false))
                .getOrElseThrow(err -> new AssertionError(err.message())).value();
        assertEquals(va + PAGE, again);
        assertEquals(3, m.pager.anonCount());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void aLazyForkSharesAnonsUntilAWriteCopies() {
        VmMap parent = userMap();
        Proc p = new Proc("parent", true);
        long va = mmapAnon(parent, 2, p);
        assertEquals(Errno.EOK, parent.force(va, RW));
        assertEquals(Errno.EOK, parent.force(va + PAGE, RW));
        write(parent, va, 0x1000);
        write(parent, va + PAGE, 0x2000);
        Amap shared = (Amap) entryAt(parent, va).amap();
        Anon a0 = shared.anon(0);
        Anon a1 = shared.anon(1);
        int f0 = a0.frame();
        int f1 = a1.frame();

        VmMap child = userMap();
        Proc c = new Proc("child", true);
        assertTrue(m.maps.copy(c, child, parent, true).isRight());
        assertSame(shared, entryAt(child, va).amap());
        assertEquals(2, shared.refs());
        assertEquals(2, a0.refs());
        assertEquals(2, a1.refs());
        assertEquals(List.of(), m.verify());

        // The child writes page 0: a new amap for the child, a private copy of the page.
        assertEquals(Errno.EOK, child.force(va, RW));
        Amap mine = (Amap) entryAt(child, va).amap();
        assertNotEquals(shared, mine);
        assertEquals(1, shared.refs());
        assertEquals(1, mine.refs());
        assertNotEquals(f0, frameAt(child, va));
        assertEquals(frameAt(child, va), mine.anon(0).frame());
        assertPage(child, va, 0x1000);
        assertEquals(1, a0.refs(), "the parent's page is the parent's alone now");
        assertSame(a1, mine.anon(1), "page 1 still shared through both amaps");
        assertEquals(2, a1.refs());
        assertEquals(List.of(), m.verify());

        // The child reads page 1: the shared page, no copy.
        assertEquals(Errno.EOK, child.force(va + PAGE, Prot.READ));
        assertEquals(f1, frameAt(child, va + PAGE));
        assertEquals(2, a1.refs());

        // The parent writes page 1: its amap is its own (refs 1) but the anon is shared: copy.
        assertEquals(Errno.EOK, parent.force(va + PAGE, RW));
        assertSame(shared, entryAt(parent, va).amap(), "amap_create with one reference keeps the amap");
        assertNotEquals(f1, frameAt(parent, va + PAGE));
        assertPage(parent, va + PAGE, 0x2000);
        assertEquals(1, a1.refs());
        assertEquals(f1, frameAt(child, va + PAGE), "the child keeps the original");

        // The parent writes page 0: not shared any more, no copy.
        assertEquals(Errno.EOK, parent.force(va, RW));
        assertEquals(f0, frameAt(parent, va));
        assertEquals(List.of(), m.verify());

        m.maps.destroy(c, child);
        assertEquals(2, m.pager.anonCount());
        assertEquals(1, m.pager.amapCount());
        assertEquals(List.of(), m.verify());
        m.maps.destroy(p, parent);
        assertEquals(0, m.pager.anonCount());
        assertEquals(0, m.pager.amapCount());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void anEagerForkCopiesEveryWritablePageAtOnce() {
        VmMap parent = userMap();
        long va = mmapAnon(parent, 2, new Proc("parent", false));
        write(parent, va, 0x10);
        write(parent, va + PAGE, 0x20);
        VmMap child = userMap();
        assertTrue(m.maps.copy(new Proc("child", false), child, parent, false).isRight());
        assertNotEquals(frameAt(parent, va), frameAt(child, va));
        assertNotEquals(frameAt(parent, va + PAGE), frameAt(child, va + PAGE));
        assertPage(child, va, 0x10);
        assertPage(child, va + PAGE, 0x20);
        assertEquals(4, m.pager.anonCount());
        assertEquals(2, m.pager.amapCount());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void kmallocAndPagesReturnToTheStartAfterEverythingIsFreed() {
        long kmem = m.kmalloc.allocatedBytes();
        long free = m.pages.freeBytes();
        int zones = m.kmalloc.zoneCount();
        for (int round = 0; round < 2; round++) {
            VmMap parent = userMap();
            Proc p = new Proc("parent", round == 0);
            long va = mmapAnon(parent, 5, p);
            if (round == 0) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(Errno.EOK, parent.force(va + (long) i * PAGE, RW));
                }
            }
            VmMap child = userMap();
            Proc c = new Proc("child", round == 0);
            assertTrue(m.maps.copy(c, child, parent, round == 0).isRight());
            assertEquals(Errno.EOK, child.force(va + 2 * PAGE, RW));
            assertTrue(parent.munmap(VirtAddr.of(va + PAGE), Size.of(2 * PAGE)).isRight());
            assertEquals(List.of(), m.verify());
            m.maps.destroy(p, parent);
            m.maps.destroy(c, child);
            assertEquals(List.of(), m.verify());
            assertEquals(kmem, m.kmalloc.allocatedBytes());
            assertEquals(zones, m.kmalloc.zoneCount());
            assertEquals(free, m.pages.freeBytes());
        }
    }

    @Test
    void theKernelMapFaultsThroughItsOwnReentrantLock() {
        VmMap kmap = m.maps.kernelMap();
        dirtyFreeRam();
        long va = kmap.mmap(VirtAddr.NULL, Frame.NONE, Size.of(2L * PAGE), RW, null, -1, MapFlags.NONE, null)
                .getOrElseThrow(e -> new AssertionError(e.message())).value();
        assertZero(kmap, va);
        assertZero(kmap, va + PAGE);
        assertEquals(2, m.pager.anonCount());
        assertEquals(List.of(), m.verify());
        assertTrue(kmap.munmap(VirtAddr.of(va), Size.of(2L * PAGE)).isRight());
        assertEquals(0, m.pager.anonCount());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void amapCreateKeepsAnAmapWithOneReference() {
        VmMap map = userMap();
        long va = mmapAnon(map, 2, new Proc("p", false));
        MapEntry e = entryAt(map, va);
        Amap amap = (Amap) e.amap();
        long aoffs = e.aoffs();
        long kmem = m.kmalloc.allocatedBytes();
        assertSame(amap, m.pager.amapCreate(amap, e, e.size()));
        assertEquals(aoffs, e.aoffs());
        assertEquals(kmem, m.kmalloc.allocatedBytes());
        assertEquals(1, amap.refs());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void theCheckerSeesCountsThatDoNotMatchTheEntries() {
        VmMap map = userMap();
        long va = mmapAnon(map, 2, new Proc("p", false));
        MapEntry e = entryAt(map, va);
        m.pager.amapGetAnons(e.amap(), e.aoffs(), e.size());
        assertTrue(m.pager.verify().stream().anyMatch(v -> v.contains("refs 2, but 1 entry pages")), m.pager.verify().toString());
        m.pager.amapPutAnons(e.amap(), e.aoffs(), e.size());
        assertEquals(List.of(), m.verify());

        m.pager.amapRef(e.amap());
        assertTrue(m.pager.verify().stream().anyMatch(v -> v.contains("refs 2, but 1 entries")), m.pager.verify().toString());
        m.pager.amapPut(e.amap());
        assertEquals(List.of(), m.verify());

        // An amap no entry holds is a leak; putting it frees its block.
        long kmem = m.kmalloc.allocatedBytes();
        Amap loose = (Amap) m.pager.amapCreate(null, e, PAGE);
        assertEquals(0, e.aoffs());
        assertTrue(m.pager.verify().stream().anyMatch(v -> v.contains("used by no entry")));
        assertEquals(512, m.kmalloc.allocatedBytes() - kmem);
        m.pager.amapClear(loose, 0, PAGE);
        m.pager.amapPut(loose);
        assertTrue(loose.isFreed());
        assertEquals(kmem, m.kmalloc.allocatedBytes());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void amapClearForgetsSlotsWithoutReleasingAnons() {
        VmMap map = userMap();
        long va = mmapAnon(map, 2, new Proc("p", false));
        MapEntry e = entryAt(map, va);
        Amap amap = (Amap) e.amap();
        Anon a1 = amap.anon(1);
        m.pager.amapClear(amap, e.aoffs() + PAGE, PAGE);
        assertNull(amap.anon(1));
        assertFalse(a1.isFreed());
        assertTrue(m.pager.verify().stream().anyMatch(v -> v.contains("leaked anons")), m.pager.verify().toString());
    }

    @Test
    void objectPagesForAnonymousPhysicalAndKernelObjects() {
        VmMap kmap = m.maps.kernelMap();
        int f = m.pager.objectPage(kmap, null, 0, -1);
        assertTrue(f >= 0);
        assertEquals(PageFlags.OWNER_APP, PageFlags.owner(frames.flags(f)));
        m.pages.freeFrame(f);

        assertEquals(frames.find(0x20_0000), m.pager.objectPage(kmap, MemObject.PHYSMEM, 0, 0x20_0000));
        assertEquals(Pager.NO_PAGE, m.pager.objectPage(kmap, MemObject.PHYSMEM, 0, 0x8000_0000L), "not RAM");
        assertEquals(Errno.ERANGE, m.pager.objectPage(kmap, MemObject.PHYSMEM, 0, 0x1_0000_0000L));
        assertEquals(Errno.ERANGE, m.pager.objectPage(kmap, MemObject.PHYSMEM, 0, -1));
        assertEquals(Errno.EINVAL, m.pager.objectPage(kmap, m.maps.kernelObject(), 0, 0), "the kernel object has size 0");
        assertEquals(Errno.EINVAL, m.pager.objectPage(kmap, m.maps.kernelObject(), 0, -1));
    }

    @Test
    void physicalMemoryIsMappedAtItsAddressWithoutAnAmap() {
        VmMap map = userMap();
        long pa = 0x30_0000;
        int target = frames.find(pa);
        int before = frames.flags(target);
        Proc p = new Proc("p", true);
        long va = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(PAGE), RW, MemObject.PHYSMEM, pa, MapFlags.NONE, p)
                .getOrElseThrow(e -> new AssertionError(e.message())).value();
        assertEquals(Errno.EOK, map.force(va, Prot.READ));
        assertEquals(pa, phys(map, va));
        assertNull(entryAt(map, va).amap(), "physical memory is mapped without an amap");
        assertEquals(before, frames.flags(target));
        assertEquals(List.of(), m.verify());
    }

    @Test
    void objectCountsFollowRefAndPut() {
        MemObject k = m.maps.kernelObject();
        int refs = m.pager.kernelObject().refs();
        assertSame(k, m.pager.objectRef(k));
        assertEquals(refs + 1, m.pager.kernelObject().refs());
        m.pager.objectPut(k);
        assertEquals(refs, m.pager.kernelObject().refs());
        assertNull(m.pager.objectRef(null));
        assertSame(MemObject.PHYSMEM, m.pager.objectRef(MemObject.PHYSMEM));
        m.pager.objectPut(null);
        m.pager.objectPut(MemObject.PHYSMEM);
        assertEquals(refs, m.pager.kernelObject().refs());
    }

    @Test
    void theAmapNullCallsAreNoOps() {
        assertNull(m.pager.amapRef(null));
        m.pager.amapPut(null);
        m.pager.amapGetAnons(null, 0, PAGE);
        m.pager.amapPutAnons(null, 0, PAGE);
        m.pager.amapClear(null, 0, PAGE);
        assertEquals(List.of(), m.verify());
    }

    /** ia32's structures (lock 80, amap 88, anon 88, object 36), as arch-i686 declares them. */
    private static final ObjectSizes IA32 = ObjectSizes.of(new TargetAbi(4, 16, 60, 124, 80, 88, 88, 36));
    /** armv7m's (lock 48, amap 56, anon 56, object 32), as arch-nommu declares them. */
    private static final ObjectSizes ARMV7M = ObjectSizes.of(new TargetAbi(4, 12, 72, 80, 48, 56, 56, 32));

    @Test
    void armTargetsChargeTheirSmallerLocks() {
        assertEquals(56, ARMV7M.amapSize());
        assertEquals(56, ARMV7M.anonSize());
        assertEquals(114, ARMV7M.minSlots());
        assertEquals(512, IA32.amapBytes(IA32.minSlots()));
        assertEquals(88, IA32.anonSize());
        assertEquals(40, IA32.regionSize(), "a shared region's descriptor with 4-byte pointers");
        assertEquals(20, IA32.shareSize());
    }

    @Test
    void keepOneEmptyReturnsKmallocToItsWarmState() {
        BootedVm k = BootedVm.init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        VmMap map = k.maps.create(VirtAddr.of(0x10000), VirtAddr.of(FakeHal.VADDR_KERNEL)).get();
        long va = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(4L * PAGE), RW, null, -1, MapFlags.NONE, new Proc("p", false)).get().value();
        assertTrue(map.munmap(VirtAddr.of(va), Size.of(4L * PAGE)).isRight());
        long warm = k.kmalloc.allocatedBytes();
        long free = k.pages.freeBytes();
        va = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(4L * PAGE), RW, null, -1, MapFlags.NONE, new Proc("p", false)).get().value();
        assertTrue(map.munmap(VirtAddr.of(va), Size.of(4L * PAGE)).isRight());
        assertEquals(warm, k.kmalloc.allocatedBytes());
        assertEquals(free, k.pages.freeBytes());
        assertEquals(List.of(), k.verify());
    }
}
