package pvm.kernel;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.vavr.control.Either;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VmError;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;

/**
 * One booted machine: its HAL and the vm layers on it, in the state {@code _vm_init} leaves them.
 * Nothing here names an architecture: it comes in as a {@link Architecture} found at run time.
 */
public final class Machine {

    private final Architecture architecture;
    private final Hal hal;
    private final Pmap kernelPmap;
    private final KernelHeap heap;
    private final PageAllocator pages;
    private final BootConsole console;

    @Inject
    Machine(Architecture architecture, Hal hal, PmapInit pmapInit, KernelHeap heap, PageAllocator pages, BootConsole console) {
        this.architecture = architecture;
        this.hal = hal;
        this.kernelPmap = pmapInit.kernel();
        this.heap = heap;
        this.pages = pages;
        this.console = console;
    }

    /**
     * Boots a machine: one injector from the kernel's module and the architecture's, then the layers
     * in Phoenix's order. Boot lines go to {@code echo} as they are printed and stay in
     * {@link #bootLog()}.
     */
    public static Either<VmError, Machine> boot(Architecture architecture, MachineConfig config, Consumer<String> echo) {
        return architecture.validate(config).map(valid -> {
            BootConsole console = new BootConsole(echo);
            console.accept(String.format("pvm: booting %s with %s of RAM and %d CPU%s", architecture.name(),
                    Sizes.human(valid.ramBytes()), valid.cpus(), valid.cpus() == 1 ? "" : "s"));
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new KernelModule(architecture, valid, console));
            return injector.getInstance(Machine.class);
        });
    }

    /** Boots with the architecture's default RAM and one CPU, printing nothing. */
    public static Machine bootDefault(Architecture architecture) {
        return boot(architecture, new MachineConfig(architecture.defaultRam(), 1), line -> { })
                .getOrElseThrow(e -> new IllegalStateException(e.message()));
    }

    public Architecture architecture() {
        return architecture;
    }

    public Hal hal() {
        return hal;
    }

    public Pmap kernelPmap() {
        return kernelPmap;
    }

    public KernelHeap heap() {
        return heap;
    }

    public PageAllocator pages() {
        return pages;
    }

    /** What the kernel printed while booting. */
    public List<String> bootLog() {
        return console.lines();
    }

    /** {@code vm_meminfo}: the memory accounting as Phoenix's {@code meminfo_t} reports it. */
    public MemInfo meminfo() {
        return new MemInfo(pages.info());
    }

    /** Runs every layer's invariant checker; the violations, each prefixed with its layer, or nothing. */
    public List<String> verify() {
        List<String> violations = new ArrayList<>();
        pages.verify().forEach(v -> violations.add("page: " + v));
        return violations;
    }
}
