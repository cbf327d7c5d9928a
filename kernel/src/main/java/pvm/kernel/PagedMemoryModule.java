package pvm.kernel;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PmapInit;
import pvm.vm.map.MapModel;
import pvm.vm.page.BuddyPageAllocator;
import pvm.vm.page.Coalescing;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;

/**
 * The paged memory model, for targets with an MMU: the buddy allocator of {@code vm/page.c}, the
 * mapper's per-process maps ({@link MapModel#PAGED}) and the kernel's {@link PagedModel}.
 */
final class PagedMemoryModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(MapModel.class).toInstance(MapModel.PAGED);
    }

    /** {@code _page_init}, right after {@code _pmap_init}. */
    @Provides
    @Singleton
    PageAllocator pages(Hal hal, MachineConfig config, PmapInit init, KernelHeap heap, BootConsole console) {
        return BuddyPageAllocator.boot(hal, init.kernel(), heap, console, config.policies().get(Coalescing.POLICY));
    }

    @Provides
    @Singleton
    MemoryModel model() {
        return new PagedModel();
    }
}
