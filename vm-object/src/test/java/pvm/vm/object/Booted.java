package pvm.vm.object;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.PmapInit;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.map.VmMaps;
import pvm.vm.page.BuddyPageAllocator;
import pvm.vm.page.KernelHeap;

/**
 * A machine booted as {@code _vm_init} does on the {@link FakeHal}: pmap, pages, maps, zones,
 * kmalloc, objects and amaps.
 */
final class Booted {

    final FakeHal hal;
    final KernelHeap heap;
    final BuddyPageAllocator pages;
    final VmMaps maps;
    final Kmalloc kmalloc;
    final VmPager pager;
    final List<String> console = new ArrayList<>();

    private Booted(long ram, Kmalloc.Policy policy, BackingStore store) {
        hal = new FakeHal(ram);
        PmapInit init = hal.init();
        heap = new KernelHeap(init.heapStart().value(), init.heapEnd().value());
        pages = BuddyPageAllocator.boot(hal, init.kernel(), heap, console::add);
        maps = VmMaps.init(hal, pages, init.kernel(), heap, console::add);
        kmalloc = Kmalloc.init(maps, pages, console::add, policy);
        pager = VmPager.init(maps, pages, kmalloc, store, console::add);
    }

    static Booted boot(Kmalloc.Policy policy) {
        return new Booted(16L << 20, policy, BackingStore.NONE);
    }

    /** A machine whose objects come from {@code store}. */
    static Booted boot(BackingStore store) {
        return new Booted(16L << 20, Kmalloc.Policy.PHOENIX, store);
    }

    static Booted boot() {
        return boot(Kmalloc.Policy.PHOENIX);
    }

    /**
     * Every layer's checker but the mapper's. After an eager (non-lazy) fork the parent's entries stay
     * marked {@code MAP_NEEDSCOPY} with their pages writable, as in Phoenix (the child took copies at
     * once, so nothing is shared); vm-map's checker reports those pages, so eager-fork tests use this.
     */
    List<String> verifyBelowAndAboveMaps() {
        List<String> out = new ArrayList<>();
        out.addAll(pages.verify());
        out.addAll(kmalloc.verify());
        out.addAll(pager.verify());
        return out;
    }

    /** Every layer's checker. */
    List<String> verify() {
        List<String> out = new ArrayList<>();
        out.addAll(pages.verify());
        out.addAll(maps.verify());
        out.addAll(kmalloc.verify());
        out.addAll(pager.verify());
        return out;
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
