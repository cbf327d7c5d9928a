package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.BootMemoryMap.Bank;
import pvm.hal.pmap.BootMemoryMap.Taken;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.testkit.FakeBoard;
import pvm.testkit.FakeHal;
import pvm.testkit.FakePmap;

/**
 * {@code _page_init} on a small machine: 256 KiB of low memory, a hole up to 1 MiB, then 3 MiB with
 * the kernel image and a page table at its start. The page_t array (16 bytes a page) starts in the
 * middle of the heap's only page, so discovery has to grow the heap three times.
 */
class BuddyBootTest {

    private static final int PAGE = 4096;
    private static final int KERNEL = PageFlags.OWNER_KERNEL;

    private static BootMemoryMap machine() {
        return new BootMemoryMap(
                List.of(new Bank("low", 0, 0x4_0000), new Bank("high", 0x10_0000, 0x40_0000)),
                List.of(new Taken("bios", 0, 0x1000, PageFlags.OWNER_BOOT),
                        new Taken("kernel", 0x10_0000, 0x18_0000, KERNEL),
                        new Taken("pdir", 0x18_0000, 0x18_1000, KERNEL | PageFlags.KERNEL_PTABLE)));
    }

    private final List<String> console = new ArrayList<>();
    private final FakeHal hal = new FakeHal(FakeBoard.of(machine(), PAGE, true));
    private final FakePmap kernel = hal.pmap();
    private final KernelHeap heap = new KernelHeap(0xc018_1800L, 0xc018_2000L);

    @Test
    void bootDiscoversGrowsTheHeapBuildsTheListsAndPrintsTheMap() {
        BuddyPageAllocator pages = BuddyPageAllocator.boot(hal, kernel, heap, console::add);
        PageFrames frames = pages.frames();
        assertEquals(64 + 768, frames.count());

        // The heap grew when the next descriptor would reach its top: after 127, 383 and 639 pages.
        // Each time _page_sbrk took the first free page found so far; the first mapping needed a
        // page table, which came next.
        int heapFlags = KERNEL | PageFlags.KERNEL_HEAP;
        int ptableFlags = KERNEL | PageFlags.KERNEL_PTABLE;
        assertEquals(heapFlags, frames.flags(1));
        assertEquals(ptableFlags, frames.flags(2));
        assertEquals(heapFlags, frames.flags(3));
        assertEquals(heapFlags, frames.flags(4));
        assertEquals(List.of(
                new FakePmap.Entry(0xc018_2000L, 0x1000, Attr.WRITE | Attr.PRESENT),
                new FakePmap.Entry(0xc018_3000L, 0x3000, Attr.WRITE | Attr.PRESENT),
                new FakePmap.Entry(0xc018_4000L, 0x4000, Attr.WRITE | Attr.PRESENT),
                new FakePmap.Entry(0, 0, Attr.USER)), kernel.entries);
        assertEquals(0xc018_1800L + 832 * 16, heap.bss());
        assertEquals(0xc018_5000L, heap.top());

        // Page tables: one for the heap, two for kernel space up to top + 8 MiB (0x5000 and
        // 0x181000 head the 4 KiB list after _page_initSizes), one for the NULL entry (a split of
        // the 8 KiB block at 0x6000).
        assertEquals(List.of(0x2000L, 0x5000L, 0x18_1000L, 0x6000L),
                kernel.ptables.stream().map(frames::addr).toList());

        assertEquals(List.of(
                "vm: Initializing page allocator (540+4)/3328KB, page_t=16",
                "vm: BHPHHP[58.][192x][128K]PP[638.]"), console);

        assertEquals(832L * PAGE, pages.totalBytes());
        assertEquals(137L * PAGE, pages.allocatedBytes());
        assertEquals(PAGE, pages.bootBytes());
        assertEquals(List.of(), pages.verify());
        assertEquals(List.of(
                "order 12: 1 free", "order 13: 1 free", "order 14: 1 free", "order 15: 2 free",
                "order 16: 2 free", "order 17: 2 free", "order 18: 1 free", "order 21: 1 free"), pages.freeLists());
    }

    @Test
    void bootedAllocatorMapsWithFreshPageTables() {
        BuddyPageAllocator pages = BuddyPageAllocator.boot(hal, kernel, heap, console::add);
        long before = pages.allocatedBytes();
        assertTrue(pages.map(kernel, pvm.hal.pmap.VirtAddr.of(0x4000_0000L), pvm.hal.pmap.PhysAddr.of(0x20_0000), Attr.PRESENT).isRight());
        assertEquals(before + PAGE, pages.allocatedBytes(), "one page table for a new 4 MiB slot");
        assertTrue(pages.map(kernel, pvm.hal.pmap.VirtAddr.of(0x4000_1000L), pvm.hal.pmap.PhysAddr.of(0x20_1000), Attr.PRESENT).isRight());
        assertEquals(before + PAGE, pages.allocatedBytes(), "the same slot needs no other");
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void aRunOfFreePagesDoesNotBecomeABlockAcrossAHole() {
        // Free pages touch both sides of the hole at 0x30000..0x40000. 0x20000 is aligned to 128 KiB
        // but only 64 KiB of RAM follow it before the hole: Phoenix's _page_initSizes would make one
        // 128 KiB block of it reaching over the hole.
        BootMemoryMap map = new BootMemoryMap(
                List.of(new Bank("a", 0, 0x3_0000), new Bank("b", 0x4_0000, 0x8_0000)),
                List.of(new Taken("bios", 0, 0x1000, PageFlags.OWNER_BOOT)));
        FakeHal small = new FakeHal(FakeBoard.of(map, PAGE, true));
        FakePmap pmap = small.pmap().present(0, 1L << 32);
        BuddyPageAllocator pages = BuddyPageAllocator.boot(small, pmap, new KernelHeap(0xc010_0000L, 0xc010_1000L), console::add);
        assertEquals(List.of(
                "order 12: 1 free", "order 13: 1 free", "order 14: 1 free", "order 15: 1 free",
                "order 16: 2 free", "order 18: 1 free"), pages.freeLists());
        assertEquals(List.of(), pages.verify());
        assertEquals("vm: B[47.][16x][64.]", console.get(1));
        // the two 64 KiB blocks below the hole are not buddies of anything across it
        int f = pages.allocFrame(1 << 16, PageFlags.OWNER_APP);
        assertEquals(0x1_0000L, pages.frames().addr(f));
        assertEquals(Errno.EOK, pages.freeFrame(f));
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void bootFailsLoudlyWhenTheHeapCannotGrow() {
        // one free page, and the array needs a second heap page at once
        BootMemoryMap map = new BootMemoryMap(List.of(new Bank("a", 0, 0x2000)),
                List.of(new Taken("bios", 0, 0x1000, PageFlags.OWNER_BOOT)));
        FakeHal tiny = new FakeHal(FakeBoard.of(map, PAGE, true));
        KernelHeap full = new KernelHeap(0xc010_0ff0L, 0xc010_1000L);
        assertThrows(IllegalStateException.class, () -> BuddyPageAllocator.boot(tiny, tiny.pmap(), full, console::add));
        assertTrue(console.getFirst().startsWith("vm: Kernel heap extension error"), console.toString());
    }

    @Test
    void bootOfAMillionFramesIsConsistent() {
        // How fast it goes is benchmarks/run's boot4G; here, that a million frames come out right.
        // the heap grows from the free low pages first, as on a PC
        BootMemoryMap map = new BootMemoryMap(List.of(new Bank("ram", 0, 4L << 30)),
                List.of(new Taken("kernel", 0x10_0000, 0x40_0000, KERNEL)));
        FakeHal big = new FakeHal(FakeBoard.of(map, PAGE, true));
        FakePmap pmap = big.pmap().present(0, 1L << 32);
        BuddyPageAllocator pages = BuddyPageAllocator.boot(big, pmap, new KernelHeap(0xc040_0000L, 0xc040_1000L), console::add);
        assertEquals(1 << 20, pages.frames().count());
        assertEquals(List.of(), pages.verify());
    }
}
