package pvm.kernel;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.List;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Policy;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.map.MapModel;
import pvm.vm.map.VmMaps;
import pvm.vm.object.VmPager;
import pvm.vm.object.ZeroPage;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;

/**
 * The kernel's half of a machine's wiring: the composition root. It installs the architecture's
 * module (which binds the {@link Hal}) and the memory model for the kind of hardware: the paged
 * model with an MMU ({@link PagedMemoryModule}: the buddy allocator, per-process maps), the flat
 * model without ({@link FlatMemoryModule}: the queue allocator, maps shared per memory map), as
 * Phoenix selects {@code page.c} or {@code page-nommu.c} and {@code NOMMU} at build time. This is
 * the one place above the HAL that asks {@link Architecture#hasMmu()}; the choice is made by which
 * module is installed, never by overriding a binding. The providers below bring the layers up in
 * {@code _vm_init}'s order, each from the ones before it.
 */
public final class KernelModule extends AbstractModule {

    private final Architecture architecture;
    private final MachineConfig config;
    private final KernelOptions options;
    private final BootConsole console;

    public KernelModule(Architecture architecture, MachineConfig config, KernelOptions options, BootConsole console) {
        this.architecture = architecture;
        this.config = config;
        this.options = options;
        this.console = console;
    }

    /** The policies of the memory model {@code architecture} gets (see {@link FlatMemoryModule#POLICIES}). */
    static List<Policy<?>> memoryModelPolicies(Architecture architecture) {
        return architecture.hasMmu() ? List.of() : FlatMemoryModule.POLICIES;
    }

    @Override
    protected void configure() {
        install(architecture.module(config));
        install(architecture.hasMmu() ? new PagedMemoryModule() : new FlatMemoryModule());
        bind(BootConsole.class).toInstance(console);
        bind(KernelOptions.class).toInstance(options);
    }

    /** {@code _pmap_init}: the first step of {@code _vm_init}. */
    @Provides
    @Singleton
    PmapInit pmapInit(Hal hal) {
        return hal.init();
    }

    /** Phoenix's {@code vm.bss} / {@code vm.top}, as {@code _pmap_init} leaves them. */
    @Provides
    @Singleton
    KernelHeap kernelHeap(PmapInit init) {
        return new KernelHeap(init.heapStart().value(), init.heapEnd().value());
    }

    /** {@code _map_init}: the memory mapper, its entry pool carved from the kernel heap. */
    @Provides
    @Singleton
    VmMaps maps(Hal hal, PageAllocator pages, PmapInit init, KernelHeap heap, BootConsole console, MapModel model) {
        return VmMaps.init(hal, pages, init.kernel(), heap, console, model);
    }

    /**
     * {@code _zone_init} keeps nothing but the kernel map, which every zone is given; then
     * {@code _kmalloc_init}, whose first zone of zone headers is the first zone created.
     */
    @Provides
    @Singleton
    Kmalloc kmalloc(VmMaps maps, PageAllocator pages, MachineConfig config, BootConsole console) {
        return Kmalloc.init(maps, pages, console, config.policies().get(Kmalloc.ZONE_RELEASE));
    }

    /**
     * The file servers memory objects are read from (Phoenix's servers behind {@code proc_read}):
     * the in-memory server scenarios create files in, and a host directory once one is attached.
     */
    @Provides
    @Singleton
    FileServers fileServers() {
        return new FileServers();
    }

    /** {@code _object_init} and {@code _amap_init}: the layer that hands pages to faults. */
    @Provides
    @Singleton
    VmPager pager(VmMaps maps, PageAllocator pages, Kmalloc kmalloc, FileServers files, BootConsole console, MachineConfig config) {
        return VmPager.init(maps, pages, kmalloc, files, console, config.policies().get(ZeroPage.POLICY));
    }
}
