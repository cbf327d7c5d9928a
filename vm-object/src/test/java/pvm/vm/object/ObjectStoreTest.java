package pvm.vm.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.testkit.FakeHal;
import pvm.vm.map.VmMap;
import pvm.vm.object.VmPagerTest.Proc;

/** {@code vm_objectGet}, {@code vm_objectRef}, {@code vm_objectPut} and {@code vm_objectContiguous}. */
class ObjectStoreTest {

    static final int PAGE = FakeHal.PAGE;
    static final int RW = Prot.READ | Prot.WRITE;
    static final Proc LAZY = new Proc("p", true);

    private final TestStore store = new TestStore();
    private final Oid data = store.add("data", 2 * PAGE + 100);
    private final BootedVm m = BootedVm.init(store);
    private final List<Integer> hoard = new ArrayList<>();
    private final long freeAtStart = m.pages.freeBytes();
    private final long kmallocAtStart = m.kmalloc.allocatedBytes();

    @AfterEach
    void everythingGivenBack() {
        m.release(hoard);
        assertEquals(List.of(), m.verify());
        assertEquals(0, m.pager.objectCount());
        assertEquals(freeAtStart, m.pages.freeBytes(), "pages");
        assertEquals(kmallocAtStart, m.kmalloc.allocatedBytes(), "kmalloc");
    }

    private VmMap userMap() {
        return m.maps.create(VirtAddr.of(0x10000), VirtAddr.of(FakeHal.VADDR_KERNEL)).getOrElseThrow(e -> new AssertionError(e.message()));
    }

    @Test
    void getFindsOrMakesTheObjectAndCountsEveryReference() {
        VmObject o = m.pager.objectGet(data).get();
        assertEquals(data, o.oid());
        assertEquals(2L * PAGE + 100, o.size());
        assertEquals(3, o.pageCount(), "round_page(size) / SIZE_PAGE");
        assertEquals(0, o.residentPages(), "nothing is read before a fault");
        assertEquals("data", o.name().get());
        assertEquals(1, o.refs());
        assertEquals(1, m.pager.objectCount());
        assertEquals(0, store.reads);

        assertSame(o, m.pager.objectGet(data).get(), "one object per oid");
        assertSame(o, m.pager.objectGet("data").get());
        assertSame(o, m.pager.objectRef(o));
        assertEquals(4, o.refs());
        assertEquals(1, store.sizes, "the size is asked once, when the object is made");
        assertEquals(List.of(), m.pager.verify(List.of(m.maps.kernelMap()), Map.of(o, 4)));

        m.pager.objectPut(o);
        m.pager.objectPut(o);
        m.pager.objectPut(o);
        assertFalse(o.isFreed());
        assertSame(o, m.pager.findObject(data).get());
        m.pager.objectPut(o);
        assertTrue(o.isFreed());
        assertTrue(m.pager.findObject(data).isEmpty());
    }

    @Test
    void theMetadataIsOneKmallocBlockOfTheCSize() {
        long before = m.kmalloc.allocatedBytes();
        VmObject o = m.pager.objectGet(data).get();
        assertEquals(36 + 3 * 4, m.pager.sizes().objectBytes(3), "sizeof(vm_object_t) + 3 page pointers on ia32");
        assertEquals(64, m.kmalloc.blockSize(o.kaddr()), "a 48-byte request takes a 64-byte block");
        assertTrue(m.kmalloc.allocatedBytes() >= before + 64);
        m.pager.objectPut(o);
        assertEquals(before, m.kmalloc.allocatedBytes());
    }

    @Test
    void anUnknownOidOrNameIsEnoentAndChangesNothing() {
        VmError e = m.pager.objectGet(new Oid(TestStore.PORT, 99)).getLeft();
        assertInstanceOf(VmError.ENOENT.class, e);
        assertEquals("ENOENT", m.pager.objectGet("nothing").getLeft().errno());
        assertEquals("EINVAL", m.pager.objectGet(Oid.CONTIGUOUS).getLeft().errno());
        assertEquals(0, m.pager.objectCount());
    }

    @Test
    void theLastPutFreesTheCachedPages() {
        VmObject o = m.pager.objectGet(data).get();
        VmMap map = userMap();
        long va = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(3L * PAGE), RW, o, 0, MapFlags.NONE, LAZY).get().value();
        m.pager.objectPut(o); // the mapping holds it now, as after sys_mmap
        assertEquals(1, o.refs());
        assertEquals(TestStore.byteAt(data, PAGE + 5) & 0xff, Faults.read8(m.hal.memory(), map, va + PAGE + 5));
        assertEquals(1, o.residentPages());
        int frame = o.page(1);
        assertEquals(PageFlags.OWNER_APP, PageFlags.owner(m.pages.frames().flags(frame)));
        assertEquals(List.of(), m.verify());
        map.munmap(VirtAddr.of(va), Size.of(3L * PAGE)).get();
        assertTrue(o.isFreed());
        assertTrue(m.pages.frames().isFree(frame));
        m.maps.destroy(null, map);
    }

    @Test
    void aContiguousObjectHoldsOneBlockFromTheStart() {
        VmObject o = m.pager.objectContiguous(3L * PAGE).get();
        assertTrue(o.isContiguous());
        assertEquals(Oid.CONTIGUOUS, o.oid());
        assertEquals(4L * PAGE, o.size(), "the block's size: 1 << idx");
        assertEquals(4, o.residentPages());
        PageFrames frames = m.pages.frames();
        for (int i = 0; i < 4; i++) {
            assertEquals(o.page(0) + i, o.page(i));
            assertEquals(frames.addr(o.page(0)) + (long) i * PAGE, frames.addr(o.page(i)));
        }
        assertEquals(1, o.refs());
        assertEquals(1, m.pager.objectCount());
        assertTrue(m.pager.findObject(Oid.CONTIGUOUS).isEmpty(), "never in the tree");

        VmMap map = userMap();
        long va = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(3L * PAGE), RW, o, 0, MapFlags.NONE, LAZY).get().value();
        m.pager.objectPut(o);
        assertEquals(0, Faults.write8(m.hal.memory(), map, va + 2 * PAGE, 0x5a));
        assertEquals(frames.addr(o.page(2)), Faults.phys(map, va + 2 * PAGE), "the block's own page, no copy");
        assertEquals(List.of(), m.verify());
        assertTrue(m.pager.describeObjects().stream().anyMatch(l -> l.contains("contiguous at") && l.contains("refs 1")));
        map.munmap(VirtAddr.of(va), Size.of(3L * PAGE)).get();
        assertTrue(o.isFreed());
        m.maps.destroy(null, map);
    }

    @Test
    void putsOfContiguousObjectsLeaveTheTreeAlone() {
        VmObject file = m.pager.objectGet(data).get();
        VmObject c = m.pager.objectContiguous(PAGE).get();
        m.pager.objectPut(c);
        assertSame(file, m.pager.findObject(data).get());
        assertSame(file, m.pager.objectGet(data).get());
        m.pager.objectPut(file);
        m.pager.objectPut(file);
    }

    @Test
    void outOfPagesOrKmallocGetAndContiguousFailWithNothingLeft() {
        assertEquals("ENOMEM", m.pager.objectContiguous(0).getLeft().errno());
        assertEquals("ENOMEM", m.pager.objectContiguous(1L << 40).getLeft().errno());

        // A big file needs a kmalloc class no zone serves yet: with no page left for a zone, it fails.
        Oid big = store.add("big", 1000 * PAGE);
        hoard.addAll(m.exhaustPages());
        long kmem = m.kmalloc.allocatedBytes();
        assertEquals("ENOMEM", m.pager.objectGet(big).getLeft().errno());
        assertEquals("ENOMEM", m.pager.objectContiguous(PAGE).getLeft().errno());
        assertEquals(kmem, m.kmalloc.allocatedBytes());
        assertEquals(0, m.pager.objectCount());
        assertTrue(m.pager.findObject(big).isEmpty());

        // A block but no metadata: the block goes back. Fill the class of a one-page object's
        // 40-byte request until kmalloc would need a page, then free exactly one page.
        List<Long> blocks = new ArrayList<>();
        for (long b = m.kmalloc.kmalloc(40); b != 0; b = m.kmalloc.kmalloc(40)) {
            blocks.add(b);
        }
        m.pages.freeFrame(hoard.removeLast());
        long free = m.pages.freeBytes();
        assertEquals("ENOMEM", m.pager.objectContiguous(PAGE).getLeft().errno());
        assertEquals(free, m.pages.freeBytes());
        assertEquals(0, m.pager.objectCount());
        for (long b : blocks) {
            assertTrue(m.kmalloc.kfree(b).isRight());
        }
    }

    @Test
    void theCheckerCountsEntriesAndOtherHolders() {
        VmObject o = m.pager.objectGet(data).get();
        assertTrue(m.verify().stream().anyMatch(v -> v.contains("held by nobody")), "a reference nobody accounts for is a leak");
        assertEquals(List.of(), m.pager.verify(List.of(m.maps.kernelMap()), Map.of(o, 1)));
        VmMap map = userMap();
        long va = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(PAGE), RW, o, 0, MapFlags.NONE, LAZY).get().value();
        assertTrue(m.verify().stream().anyMatch(v -> v.contains("refs 2, but 1 entries and 0 other holders")));
        m.pager.objectPut(o);
        assertEquals(List.of(), m.verify());
        map.munmap(VirtAddr.of(va), Size.of(PAGE)).get();
        m.maps.destroy(null, map);
    }

    @Test
    void theCheckerCatchesAPrivateMappingThatCouldWriteTheObjectsPage() {
        VmObject o = m.pager.objectGet(data).get();
        VmMap map = userMap();
        long va = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(PAGE), RW, o, 0, MapFlags.NEEDSCOPY, LAZY).get().value();
        m.pager.objectPut(o);
        Faults.read8(m.hal.memory(), map, va);
        VirtAddr v = VirtAddr.of(va);
        var pa = map.pmap().resolve(v);
        int attr = map.pmap().attributes(v);
        map.pmap().enter(pa, v, attr | pvm.hal.pmap.Attr.WRITE, Frame.NONE);
        assertTrue(m.pager.verify().stream().anyMatch(l -> l.contains("is writable and is")), m.pager.verify().toString());
        map.pmap().enter(pa, v, attr, Frame.NONE);
        assertEquals(List.of(), m.pager.verify());
        map.munmap(v, Size.of(PAGE)).get();
        m.maps.destroy(null, map);
    }

    @Test
    void theViewListsEveryLiveObject() {
        VmObject o = m.pager.objectGet(data).get();
        List<String> lines = m.pager.describeObjects();
        assertEquals("objects: 1 (and the kernel object), amaps: 0, anons: 0", lines.getFirst());
        assertTrue(lines.stream().anyMatch(l -> l.contains("0.0") && l.contains("kernel")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("7.1") && l.contains("data") && l.contains("(3 pages), refs 1, resident 0")),
                lines.toString());
        m.pager.objectPut(o);
        assertEquals(1, m.pager.describeObjects().size() - 1, "the kernel object stays");
    }
}
