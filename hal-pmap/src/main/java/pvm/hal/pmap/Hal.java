package pvm.hal.pmap;

import java.util.List;

/**
 * The machine-dependent memory layer of one booted machine, as the layers above see it: Phoenix's
 * machine-wide {@code pmap_*} functions ({@code _pmap_init}, {@code pmap_create},
 * {@code pmap_getPage}, {@code pmap_marker}, {@code _pmap_kernelSpaceExpand}, {@code pmap_segment})
 * plus the simulated hardware: physical memory, the page-frame table and the CPUs' MMUs.
 *
 * <p>An architecture's Guice module binds this interface; one instance per machine, so two machines
 * (even of two targets) live side by side.
 */
public interface Hal {

    Architecture architecture();

    MachineConfig config();

    PhysicalMemory memory();

    /** The page-frame table this machine's page allocator fills at boot and then owns. */
    PageFrames frames();

    int pageSize();

    /** {@code sizeof(page_t)} on the target ({@link TargetAbi#pageT}): what the kernel heap pays per page at boot. */
    default int pageDescriptorSize() {
        return architecture().abi().pageT();
    }

    /**
     * {@code _pmap_init}: takes over the loader's tables, builds the kernel's address space and maps
     * the first page of kernel heap. Called once, first, at boot.
     */
    PmapInit init();

    /**
     * {@code pmap_getPage}: discovers the page at or after {@code probe.cursor}, filling the probe
     * and advancing the cursor.
     *
     * @return {@link Errno#EOK} (a page: the probe is filled), {@link Errno#EINVAL} (a hole was skipped: call
     *     again) or {@link Errno#ENOMEM} (the end of physical memory), as Phoenix's {@code pmap_getPage} answers
     */
    int getPage(PageProbe probe);

    /** {@code pmap_marker}: the architecture's letter ({@link Architecture#marker}) for these {@link PageFlags}. */
    default char marker(int pageFlags) {
        return architecture().marker(pageFlags);
    }

    /** Whether this target has a page map to show at all (no-MMU Phoenix prints none). */
    boolean showsPageMap();

    /**
     * {@code pmap_create}: a new user address space sharing the kernel's top-level entries.
     *
     * @param pdir a page the caller allocated for the top-level table ({@link Frame#NONE} on no-MMU)
     */
    Pmap create(Pmap kernel, Frame pdir);

    /**
     * {@code _pmap_kernelSpaceExpand}: makes sure the kernel's address space has page tables up to
     * {@code end}, so every address space created later shares them.
     *
     * @param dp a page to use as the next page table, or {@link Frame#NONE}
     * @return {@link Pmap.EnterResult#NEEDS_PTABLE} while it needs another page (offer one and call
     *     again), {@link Pmap.EnterResult#OK} when done
     */
    Pmap.EnterResult kernelSpaceExpand(Pmap kernel, VirtAddr end, Frame dp);

    /** {@code pmap_segment}: the kernel image's segments, given the heap's current top. */
    List<KernelSegment> segments(VirtAddr heapTop);

    /**
     * The kernel image as the loader placed it: the ranges whose pages must always translate to
     * their own frames (see {@link KernelImageRange}). Phoenix has no such call; it is what the
     * checkers need to prove that no kernel mapping ever lands on the kernel.
     */
    List<KernelImageRange> kernelImage();

    /** Number of CPUs. */
    int cpus();

    /** CPU {@code i}'s MMU. */
    Mmu mmu(int i);

    /** The board's named memory maps (no-MMU); empty on targets with an MMU. */
    List<MemoryMapInfo> maps();

    /**
     * The architecture layer's invariant checker, over the kernel's address space and the user
     * address spaces {@code spaces} (every live one; the HAL keeps no list of them): the kernel's
     * top-level entries are the same in every address space, every page-table page is marked as
     * one in the page-frame table, every present entry maps an allocated frame or memory the page
     * allocator does not manage (a device, a hole), and no CPU caches a translation a fresh walk
     * would not give. Each problem in words; none when every invariant holds. Phoenix has no such
     * call; the kernel's {@code expect verify} runs it on every target without knowing which.
     */
    List<String> verify(Pmap kernel, List<Pmap> spaces);
}
