package pvm.vm.page;

import java.util.function.Consumer;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.VirtAddr;

/**
 * {@code _page_init} of both page allocators, and the bare allocator of {@code pvm pages}. Boot is
 * single-threaded, but the steps still run under the allocator's lock so the {@code *Locked}
 * methods see what they expect.
 */
final class PageInit {

    /** {@code max(totalsz / 4, 1 << 23)}: the least kernel space {@code _page_init} prepares tables for. */
    private static final long MIN_KERNEL_SPACE = 1L << 23;

    private PageInit() {
    }

    /** {@code _page_init} of {@code vm/page.c}. */
    static BuddyPageAllocator buddy(Hal hal, Pmap kernel, KernelHeap heap, Consumer<String> console, Coalescing coalescing) {
        PageFrames frames = hal.frames();
        if (frames.count() != 0) {
            throw new IllegalStateException("the page-frame table is already filled");
        }
        int pageSize = frames.pageSize();
        int desc = hal.pageDescriptorSize();
        BuddyPageAllocator pages = new BuddyPageAllocator(frames, hal::marker, desc, true, coalescing);
        pages.lock.lock();
        try {
            // The page_t array grows on the kernel heap from bss, one descriptor per discovered page;
            // before each probe the heap gets another page if the next descriptor would reach its top.
            long page = heap.bss();
            PageProbe probe = new PageProbe();
            for (;;) {
                if (page + desc >= heap.top() && !pages.sbrkLocked(kernel, heap)) {
                    console.accept(String.format("vm: Kernel heap extension error 0x%08x 0x%08x!", page, heap.top()));
                    throw new IllegalStateException("vm: out of memory extending the kernel heap for the page_t array");
                }
                int err = hal.getPage(probe);
                if (err == Errno.ENOMEM) {
                    break;
                }
                if (err == Errno.EOK) {
                    pages.discoveredLocked(frames.add(probe.pageAddr, probe.pageFlags));
                    page += desc;
                }
                // The probe's cursor wrapped past the top of the address space.
                if (Long.compareUnsigned(probe.cursor, pageSize) < 0) {
                    break;
                }
            }
            heap.setBss(page);

            pages.initSizesLocked();

            // _pmap_kernelSpaceExpand: page tables for the kernel space every address space shares.
            long end = heap.top() + Math.max(pages.totalLocked() / 4, MIN_KERNEL_SPACE);
            int dp = PageFrames.NONE;
            while (hal.kernelSpaceExpand(kernel, VirtAddr.of(end), BuddyPageAllocator.frame(dp)) != Pmap.EnterResult.OK) {
                dp = pages.allocLocked(pageSize, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
                if (dp == PageFrames.NONE) {
                    throw new IllegalStateException("vm: out of memory for the kernel's page tables");
                }
            }

            long alloc = pages.allocatedLocked();
            long boot = pages.bootLocked();
            console.accept(String.format("vm: Initializing page allocator (%d+%d)/%dKB, page_t=%d",
                    (alloc - boot) / 1024, boot / 1024, pages.totalLocked() / 1024, desc));
            for (String line : pages.showPagesLocked()) {
                console.accept(line);
            }

            // The NULL pointer entry: a user, not-present mapping of page 0, so the page table that
            // covers address 0 exists. Phoenix ignores the result, and so do we.
            pages.mapLocked(kernel, VirtAddr.NULL, PhysAddr.of(0), Attr.USER);
        } finally {
            pages.lock.unlock();
        }
        return pages;
    }

    /** The bare buddy allocator: one bank at address 0, the first pages the kernel's. */
    static BuddyPageAllocator bare(long ramBytes, long reserveBytes, int pageSize, PageMarker marker, int pageDescriptorSize,
            Coalescing coalescing) {
        if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two, got " + pageSize);
        }
        if (ramBytes <= 0 || ramBytes % pageSize != 0) {
            throw new IllegalArgumentException("RAM must be a positive whole number of " + pageSize + "-byte pages, got " + ramBytes);
        }
        if (ramBytes / pageSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("RAM too large for a page-frame table: " + ramBytes);
        }
        if (reserveBytes < 0 || reserveBytes > ramBytes) {
            throw new IllegalArgumentException("reserve must be between 0 and the RAM size, got " + reserveBytes);
        }
        int count = (int) (ramBytes / pageSize);
        long reserved = (reserveBytes + pageSize - 1) / pageSize;
        PageFrames frames = new PageFrames(count, pageSize);
        BuddyPageAllocator pages = new BuddyPageAllocator(frames, marker, pageDescriptorSize, false, coalescing);
        pages.lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                int flags = i < reserved ? PageFlags.OWNER_KERNEL : PageFlags.FREE;
                pages.discoveredLocked(frames.add((long) i * pageSize, flags));
            }
            pages.initSizesLocked();
        } finally {
            pages.lock.unlock();
        }
        return pages;
    }

    /**
     * {@code _page_init} of {@code vm/page-nommu.c}. Phoenix makes one page_t per page between the
     * heap's bss and the end of the kernel's memory map, puts the array at bss and queues every
     * page_t in address order; its page_t carry no addresses. Ours do, and the first of them are the
     * very pages under the array, so those are taken for the kernel heap and left out of the queue:
     * handing them out would let a process overwrite the allocator's own table.
     */
    static QueuePageAllocator queue(Hal hal, PmapInit init, KernelHeap heap, Consumer<String> console) {
        PageFrames frames = hal.frames();
        if (frames.count() != 0) {
            throw new IllegalStateException("the page-frame table is already filled");
        }
        int pageSize = frames.pageSize();
        int desc = hal.pageDescriptorSize();
        PageProbe probe = new PageProbe();
        for (;;) {
            int err = hal.getPage(probe);
            if (err == Errno.ENOMEM) {
                break;
            }
            if (err == Errno.EOK) {
                frames.add(probe.pageAddr, probe.pageFlags);
            }
            if (Long.compareUnsigned(probe.cursor, pageSize) < 0) {
                break;
            }
        }
        int count = frames.count();
        long arrayBytes = (long) count * desc;
        long arrayPages = (arrayBytes + pageSize - 1) / pageSize;
        QueuePageAllocator pages = new QueuePageAllocator(frames, desc);
        pages.lock.lock();
        try {
            // page-nommu.c: allocsz = bss - &__bss_start once the array is carved, so the kernel's
            // bss, the syspage and the boot stack count as allocated, and the total includes them.
            pages.initLocked(arrayPages, heap.bss() - init.bssStart().value());
        } finally {
            pages.lock.unlock();
        }
        heap.setBss(heap.bss() + arrayBytes);
        heap.setTop(Math.max(heap.top(), heap.bss()));
        console.accept(String.format("vm: Initializing page allocator %d/%d KB, page_t=%d",
                (pages.allocatedBytes() - pages.bootBytes()) / 1024, (pages.freeBytes() + pages.allocatedBytes()) / 1024, desc));
        return pages;
    }
}
