package pvm.vm.object;

import java.util.List;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;
import pvm.vm.page.PageAllocator;

/**
 * The one page of zeros {@link ZeroPage#SHARED} maps for reads of untouched anonymous memory
 * (SerenityOS's {@code MM.shared_zero_page()}): a kernel page, allocated at boot and never freed,
 * only ever mapped read-only into processes, so it stays zero for as long as the machine runs.
 */
final class SharedZeroPage {

    private SharedZeroPage() {
    }

    /**
     * Allocates and zeroes it through a temporary kernel mapping ({@code hal_memset}, as
     * {@code amap_page} zeroes a fresh page).
     *
     * @throws IllegalStateException when the boot cannot get the page (a machine too small to boot)
     */
    static int allocate(PageAllocator pages, KernelWindow window) {
        int f = pages.allocFrame(pages.pageSize(), PageFlags.OWNER_KERNEL);
        if (f == PageFrames.NONE) {
            throw new IllegalStateException("no page for the shared zero page at boot");
        }
        long v = window.map(f);
        if (v == 0) {
            throw new IllegalStateException("no kernel mapping to zero the shared zero page at boot");
        }
        window.zero(v);
        window.unmap(v);
        return f;
    }

    /** Its invariants, when there is one: still allocated, the kernel's, and every byte zero. */
    static void verify(int frame, PageFrames frames, PhysicalMemory memory, List<String> out) {
        if (frame == PageFrames.NONE) {
            return;
        }
        int flags = frames.flags(frame);
        if (PageFlags.isFree(flags) || PageFlags.owner(flags) != PageFlags.OWNER_KERNEL) {
            out.add("the shared zero page (frame " + frame + ") is " + PageFlags.describe(flags) + ", not a kernel page");
            return;
        }
        long at = memory.firstNonZero(frames.addr(frame), frames.pageSize());
        if (at >= 0) {
            out.add(String.format("the shared zero page (frame %d) holds a non-zero byte near offset 0x%x: something wrote to it", frame, at));
        }
    }
}
