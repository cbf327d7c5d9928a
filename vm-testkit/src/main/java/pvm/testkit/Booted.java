package pvm.testkit;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PmapInit;
import pvm.vm.map.MapModel;
import pvm.vm.map.VmMaps;
import pvm.vm.page.BuddyPageAllocator;
import pvm.vm.page.KernelHeap;

/**
 * A machine booted up to the mapper ({@code _pmap_init}, {@code _page_init}, {@code _map_init}) on
 * the {@link FakeHal}. The layers above boot theirs on top of it (a test in vm-object extends this
 * with kmalloc and the pager).
 */
public class Booted {

    /** The RAM of a machine booted with {@link #boot()}. */
    public static final long DEFAULT_RAM = 16L << 20;

    public final FakeHal hal;
    public final KernelHeap heap;
    public final BuddyPageAllocator pages;
    public final VmMaps maps;
    public final List<String> console = new ArrayList<>();

    protected Booted(long ram) {
        hal = new FakeHal(ram);
        PmapInit init = hal.init();
        heap = new KernelHeap(init.heapStart().value(), init.heapEnd().value());
        pages = BuddyPageAllocator.boot(hal, init.kernel(), heap, console::add);
        maps = VmMaps.init(hal, pages, init.kernel(), heap, console::add, MapModel.PAGED);
    }

    public static Booted boot(long ram) {
        return new Booted(ram);
    }

    public static Booted boot() {
        return boot(DEFAULT_RAM);
    }

    /** Takes every free page (one page at a time); the frames, to give back with {@link #release}. */
    public final List<Integer> exhaustPages() {
        List<Integer> taken = new ArrayList<>();
        for (;;) {
            int f = pages.allocFrame(pages.pageSize(), PageFlags.OWNER_KERNEL);
            if (f < 0) {
                return taken;
            }
            taken.add(f);
        }
    }

    public final void release(List<Integer> frames) {
        for (int f : frames) {
            pages.freeFrame(f);
        }
        frames.clear();
    }
}
