package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;

/**
 * The queue allocator of {@code vm/page-nommu.c} on a Cortex-M-like machine: 512-byte pages, a
 * 12-byte page_t, and 48 KiB of free memory reported above the kernel image at 0x20004000.
 */
class QueuePageAllocatorTest {

    private static final int PAGE = 512;
    private static final long BASE = 0x2000_4000L;
    private static final int APP = PageFlags.OWNER_APP;

    private final List<String> console = new ArrayList<>();
    private final KernelHeap heap = new KernelHeap(BASE, BASE);
    private final FakeHal hal = new FakeHal(
            new BootMemoryMap(List.of(new BootMemoryMap.Bank("sram", BASE, 0x2001_0000L)), List.of()),
            PAGE, 12, flags -> '\0');
    private final QueuePageAllocator pages = QueuePageAllocator.boot(hal, new PmapInit(new FakePmap(), VirtAddr.of(BASE), VirtAddr.of(BASE)), heap, console::add);

    private long addr(int f) {
        return pages.frames().addr(f);
    }

    @Test
    void bootKeepsThePageTArrayOutOfTheQueueAndPrintsPhoenixsLine() {
        // 96 pages * 12 bytes = 1152 bytes: the first 3 pages hold the array
        assertEquals(96, pages.frames().count());
        for (int f = 0; f < 3; f++) {
            assertEquals(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP, pages.frames().flags(f));
        }
        assertEquals(List.of("vm: Initializing page allocator 1/48 KB, page_t=12"), console);
        assertEquals(3 * PAGE, pages.allocatedBytes());
        assertEquals(93 * PAGE, pages.freeBytes());
        assertEquals(96 * PAGE, pages.totalBytes());
        assertEquals(List.of("queue: 93 free"), pages.freeLists());
        assertEquals(BASE + 1152, heap.bss());
        assertEquals(BASE + 1152, heap.top());
        assertEquals(List.of(), pages.showPages(), "page-nommu.c prints no page map");
        assertEquals(new PageInfo(3 * PAGE, 93 * PAGE, 0, 12, List.of()), pages.info());
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void allocationTakesTheHeadAndFreePushesOntoIt() {
        int a = pages.allocFrame(PAGE, APP);
        int b = pages.allocFrame(PAGE, APP);
        assertEquals(BASE + 3 * PAGE, addr(a));
        assertEquals(BASE + 4 * PAGE, addr(b));
        assertEquals(Errno.EOK, pages.freeFrame(a));
        assertEquals(Errno.EOK, pages.freeFrame(b));
        assertEquals(b, pages.allocFrame(PAGE, APP), "the page freed last comes back first");
        assertEquals(a, pages.allocFrame(PAGE, APP));
        assertEquals(BASE + 5 * PAGE, addr(pages.allocFrame(PAGE, APP)));
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void accountingMovesTheRequestedPowerOfTwoNotThePage() {
        long free = pages.freeBytes();
        long alloc = pages.allocatedBytes();
        int big = pages.allocFrame(2048, APP);
        assertEquals(free - 2048, pages.freeBytes(), "one 512-byte page handed out, 2 KiB accounted");
        assertEquals(alloc + 2048, pages.allocatedBytes());
        assertEquals(BASE + 3 * PAGE, addr(big));
        int small = pages.allocFrame(100, APP);
        assertEquals(free - 2048 - 128, pages.freeBytes(), "100 bytes round to 128, not to a page");
        assertEquals(List.of("queue: 91 free"), pages.freeLists());
        assertEquals(List.of(), pages.verify());
        assertEquals(Size.of(2048), pages.free(new pvm.hal.pmap.Frame(big)).get());
        assertEquals(Errno.EOK, pages.freeFrame(small));
        assertEquals(free, pages.freeBytes());
        assertEquals(alloc, pages.allocatedBytes());
    }

    @Test
    void theQuirkCanTakeFreeBelowZeroWhileTheSumStays() {
        long total = pages.totalBytes();
        for (int i = 0; i < 93; i++) {
            assertNotEquals(PageFrames.NONE, pages.allocFrame(1 << 20, APP));
        }
        assertEquals(PageFrames.NONE, pages.allocFrame(PAGE, APP), "the queue is empty");
        assertTrue(pages.freeBytes() < 0);
        assertEquals(total, pages.totalBytes());
        assertEquals(List.of("queue: 0 free"), pages.freeLists());
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void badFreesAreRefusedAndChangeNothing() {
        int a = pages.allocFrame(PAGE, APP);
        assertEquals(Errno.EOK, pages.freeFrame(a));
        List<Object> before = List.of(pages.freeLists(), pages.freeBytes(), pages.allocatedBytes());
        assertEquals(Errno.EPAGE_DOUBLE_FREE, pages.freeFrame(a));
        assertEquals(Errno.EPAGE_NOT_ALLOCATED, pages.freeFrame(0), "a page of the page_t array");
        assertEquals(Errno.EPAGE_BAD_FRAME, pages.freeFrame(96));
        assertEquals(Errno.EPAGE_BAD_FRAME, pages.freeFrame(-3));
        assertEquals(Errno.EOK, pages.freeFrame(PageFrames.NONE));
        assertEquals(before, List.of(pages.freeLists(), pages.freeBytes(), pages.allocatedBytes()));
        assertEquals(List.of(), pages.verify());
        VmError e = pages.free(new pvm.hal.pmap.Frame(a)).getLeft();
        assertInstanceOf(VmError.EINVAL.class, e);
        assertTrue(e.message().contains("double free"));
    }

    @Test
    void impossibleAllocationsReturnNone() {
        assertEquals(PageFrames.NONE, pages.allocFrame(0, APP));
        assertEquals(PageFrames.NONE, pages.allocFrame(-1, APP));
        assertEquals(PageFrames.NONE, pages.allocFrame(Long.MAX_VALUE, APP));
        assertEquals(PageFrames.NONE, pages.allocFrame(PAGE, PageFlags.FREE));
        assertEquals(List.of("queue: 93 free"), pages.freeLists());
    }

    @Test
    void mapAllocatesAPageTableOnlyWhenTheHalAsksForOne() {
        FakePmap pmap = new FakePmap().present(0x2000_0000L, 0x2040_0000L);
        assertTrue(pages.map(pmap, VirtAddr.of(BASE), PhysAddr.of(BASE), Attr.PRESENT).isRight());
        assertEquals(List.of("queue: 93 free"), pages.freeLists());
        assertTrue(pages.map(pmap, VirtAddr.of(0x6000_0000L), PhysAddr.of(BASE), Attr.PRESENT).isRight());
        assertEquals(List.of(3), pmap.ptables);
        assertEquals(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE, pages.frames().flags(3));
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void mapFailsWithEnomemWhenNoPageIsLeft() {
        while (pages.allocFrame(PAGE, APP) != PageFrames.NONE) {
            // drain the queue
        }
        VmError e = pages.map(new FakePmap(), VirtAddr.of(0x1000), PhysAddr.of(BASE), Attr.PRESENT).getLeft();
        assertInstanceOf(VmError.ENOMEM.class, e);
    }

    @Test
    void theCheckerNoticesAFreedPageLeftOutOfTheQueue() {
        int a = pages.allocFrame(PAGE, APP);
        pages.frames().setFlags(a, PageFlags.FREE);
        assertFalse(pages.verify().isEmpty());
    }
}
