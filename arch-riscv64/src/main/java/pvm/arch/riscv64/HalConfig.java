package pvm.arch.riscv64;

import java.util.List;
import pvm.hal.pmap.BootMemoryMap;

/**
 * What {@code pmap_getPage} consults, as {@code _pmap_halInit} and the boot leave it in
 * {@code pmap_common}: the physical range {@code [minAddr, maxAddr)} the device tree's memory nodes
 * span, and the ranges already taken at boot with the flags their pages start with (Phoenix keeps
 * the HAL's own in {@code memMap} and tests the kernel image and the device tree by address; here
 * they are one list, matched in order). Primitive arrays, because discovery reads them once per page.
 */
final class HalConfig {

    // [entryStart[i], entryEnd[i]) with entryFlags[i]; the first match wins.
    final long[] entryStart;
    final long[] entryEnd;
    final int[] entryFlags;

    final long minAddr;
    final long maxAddr;

    HalConfig(BootMemoryMap boot) {
        List<BootMemoryMap.Taken> taken = boot.taken();
        int n = taken.size();
        entryStart = new long[n];
        entryEnd = new long[n];
        entryFlags = new int[n];
        for (int i = 0; i < n; i++) {
            BootMemoryMap.Taken t = taken.get(i);
            // Phoenix tests an address against [start, start + size) of each range, so a page
            // overlapping a range at all is taken: round the start down and the end up.
            entryStart[i] = t.start() & ~Sv39.PAGE_OFFSET_MASK;
            entryEnd[i] = VirtBoard.ceilPage(t.end());
            entryFlags[i] = t.pageFlags();
        }
        if (boot.banks().isEmpty()) {
            throw new IllegalArgumentException("a virt machine has DRAM");
        }
        // _pmap_halInit: the lowest start and the highest end of the memory nodes.
        minAddr = boot.banks().getFirst().start();
        maxAddr = boot.top();
    }
}
