package pvm.kernel;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.List;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Policy;
import pvm.vm.map.MapModel;
import pvm.vm.map.NommuIsolation;
import pvm.vm.object.SharedRegions;
import pvm.vm.object.VmPager;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;
import pvm.vm.page.QueuePageAllocator;

/**
 * The flat memory model, for targets without an MMU: the queue allocator of
 * {@code vm/page-nommu.c}, the mapper's maps shared per board memory map ({@link MapModel#FLAT}),
 * the object layer's shared file regions and the kernel's {@link FlatModel}.
 */
final class FlatMemoryModule extends AbstractModule {

    /** Where this model lets the user choose Phoenix's behaviour. */
    static final List<Policy<?>> POLICIES = List.of(NommuIsolation.POLICY, NommuAnon.POLICY);

    /** The shared maps, isolated per process as the policy says. */
    @Provides
    @Singleton
    MapModel mapModel(MachineConfig config) {
        return MapModel.flat(config.policies().get(NommuIsolation.POLICY));
    }

    /** {@code _page_init}, right after {@code _pmap_init}. */
    @Provides
    @Singleton
    PageAllocator pages(Hal hal, PmapInit init, KernelHeap heap, BootConsole console) {
        return QueuePageAllocator.boot(hal, init, heap, console);
    }

    @Provides
    @Singleton
    MemoryModel model(VmPager pager, Hal hal, MachineConfig config) {
        return new FlatModel(SharedRegions.of(pager), hal.memory(), config.policies().get(NommuAnon.POLICY));
    }
}
