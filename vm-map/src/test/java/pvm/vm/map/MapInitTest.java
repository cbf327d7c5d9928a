package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.vm.page.BuddyPageAllocator;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;

/** {@code _map_init}: the pool, its place in the kernel heap, the kernel map, the no-MMU maps. */
class MapInitTest {

    @Test
    void poolIsSizedFromFreeMemoryAndCarvedFromTheKernelHeap() {
        FlatHal hal = new FlatHal(8 << 20, 4096, true);
        PmapInit init = hal.init();
        KernelHeap heap = new KernelHeap(init.heapStart().value(), init.heapEnd().value());
        List<String> console = new java.util.ArrayList<>();
        PageAllocator pages = BuddyPageAllocator.boot(hal, init.kernel(), heap, console::add);
        long free = pages.freeBytes();
        long bss = heap.bss();
        long heapPagesBefore = countHeapPages(pages);
        long topBefore = heap.top();

        VmMaps maps = VmMaps.init(hal, pages, init.kernel(), heap, console::add, FlatHal.modelOf(hal));

        long ntotal = free / (3 * 4096 + 60);
        assertEquals(ntotal, maps.entriesTotal());
        assertEquals(ntotal, maps.entriesFree() + 3);
        assertEquals(60, maps.pool().entrySize());
        assertEquals(bss, maps.pool().base());
        assertEquals(bss + ntotal * 60, heap.bss());
        assertTrue(heap.top() >= heap.bss() && heap.top() - heap.bss() < 4096);
        assertEquals(String.format("vm: Initializing memory mapper: (%d*60) %d", ntotal, ntotal * 60), console.getLast());
        // The heap grew by whole pages, each one allocated as kernel heap (H) and mapped at its place.
        long grown = (heap.top() - topBefore) / 4096;
        assertTrue(grown > 0);
        assertEquals(heapPagesBefore + grown, countHeapPages(pages));
        for (long va = topBefore; va < heap.top(); va += 4096) {
            int f = pages.frames().find(init.kernel().resolve(VirtAddr.of(va)).value());
            assertEquals(PageFlags.KERNEL_HEAP, PageFlags.kernelUse(pages.frames().flags(f)));
        }
        assertEquals(free - grown * 4096, pages.freeBytes());
        assertTrue(maps.verify().isEmpty(), maps.verify().toString());
    }

    private static long countHeapPages(PageAllocator pages) {
        long n = 0;
        for (int f = 0; f < pages.frames().count(); f++) {
            int fl = pages.frames().flags(f);
            if (!PageFlags.isFree(fl) && PageFlags.kernelUse(fl) == PageFlags.KERNEL_HEAP) {
                n++;
            }
        }
        return n;
    }

    @Test
    void kernelMapHoldsTheSegmentsAndSpansTheKernelPmap() {
        TestMachine m = TestMachine.mmu();
        VmMap kmap = m.kmap();
        assertEquals(FlatHal.VADDR_KERNEL, kmap.start().value());
        assertEquals(FlatHal.VADDR_END, kmap.stop().value());
        List<EntryInfo> es = kmap.entries();
        assertEquals(3, es.size());
        assertEquals(FlatHal.VADDR_KERNEL, es.get(0).vaddr().value());
        assertEquals(Prot.READ | Prot.EXEC, es.get(0).prot());
        assertEquals(Prot.READ | Prot.WRITE, es.get(1).prot());
        assertEquals("kernel", es.get(2).object());
        assertEquals(EntryInfo.ObjectKind.OID, es.get(2).objectKind());
        assertEquals(MapEntry.OFFS_MAX, es.get(2).offs());
        assertEquals(-1, es.get(2).anonBytes());
        // The heap segment runs to the heap's top after the pool.
        assertEquals(pvm.hal.pmap.Sizes.alignUp(m.heap.top(), 4096), es.get(2).end());
        assertEquals(3, m.maps.pool().used());
        assertEquals(0, m.maps.sharedMapCount());
        assertTrue(m.verify().isEmpty(), m.verify().toString());
    }

    /**
     * {@code round_page} rounds up: the data segment, which starts inside the text's last page
     * (_etext is not page-aligned), begins on the next page, and its size is rounded up too, so the
     * kernel map holds every segment and nothing overlaps.
     */
    @Test
    void segmentsThatStartInsideAPageBeginOnTheNextOne() {
        TestMachine m = TestMachine.mmu();
        List<EntryInfo> es = m.kmap().entries();
        assertEquals(FlatHal.VADDR_KERNEL, es.get(0).vaddr().value());
        assertEquals(0x1_1000, es.get(0).size().bytes());
        assertEquals(FlatHal.VADDR_KERNEL + 0x1_1000, es.get(1).vaddr().value());
        assertEquals(0x1_0000, es.get(1).size().bytes());
        assertEquals(Prot.READ | Prot.WRITE, es.get(1).prot());
    }

    /** Phoenix ignores a segment it cannot enter; a kernel map missing part of the kernel fails the boot. */
    @Test
    void aSegmentThatCannotBeEnteredFailsTheBoot() {
        FlatHal hal = new FlatHal(8 << 20, 4096, true);
        hal.overlappingSegments = true;
        PmapInit init = hal.init();
        KernelHeap heap = new KernelHeap(init.heapStart().value(), init.heapEnd().value());
        PageAllocator pages = BuddyPageAllocator.boot(hal, init.kernel(), heap, s -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> VmMaps.init(hal, pages, init.kernel(), heap, s -> { }, FlatHal.modelOf(hal)));
        assertTrue(e.getMessage().startsWith("vm: cannot enter overlap [0xc0010000, 0xc0012000) into"), e.getMessage());
    }

    @Test
    void noMmuMakesOneSharedMapPerBoardMapWithTheKernelsFirst() {
        TestMachine m = TestMachine.nommu();
        assertEquals(2, m.maps.sharedMapCount());
        assertSame(m.kmap(), m.maps.sharedMap(0).get());
        VmMap other = m.maps.sharedMap(1).get();
        assertEquals(1 << 20, other.start().value());
        assertEquals(2 << 20, other.stop().value());
        assertEquals(0, m.kmap().start().value());
        assertEquals(1 << 20, m.kmap().stop().value());
        assertTrue(m.maps.sharedMap(2).isEmpty());
        assertTrue(m.maps.sharedMap(-1).isEmpty());
        assertEquals(72, m.maps.pool().entrySize());
        assertTrue(m.console.stream().anyMatch(l -> l.matches("vm: Initializing memory mapper: \\(\\d+\\*72\\) \\d+")));
        // The map table (2 pointers) and one vm_map_t follow the pool in the heap.
        assertEquals(m.maps.pool().base() + m.maps.pool().bytes() + 2 * 4 + 80, m.heap.bss());
        assertTrue(m.verify().isEmpty(), m.verify().toString());
    }

    @Test
    void thePagerIsSetOnce() {
        TestMachine m = TestMachine.mmu();
        assertSame(m.pager, m.maps.pager());
        assertThrows(IllegalStateException.class, () -> m.maps.setPager(m.pager));
    }

    /** Before the object layer, given pages of the kernel object can be mapped (zones do it). */
    @Test
    void theBootPagerMapsGivenPages() {
        FlatHal hal = new FlatHal(8 << 20, 4096, true);
        PmapInit init = hal.init();
        KernelHeap heap = new KernelHeap(init.heapStart().value(), init.heapEnd().value());
        PageAllocator pages = BuddyPageAllocator.boot(hal, init.kernel(), heap, s -> { });
        VmMaps maps = VmMaps.init(hal, pages, init.kernel(), heap, s -> { }, FlatHal.modelOf(hal));
        int f = pages.allocFrame(4 * 4096, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP);
        VirtAddr v = maps.kernelMap().mmap(maps.kernelMap().start(), new Frame(f), Size.of(4096), Prot.READ | Prot.WRITE,
                maps.kernelObject(), -1, MapFlags.NONE, null).get();
        for (int i = 0; i < 4; i++) {
            assertEquals(pages.frames().addr(f) + i * 4096L, maps.kernelMap().pmap().resolve(v.plus(i * 4096L)).value());
        }
        // The block lands right after the data segment (kernel object, read-write, no offset), which
        // therefore grows over it: Phoenix merges zone pages into the kernel's data entry the same way.
        assertEquals(FlatHal.VADDR_KERNEL + 0x2_1000, v.value());
        EntryInfo data = maps.kernelMap().entries().get(1);
        assertEquals(FlatHal.VADDR_KERNEL + 0x1_1000, data.vaddr().value());
        assertEquals(0x1_0000 + 4 * 4096, data.size().bytes());
        // Nothing can fault in before then.
        assertEquals("ENOMEM", maps.kernelMap().mmap(VirtAddr.NULL, Frame.NONE, Size.of(4096), Prot.READ, null, -1, 0, null)
                .getLeft().errno());
        assertTrue(maps.verify().isEmpty(), maps.verify().toString());
    }
}
