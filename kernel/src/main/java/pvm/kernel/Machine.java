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
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Policies;
import pvm.hal.pmap.Policy;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.map.VmMap;
import pvm.vm.map.VmMaps;
import pvm.vm.object.SharedRegion;
import pvm.vm.object.VmPager;
import pvm.vm.page.AllocationFailures;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;

/**
 * One booted machine: its HAL, the vm layers on it in the state {@code _vm_init} leaves them,
 * its CPUs and its processes. Nothing here names an architecture: it comes in as an
 * {@link Architecture} found at run time.
 *
 * <p>This class is the kernel's surface: the system calls a process makes ({@link #mmap},
 * {@link #munmap}, {@link #mprotect}, {@link #fork}, {@link #vfork}, {@link #exit}), the CPUs that
 * run its loads and stores, and the views and checks of every layer.
 */
public final class Machine {

    private final Hal hal;
    private final Pmap kernelPmap;
    private final KernelHeap heap;
    private final PageAllocator pages;
    private final VmMaps maps;
    private final Kmalloc kmalloc;
    private final VmPager pager;
    /** The file servers {@link KernelModule} bound for the object layer: the objects' backing store. */
    private final FileServers files;
    private final BootConsole console;
    private final ProcessTable processes;
    private final MemorySyscalls syscalls;
    private final ProcessMemory processMemory = new ProcessMemory(this);
    private final MemoryModel model;
    private final Cpu[] cpus;
    private final MachineConfig config;
    /** Beyond Phoenix: SerenityOS's commitments and purgeable memory. */
    private final Commitments commitments;
    private final Purgeable purgeable;
    private final KernelRegions regions;

    @Inject
    Machine(Hal hal, PmapInit pmapInit, KernelHeap heap, PageAllocator pages, VmMaps maps,
            Kmalloc kmalloc, VmPager pager, FileServers files, BootConsole console, MachineConfig config, MemoryModel model) {
        this.hal = hal;
        this.kernelPmap = pmapInit.kernel();
        this.heap = heap;
        this.pages = pages;
        this.maps = maps;
        this.kmalloc = kmalloc;
        this.pager = pager;
        this.files = files;
        this.console = console;
        this.config = config;
        this.model = model;
        // The flat model's processes are lazy whatever the policy says, as Phoenix's are without an MMU.
        this.processes = new ProcessTable(this, maps, model, config.policies().get(Paging.POLICY) == Paging.LAZY);
        this.syscalls = new MemorySyscalls(this, model);
        this.commitments = new Commitments(this, config.policies().get(Commit.POLICY) == Commit.STRICT);
        this.purgeable = new Purgeable(this);
        pages.setReclaimer(purgeable);
        this.regions = new KernelRegions(maps, pages);
        this.cpus = new Cpu[hal.cpus()];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new Cpu(this, hal.mmu(i));
        }
    }

    /**
     * Boots a machine: one injector from the kernel's module and the architecture's, then the layers
     * in Phoenix's order (pmap, page, map, zone, kmalloc, object, amap). Boot lines go to
     * {@code echo} as they are printed and stay in {@link #bootLog()}.
     */
    public static Either<VmError, Machine> boot(Architecture architecture, MachineConfig config, Consumer<String> echo) {
        return boot(architecture, config, KernelOptions.DEFAULT, echo);
    }

    /** {@link #boot(Architecture, MachineConfig, Consumer)} with kernel options. */
    public static Either<VmError, Machine> boot(Architecture architecture, MachineConfig config, KernelOptions options,
                                                Consumer<String> echo) {
        Either<String, Policies> chosen = options.policies().resolve(architecture, config.policies());
        if (chosen.isLeft()) {
            return Either.left(VmError.einval(chosen.getLeft()));
        }
        MachineConfig withPolicies = config.withPolicies(chosen.get());
        return architecture.validate(withPolicies).map(valid -> {
            BootConsole console = new BootConsole(echo);
            console.accept(String.format("pvm: booting %s with %s of RAM and %d CPU%s", architecture.name(),
                    Sizes.human(valid.ramBytes()), valid.cpus(), valid.cpus() == 1 ? "" : "s"));
            List<Policy<?>> policies = PolicyCatalog.of(architecture);
            if (!valid.policies().isDefault(policies)) {
                console.accept("pvm: policies " + valid.policies().describe(policies));
            }
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new KernelModule(architecture, valid, options, console));
            return injector.getInstance(Machine.class);
        }).flatMap(machine -> options.hostFiles() == null ? Either.right(machine)
                : machine.attachHostDirectory(options.hostFiles()).map(ok -> machine));
    }

    /** Boots with the architecture's default RAM and one CPU, printing nothing. */
    public static Machine bootDefault(Architecture architecture) {
        return boot(architecture, new MachineConfig(architecture.defaultRam(), 1), line -> { })
                .getOrElseThrow(e -> new IllegalStateException(e.message()));
    }

    /** {@code paged} (an MMU translates; per-process maps) or {@code flat} (no MMU; shared maps): the memory model booted. */
    public String memoryModel() {
        return model.name();
    }

    /** Whether {@code p} shares a region of memory with other processes over {@code [start, end)} (no-MMU shared file mappings). */
    public boolean sharesRegion(Process p, long start, long end) {
        return model.sharesRegion(p, start, end);
    }

    /** The configuration this machine was booted with, its policies included. */
    public MachineConfig config() {
        return config;
    }

    /** Every policy of this machine and the value it is booted with, as {@code name=value} words. */
    public String policies() {
        return config.policies().describe(PolicyCatalog.of(architecture()));
    }

    /** The target: the HAL's ({@link Hal#architecture}), the one source of it. */
    public Architecture architecture() {
        return hal.architecture();
    }

    public Hal hal() {
        return hal;
    }

    public int pageSize() {
        return hal.pageSize();
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

    public VmMaps maps() {
        return maps;
    }

    public Kmalloc kmalloc() {
        return kmalloc;
    }

    /** The kernel's DMA and MMIO regions ({@code kernel dma}, {@code kernel mmio}). */
    public KernelRegions regions() {
        return regions;
    }

    public VmPager pager() {
        return pager;
    }

    /** The allocation-failure injector every allocator of this machine consults ({@code inject}, {@code pvm sweep}). */
    public AllocationFailures failures() {
        return pages.failures();
    }

    /** What the kernel printed while booting. */
    public List<String> bootLog() {
        return console.lines();
    }

    /** The kernel's memory model for this hardware (paged or flat). */
    MemoryModel model() {
        return model;
    }

    /** The shared file regions of a machine without an MMU (none with one). */
    public List<SharedRegion> sharedRegions() {
        return model instanceof FlatModel flat ? flat.regions().regions() : List.of();
    }

    /** The processes' mappings of shared region {@code r}, as they are now. */
    public List<SharedRegion.Share> sharesOf(SharedRegion r) {
        return model instanceof FlatModel flat ? flat.regions().sharesOf(r) : List.of();
    }

    public Cpu cpu(int i) {
        return cpus[i];
    }

    public int cpuCount() {
        return cpus.length;
    }

    // ---- processes ------------------------------------------------------------------------------

    /** Creates a process with an empty user address space. */
    public Either<VmError, Process> spawn(String name) {
        return processes.spawn(name);
    }

    /**
     * Creates a process with, if given, a stack of {@code stackBytes} (rounded up to pages) ending at
     * the target's {@link Architecture#userStackTop} with a guard page under it ({@link UserStack};
     * {@code ENOSYS} without an MMU), and room of {@code heapBytes} for its heap
     * ({@link ProcessMemory#reserveHeap}). On failure no process is left.
     */
    public Either<VmError, Process> spawn(String name, java.util.OptionalLong stackBytes, java.util.OptionalLong heapBytes) {
        return processes.spawn(name).flatMap(p -> {
            Either<VmError, ?> made = Either.right(p);
            if (stackBytes.isPresent()) {
                made = processMemory.mapStack(p, stackBytes.getAsLong());
            }
            if (made.isRight() && heapBytes.isPresent()) {
                made = processMemory.reserveHeap(p, heapBytes.getAsLong());
            }
            if (made.isLeft()) {
                processes.exit(p);
                return Either.left(made.getLeft());
            }
            return Either.right(p);
        });
    }

    /** Creates {@code childName} as a copy-on-write copy of {@code parent}; {@code ENOSYS} without an MMU. */
    public Either<VmError, Process> fork(Process parent, String childName) {
        return alive(parent).flatMap(p -> commitments.fork(p, () -> processes.fork(p, childName)));
    }

    /** Creates {@code childName} running in {@code parent}'s map; the parent waits until the child exits. */
    public Either<VmError, Process> vfork(Process parent, String childName) {
        return alive(parent).flatMap(p -> processes.vfork(p, childName));
    }

    /** Ends {@code p}: its address space is destroyed and its memory freed (a vforked child hands it back). */
    public Either<VmError, Void> exit(Process p) {
        return processes.exit(p).peek(done -> {
            syscalls.exited(p);
            commitments.exited(p);
            purgeable.exited(p);
        });
    }

    public List<Process> processes() {
        return processes.live();
    }

    private static Either<VmError, Process> alive(Process p) {
        if (!p.isAlive()) {
            return Either.left(VmError.einval(p.name() + " has exited"));
        }
        if (p.isWaiting()) {
            return Either.left(VmError.ebusy(p.name() + " waits for its vforked child to exit"));
        }
        return Either.right(p);
    }

    /** Switches every CPU that runs {@code pmap} to the kernel's, before the pmap goes away. */
    void unloadEverywhere(Pmap pmap) {
        for (Cpu cpu : cpus) {
            if (cpu.mmu().current() == pmap) {
                kernelPmap.switchTo(cpu.mmu());
            }
        }
    }

    // ---- memory system calls -------------------------------------------------------------------

    /** {@code sys_mmap}: maps {@code length} bytes (rounded up to pages) into {@code p}. */
    public Either<VmError, VirtAddr> mmap(Process p, VirtAddr addr, Size length, int prot, int flags, String file, long offset) {
        return alive(p).flatMap(live -> commitments.mmap(live, addr, length, prot, flags, file, offset, syscalls::mmap))
                .peek(va -> {
                    if ((flags & pvm.hal.pmap.MapFlags.FIXED) != 0) {
                        purgeable.forget(p, va.value(), va.value() + Sizes.alignUp(length.bytes(), pageSize()));
                    }
                });
    }

    /** {@code sys_munmap}. */
    public Either<VmError, Void> munmap(Process p, VirtAddr addr, Size length) {
        return alive(p).flatMap(live -> syscalls.munmap(live, addr, length)).peek(ok -> {
            long end = addr.value() + Sizes.alignUp(length.bytes(), pageSize());
            commitments.release(p, addr.value(), end);
            purgeable.forget(p, addr.value(), end);
        });
    }

    // ---- beyond Phoenix: SerenityOS's purgeable memory and address-space statistics ----------

    /** {@code P volatile ADDR LEN}: the anonymous memory of the range may be purged ({@link Purgeable}). */
    public Either<VmError, Void> makeVolatile(Process p, VirtAddr addr, Size length) {
        return alive(p).flatMap(live -> purgeable.makeVolatile(live, addr, length));
    }

    /** {@code P nonvolatile ADDR LEN}: ordinary memory again; true when any of it was purged meanwhile. */
    public Either<VmError, Boolean> makeNonvolatile(Process p, VirtAddr addr, Size length) {
        return alive(p).flatMap(live -> purgeable.makeNonvolatile(live, addr, length));
    }

    /** {@code purge}: purges every volatile page now; the number of pages freed. */
    public long purge() {
        return purgeable.purgeAll();
    }

    /** {@code show stats P}: SerenityOS's address-space figures of {@code p}. */
    public AddressSpaceStats stats(Process p) {
        return AddressSpaceStats.of(this, p, purgeable.volatilePages(p), commitments.committedBytes(p));
    }

    /** The commitments of the machine, for the fault path. */
    Commitments commitments() {
        return commitments;
    }

    /** {@code sys_mprotect}. */
    public Either<VmError, Void> mprotect(Process p, VirtAddr addr, Size length, int prot) {
        return alive(p).flatMap(live -> syscalls.mprotect(live, addr, length, prot));
    }

    /** {@code sbrk}: moves {@code p}'s break by {@code increment} bytes (negative shrinks); the old break ({@link ProcessHeap}). */
    public Either<VmError, Long> sbrk(Process p, long increment) {
        return alive(p).flatMap(live -> processMemory.sbrk(live, increment));
    }

    /** {@code brk}: sets {@code p}'s break to {@code addr}; the new break ({@link ProcessHeap}). */
    public Either<VmError, Long> brk(Process p, long addr) {
        return alive(p).flatMap(live -> processMemory.brk(live, addr));
    }

    // ---- accounting, views, checks ---------------------------------------------------------------

    /** {@code vm_meminfo}: the memory accounting as Phoenix's {@code meminfo_t} reports it. */
    public MemInfo meminfo() {
        return MemInfo.of(this);
    }

    /**
     * The figures {@code mark} records and {@code expect unchanged} compares. Two things that
     * change without anything leaking are left out: kmalloc's reserve of empty zones (counted as
     * free memory, not as allocated; see {@link Kmalloc.Reserve}) and the kernel map's own entry
     * count, which merging and splitting of the kernel's mappings moves up and down (a leaked kernel
     * mapping still shows, as pages that are not free).
     */
    public Accounting accounting() {
        Kmalloc.Reserve reserve = kmalloc.reserve();
        long entriesInUse = maps.entriesTotal() - maps.entriesFree() - maps.kernelMap().entryCount();
        // Committed pages (commit=strict) are not free to anyone else: a commitment left behind shows.
        return new Accounting(pages.freeBytes() + reserve.zoneBytes() - pages.reservedBytes(), kmalloc.allocatedBytes() - reserve.headerBytes(),
                entriesInUse, (long) pager.objectCount() + pager.amapCount() + pager.anonCount());
    }

    /** Views of every layer, as text. */
    /** psh's {@code mem} on this machine. */
    public PshMem.Output psh(List<String> memArgs) {
        return new PshMem(this).run(memArgs);
    }

    public MachineViews views() {
        return new MachineViews(this);
    }

    /** {@code show pages}: the page map (a note instead on targets without one). */
    public List<String> showPages() {
        return views().pages();
    }

    /** {@code show mem}: the memory summary. */
    public List<String> showMem() {
        return views().mem();
    }

    /** {@code show map}: the entries of {@code p}'s map, or of the kernel's when {@code p} is null. */
    public List<String> showMap(Process p) {
        return views().map(p);
    }

    /** {@code show buddy}: free blocks per order. */
    public List<String> showBuddy() {
        return views().buddy();
    }

    /** {@code show kmalloc}: the zones of every size class. */
    public List<String> showKmalloc() {
        return views().kmalloc();
    }

    /** {@code show objects}: memory objects and amaps. */
    public List<String> showObjects() {
        return views().objects();
    }

    /** {@code show walk}: the MMU walk of {@code va} in {@code p}'s address space. */
    public List<String> showWalk(Process p, long va) {
        return views().walk(p, va);
    }

    /**
     * Creates file {@code name} of {@code size} bytes in the in-memory file server that file
     * mappings read from: {@code contents} first (it may be shorter than the file, or null), zeros
     * after it. {@code EINVAL} for an empty name, a negative size, contents longer than the file, or
     * a name already taken.
     */
    public Either<VmError, Void> createFile(String name, long size, byte[] contents) {
        return files.createFile(name, size, contents).map(oid -> null);
    }

    /**
     * Creates file {@code name} of {@code size} bytes whose bytes {@code contents} produces when a
     * fault or a reader needs them, so that a large file costs no heap. {@code EINVAL} as above.
     */
    public Either<VmError, Void> createGeneratedFile(String name, long size, FileContents contents) {
        return files.createGeneratedFile(name, size, contents).map(oid -> null);
    }

    /** The map an address belongs to when {@code p} touches it: the kernel's for kernel addresses. */
    VmMap mapFor(Process p, long va) {
        return kernelPmap.belongs(VirtAddr.of(va)) || p == null ? maps.kernelMap() : p.map();
    }

    /** The map entry covering {@code va} in the map {@code p} would fault in, in words. */
    String describeEntry(Process p, long va) {
        VmMap map = mapFor(p, va);
        return map.entries().stream().filter(e -> va >= e.vaddr().value() && va < e.end()).findFirst()
                .map(e -> "map entry " + MachineViews.entryLine(e))
                .orElse(String.format("no map entry covers 0x%08x in %s", va, map == maps.kernelMap() ? "the kernel map" : p.name() + "'s map"));
    }

    /** Runs every layer's invariant checker; the violations, each prefixed with its layer, or nothing. */
    public List<String> verify() {
        List<String> violations = new ArrayList<>();
        pages.verify().forEach(v -> violations.add("page: " + v));
        maps.kernelMap().verify().forEach(v -> violations.add("kernel map: " + v));
        for (Process p : processes.live()) {
            if (p.vforkParent() == null && p.ownsMap()) {
                p.map().verify().forEach(v -> violations.add(p.name() + "'s map: " + v));
            }
        }
        maps.verify().forEach(v -> violations.add("map: " + v));
        kmalloc.verify().forEach(v -> violations.add("kmalloc: " + v));
        regions.verify().forEach(v -> violations.add("kernel regions: " + v));
        pager.verify().forEach(v -> violations.add("object: " + v));
        violations.addAll(model.verify(this));
        hal.verify(kernelPmap, userPmaps()).forEach(v -> violations.add("pmap: " + v));
        violations.addAll(commitments.verify());
        violations.addAll(purgeable.verify());
        return violations;
    }

    /** The address spaces of the live processes, each once (a vforked child runs in its parent's). */
    private List<Pmap> userPmaps() {
        List<Pmap> spaces = new ArrayList<>();
        for (Process p : processes.live()) {
            if (spaces.stream().noneMatch(s -> s == p.pmap())) {
                spaces.add(p.pmap());
            }
        }
        return spaces;
    }

    // ---- files: the backing store of memory objects ------------------------------------------

    /**
     * Makes every regular file of the host directory {@code dir} mappable by its name
     * ({@code pvm run --files DIR}); files are read page by page when a fault needs them, and never
     * written. A file created with {@link #createFile} hides a host file of the same name.
     * {@code ENOENT} when {@code dir} is not a directory, {@code EBUSY} when one is attached already.
     */
    public Either<VmError, Void> attachHostDirectory(java.nio.file.Path dir) {
        return files.attachHostDirectory(dir);
    }

    /** The names of the files a process can map: the in-memory server's, then the host directory's. */
    public List<String> fileNames() {
        return files.names();
    }

    /**
     * Reads {@code length} bytes of file {@code name} from {@code offset} as a shared mapping of it
     * sees them now: the pages of its memory object while it has one (with whatever shared mappings
     * wrote), the file server's bytes elsewhere. Past the end of the file the result is shorter.
     * Nothing is loaded. {@code ENOENT} for an unknown name, {@code EINVAL} for a negative offset or
     * length.
     */
    public Either<VmError, byte[]> readFile(String name, long offset, int length) {
        if (offset < 0 || length < 0) {
            return Either.left(VmError.einval("negative offset or length"));
        }
        return files.lookup(name).toEither(() -> (VmError) new VmError.ENOENT("no file '" + name + "'")).flatMap(oid -> {
            byte[] into = new byte[length];
            int n = pager.readObject(oid, offset, into, length);
            return n < 0 ? Either.left(Errno.toError(n, "reading file " + name))
                    : Either.right(n == length ? into : java.util.Arrays.copyOf(into, n));
        });
    }
}
