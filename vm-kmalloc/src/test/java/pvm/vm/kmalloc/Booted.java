package pvm.vm.kmalloc;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.PmapInit;
import pvm.vm.map.VmMaps;
import pvm.vm.page.BuddyPageAllocator;
import pvm.vm.page.KernelHeap;

/** A machine booted up to the mapper ({@code _pmap_init}, {@code _page_init}, {@code _map_init}) on the {@link FakeHal}. */
final class Booted {

    final FakeHal hal;
    final KernelHeap heap;
    final BuddyPageAllocator pages;
    final VmMaps maps;
    final List<String> console = new ArrayList<>();

    private Booted(long ram) {
        hal = new FakeHal(ram);
        PmapInit init = hal.init();
        heap = new KernelHeap(init.heapStart().value(), init.heapEnd().value());
        pages = BuddyPageAllocator.boot(hal, init.kernel(), heap, console::add);
        maps = VmMaps.init(hal, pages, init.kernel(), heap, console::add);
    }

    static Booted boot(long ram) {
        return new Booted(ram);
    }

    static Booted boot() {
        return boot(16L << 20);
    }

    /** Takes every free page (one page at a time); the frames, to give back with {@link #release}. */
    List<Integer> exhaustPages() {
        List<Integer> taken = new ArrayList<>();
        for (;;) {
            int f = pages.allocFrame(pages.pageSize(), pvm.hal.pmap.PageFlags.OWNER_KERNEL);
            if (f < 0) {
                return taken;
            }
            taken.add(f);
        }
    }

    void release(List<Integer> frames) {
        for (int f : frames) {
            pages.freeFrame(f);
        }
        frames.clear();
    }
}
