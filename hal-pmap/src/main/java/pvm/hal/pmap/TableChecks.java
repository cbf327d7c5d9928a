package pvm.hal.pmap;

import java.util.List;

/**
 * What the architectures' checkers ({@link Hal#verify}) ask of the page-frame table and the kernel
 * image, the same on every target with page tables: whether a table's page is marked as one, and
 * whether a present entry maps a frame that is free.
 */
public final class TableChecks {

    private TableChecks() {
    }

    /**
     * Why the page at physical {@code addr} cannot be holding a page table, or null when its frame is
     * allocated and marked {@code PAGE_OWNER_KERNEL | PAGE_KERNEL_PTABLE}, as {@code _page_map} and
     * the boot mark theirs ({@link PageFlags#isPageTable}).
     */
    public static String notATable(PageFrames frames, long addr) {
        int f = frames.find(addr);
        if (f == PageFrames.NONE) {
            return "in no frame (not RAM)";
        }
        int flags = frames.flags(f);
        if (PageFlags.isFree(flags) || !PageFlags.isPageTable(flags)) {
            return "in a frame marked " + PageFlags.describe(flags) + ", not kernel/ptable";
        }
        return null;
    }

    /**
     * Whether a present entry that maps {@code va} to physical page {@code pa} points at a free
     * frame. Memory the page allocator does not manage (devices, holes, the firmware's) has no frame
     * and is never free. The loader's mapping of the kernel image may cover free frames (low memory
     * on a PC) as long as each page maps its own frame.
     */
    public static boolean mapsFreeFrame(PageFrames frames, List<KernelImageRange> image, long va, long pa) {
        int f = frames.find(pa);
        if (f == PageFrames.NONE || !frames.isFree(f)) {
            return false;
        }
        for (KernelImageRange r : image) {
            if (va >= r.start().value() && va < r.end().value() && r.physOf(va) == pa) {
                return false;
            }
        }
        return true;
    }
}
