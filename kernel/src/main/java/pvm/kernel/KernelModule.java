package pvm.kernel;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PmapInit;
import pvm.vm.page.KernelHeap;

/**
 * The kernel's half of a machine's wiring. It installs the architecture's module (which binds the
 * {@link Hal}) and the page-allocation variant for the target: the buddy allocator with an MMU, the
 * queue allocator without, as Phoenix selects {@code page.c} or {@code page-nommu.c} at build time.
 * The choice is made by which module is installed, never by overriding a binding.
 */
public final class KernelModule extends AbstractModule {

    private final Architecture architecture;
    private final MachineConfig config;
    private final BootConsole console;

    public KernelModule(Architecture architecture, MachineConfig config, BootConsole console) {
        this.architecture = architecture;
        this.config = config;
        this.console = console;
    }

    @Override
    protected void configure() {
        install(architecture.module(config));
        install(architecture.hasMmu() ? new BuddyPagesModule() : new QueuePagesModule());
        bind(BootConsole.class).toInstance(console);
        bind(Architecture.class).toInstance(architecture);
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
}
