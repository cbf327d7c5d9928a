package pvm.kernel;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.PmapInit;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;
import pvm.vm.page.QueuePageAllocator;

/** Page allocation on targets without an MMU: the queue allocator of {@code vm/page-nommu.c}. */
final class QueuePagesModule extends AbstractModule {

    /** {@code _page_init}, right after {@code _pmap_init}. */
    @Provides
    @Singleton
    PageAllocator pages(Hal hal, PmapInit init, KernelHeap heap, BootConsole console) {
        return QueuePageAllocator.boot(hal, init, heap, console);
    }
}
