package pvm.arch.i686;

import java.util.List;
import pvm.hal.pmap.BootMemoryMap;

/**
 * Phoenix's {@code hal_config} as {@code _hal_configMemoryInit} fills it: the memory entries the
 * kernel reserves at boot ({@code memMap}), the physical range {@code [minAddr, maxAddr)} the
 * syspage's maps span, the temporary page-table window {@code ptable} and the kernel heap start.
 * Held as primitive arrays because {@code pmap_getPage} reads them once per physical page at boot.
 */
final class HalConfig {

    // hal_config.memMap: [entryStart[i], entryEnd[i]) with entryFlags[i], in the order added.
    final long[] entryStart;
    final long[] entryEnd;
    final int[] entryFlags;
    /** The highest entry end: above it no entry can match, so discovery skips the scan. */
    final long entriesTop;

    // The syspage's maps (the PC's RAM banks), in address order.
    final long[] mapStart;
    final long[] mapEnd;

    final long minAddr;
    final long maxAddr;

    /** {@code hal_config.ptable}: the virtual page Phoenix maps a page table at to edit it. */
    final long ptableWindow;
    /** {@code hal_config.heapStart}: the first page of kernel heap, one page above the window. */
    final long heapStart;

    HalConfig(BootMemoryMap boot) {
        List<BootMemoryMap.Taken> taken = boot.taken();
        int n = taken.size();
        entryStart = new long[n];
        entryEnd = new long[n];
        entryFlags = new int[n];
        long top = 0;
        for (int i = 0; i < n; i++) {
            BootMemoryMap.Taken t = taken.get(i);
            // _hal_addMemEntry: the start rounds down and the end up to whole pages.
            entryStart[i] = t.start() & ~Paging.PAGE_OFFSET_MASK;
            entryEnd[i] = (t.end() + Paging.PAGE_OFFSET_MASK) & ~Paging.PAGE_OFFSET_MASK;
            entryFlags[i] = t.pageFlags();
            top = Math.max(top, entryEnd[i]);
        }
        entriesTop = top;

        int m = boot.banks().size();
        if (m == 0) {
            throw new IllegalArgumentException("a PC has at least one bank of RAM");
        }
        mapStart = new long[m];
        mapEnd = new long[m];
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < m; i++) {
            mapStart[i] = boot.banks().get(i).start();
            mapEnd[i] = boot.banks().get(i).end();
            min = Math.min(min, mapStart[i]);
            max = Math.max(max, mapEnd[i]);
        }
        minAddr = min;
        maxAddr = max;

        // The heap starts at the page-aligned end of the kernel image, but never below 1 MiB of
        // kernel space (init.c tests against VADDR_KERNEL + 0xa0000 and then moves it to 1 MiB).
        long heap = (LoaderLayout.END + Paging.PAGE_OFFSET_MASK) & ~Paging.PAGE_OFFSET_MASK;
        if (heap < Paging.VADDR_KERNEL + 0xa_0000L) {
            heap = Paging.VADDR_KERNEL + 0x10_0000L;
        }
        // The first heap page becomes the page-table window, the heap starts one page above it.
        ptableWindow = heap;
        heapStart = heap + Paging.SIZE_PAGE;
    }
}
