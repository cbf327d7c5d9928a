package pvm.arch.i686;

import static pvm.arch.i686.Paging.ADDRESS_SPACE_END;
import static pvm.arch.i686.Paging.PAGE_OFFSET_MASK;
import static pvm.arch.i686.Paging.SIZE_PAGE;
import static pvm.arch.i686.Paging.SLOT_SIZE;
import static pvm.arch.i686.Paging.VADDR_KERNEL;

import java.util.List;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.KernelImageRange;
import pvm.hal.pmap.KernelSegment;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;

/**
 * One booted i686 PC: its RAM, laid out as the PC memory map with the loader's structures already
 * in place; the page-frame table; the CPUs; and Phoenix's machine-wide {@code pmap_*} calls.
 *
 * <p>At construction the machine is as the kernel's entry code leaves it just before {@code main}:
 * the loader's page directory maps the first 4 MiB at 0 and at {@code VADDR_KERNEL}, and every CPU
 * runs on it. {@link #init} then does what {@code _pmap_init} does.
 */
public final class I686Hal implements Hal {

    private final I686Architecture architecture;
    private final MachineConfig config;
    private final PhysicalMemory memory;
    private final PageFrames frames;
    private final PmapCommon common;
    private final HalConfig halConfig;
    private final I686Pmap kernel;
    private PmapInit initialised;

    public I686Hal(I686Architecture architecture, MachineConfig config) {
        architecture.validate(config).getOrElseThrow(e -> new IllegalArgumentException(e.message()));
        this.architecture = architecture;
        this.config = config;
        BootMemoryMap boot = architecture.bootMemoryMap(config.ramBytes());
        this.memory = new PhysicalMemory(boot);
        this.frames = new PageFrames((int) (config.ramBytes() / SIZE_PAGE), SIZE_PAGE);
        this.common = new PmapCommon(memory, frames, config.cpus(), config.policies().get(NonePages.POLICY));
        this.halConfig = new HalConfig(boot);
        if (halConfig.ptableWindow >= VADDR_KERNEL + SLOT_SIZE) {
            throw new IllegalStateException("the page-table window must lie in the loader's first 4 MiB");
        }
        BootPaging.setUp(memory, LoaderLayout.ADDR_PDIR, LoaderLayout.ADDR_PTABLE);
        // The loader's page directory becomes the kernel's: every CPU starts on it (the APs load
        // hs.pdir too in _init_core).
        this.kernel = new I686Pmap(common, LoaderLayout.ADDR_PDIR, VADDR_KERNEL, ADDRESS_SPACE_END);
        for (int i = 0; i < common.cpus(); i++) {
            kernel.switchTo(common.cpu(i));
        }
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public MachineConfig config() {
        return config;
    }

    @Override
    public PhysicalMemory memory() {
        return memory;
    }

    @Override
    public PageFrames frames() {
        return frames;
    }

    @Override
    public int pageSize() {
        return SIZE_PAGE;
    }

    /**
     * {@code _pmap_init}: takes the loader's page directory as the kernel's, drops the identity
     * mapping of the first 4 MiB, maps the first heap page to physical page 0 (the heap starts
     * 0x500 bytes into it, above the BIOS data area) and unmaps the rest of the loader's 4 MiB
     * above it. The kernel image and everything below it stay mapped.
     *
     * <p>The page-table window: {@code _pmap_enter} maps the table it edits at
     * {@code hal_config.ptable} through the loader's page table, so after {@code _pmap_init} the
     * window maps the loader's page table. That entry is written here once, as Phoenix leaves it;
     * later updates address tables physically and leave the window alone (in Phoenix it follows
     * the last table edited, even one since freed).
     */
    @Override
    public synchronized PmapInit init() {
        if (initialised != null) {
            throw new IllegalStateException("_pmap_init runs once per boot");
        }
        long vstart;
        long vend;
        common.lock.lock();
        try {
            memory.write32(kernel.cr3(), 0); // pdir[0]: the identity mapping goes
            kernel.setRangeLocked(VADDR_KERNEL, ADDRESS_SPACE_END); // [VADDR_KERNEL, VADDR_MAX]
            common.shootdownAll();

            vstart = halConfig.heapStart;
            vend = vstart + SIZE_PAGE;
            if (kernel.enterLocked(0, vstart, Attr.WRITE | Attr.PRESENT, -1, false) != Pmap.EnterResult.OK) {
                throw new IllegalStateException("the loader's page table must cover the heap start");
            }
            long table = kernel.pdeLocked(Paging.pdi(vstart)) & Paging.FRAME_MASK;
            memory.write32(LoaderLayout.ADDR_PTABLE + (long) Paging.pti(halConfig.ptableWindow) * 4, table | Paging.PTHD);
            vstart += 0x500;

            kernel.removeLocked(vend, VADDR_KERNEL + SLOT_SIZE);
            common.shootdownAll();
        } finally {
            common.lock.unlock();
        }
        initialised = new PmapInit(kernel, VirtAddr.of(vstart), VirtAddr.of(vend));
        return initialised;
    }

    /**
     * {@code pmap_getPage}: the page at or after {@code probe.cursor}. Below the lowest bank the
     * cursor jumps to it; at or past the top of RAM it is {@link #Errno.ENOMEM}; in the hole between
     * banks {@link #Errno.EINVAL}, with the cursor moved to the next bank; a page inside a boot
     * memory entry takes that entry's flags, any other page is free. Allocation-free.
     */
    @Override
    public int getPage(PageProbe probe) {
        HalConfig c = halConfig;
        long a = probe.cursor & ~PAGE_OFFSET_MASK;
        if (a < c.minAddr) {
            a = c.minAddr;
        }
        if (a >= c.maxAddr) {
            return Errno.ENOMEM;
        }
        probe.pageAddr = a;
        probe.pageFlags = 0;
        if (a < c.entriesTop) {
            long[] s = c.entryStart;
            long[] e = c.entryEnd;
            for (int i = 0; i < s.length; i++) {
                if (a >= s[i] && a < e[i]) {
                    probe.cursor = a + SIZE_PAGE;
                    probe.pageFlags = c.entryFlags[i];
                    return Errno.EOK;
                }
            }
        }
        long[] ms = c.mapStart;
        long[] me = c.mapEnd;
        for (int i = 0; i + 1 < ms.length; i++) {
            if (a >= me[i] && a < ms[i + 1]) {
                // Phoenix sets the cursor so that the next call lands on the next map's first page.
                probe.cursor = ms[i + 1] & ~PAGE_OFFSET_MASK;
                return Errno.EINVAL;
            }
        }
        probe.cursor = a + SIZE_PAGE;
        probe.pageFlags = PageFlags.FREE;
        return Errno.EOK;
    }

    @Override
    public boolean showsPageMap() {
        return true;
    }

    /**
     * {@code pmap_create}: zeroes the new page directory and copies the kernel's PDEs into it, so
     * every address space shares the kernel's page tables. Phoenix's loop starts at
     * {@code (VADDR_KERNEL + SIZE_PAGE) & ~(SIZE_PAGE - 1)} and copies
     * {@code (0xffffffff - vaddr) / 4 MiB} = 255 entries: slots 768..1022. The last slot
     * (0xffc00000..0xffffffff) is not copied; kept as in Phoenix, so a kernel mapping there is not
     * seen from user address spaces.
     */
    @Override
    public Pmap create(Pmap kernelPmap, Frame pdir) {
        I686Pmap k = own(kernelPmap);
        if (pdir.isNone()) {
            throw new IllegalArgumentException("i686 needs a page for the page directory");
        }
        long pd = common.frameAddr(pdir);
        common.lock.lock();
        try {
            memory.fill(pd, SIZE_PAGE, 0);
            long vaddr = (VADDR_KERNEL + SIZE_PAGE) & ~PAGE_OFFSET_MASK;
            long pages = (Paging.VADDR_MAX - vaddr) / SLOT_SIZE;
            for (long i = 0; i < pages; i++) {
                int pdi = Paging.pdi(vaddr);
                memory.write32(pd + (long) pdi * 4, k.pdeLocked(pdi));
                vaddr += SLOT_SIZE;
            }
        } finally {
            common.lock.unlock();
        }
        return new I686Pmap(common, pd, 0, VADDR_KERNEL);
    }

    /**
     * {@code _pmap_kernelSpaceExpand}: makes sure every 4 MiB slot of kernel space up to
     * {@code end} (clamped to the 4 GiB the CPU can address) has a page table, using {@code dp} for
     * the first missing one and asking for another while any is still missing. When all are there
     * the kernel's range becomes {@code [VADDR_KERNEL, end)}, as Phoenix sets it.
     *
     * <p>Differences from Phoenix: its loop steps 4 MiB from the page-rounded heap top, so when
     * that is not slot aligned the slot holding {@code end - 1} can be missed; here every slot up to
     * it is covered. And it installs each table through {@code _pmap_enter(…, 0, vaddr, 0, …)},
     * which, forcing the P bit, also maps physical page 0 read-only at each probed address; here
     * only the page tables are installed. If {@code dp} is offered and no table is missing it is
     * not used and stays the caller's.
     */
    @Override
    public Pmap.EnterResult kernelSpaceExpand(Pmap kernelPmap, VirtAddr end, Frame dp) {
        I686Pmap k = own(kernelPmap);
        long to = Math.min(end.value(), ADDRESS_SPACE_END);
        if (to <= VADDR_KERNEL) {
            throw new IllegalArgumentException("kernel space starts at 0xc0000000; cannot expand it to " + end);
        }
        long table = dp.isNone() ? -1 : common.frameAddr(dp);
        common.lock.lock();
        try {
            int last = Paging.pdi(to - 1);
            for (int slot = Paging.KERNEL_SLOT; slot <= last; slot++) {
                if (k.pdeLocked(slot) == 0) {
                    if (table < 0) {
                        return Pmap.EnterResult.NEEDS_PTABLE;
                    }
                    k.installTableLocked(slot, table);
                    table = -1;
                }
            }
            // Not-present PDEs are never cached, so adding tables needs no TLB shootdown.
            k.setRangeLocked(VADDR_KERNEL, to);
            return Pmap.EnterResult.OK;
        } finally {
            common.lock.unlock();
        }
    }

    /**
     * {@code pmap_segment}: the low megabyte below the kernel (read/write), the kernel's text
     * (read/execute) and its data, bss and heap up to {@code heapTop} (read/write). Sizes are not
     * page-rounded here; the kernel map rounds them, as {@code _map_init} does.
     */
    @Override
    public List<KernelSegment> segments(VirtAddr heapTop) {
        long top = heapTop.value();
        if (top < LoaderLayout.ETEXT || top > ADDRESS_SPACE_END) {
            throw new IllegalArgumentException(String.format("the heap top must lie above _etext (0x%08x): %s", LoaderLayout.ETEXT, heapTop));
        }
        long text = VADDR_KERNEL + LoaderLayout.PKERNEL;
        return List.of(
                new KernelSegment("low memory", VirtAddr.of(VADDR_KERNEL), Size.of(LoaderLayout.PKERNEL), Prot.READ | Prot.WRITE),
                new KernelSegment("text", VirtAddr.of(text), Size.of(LoaderLayout.ETEXT - text), Prot.READ | Prot.EXEC),
                new KernelSegment("data", VirtAddr.of(LoaderLayout.ETEXT), Size.of(top - LoaderLayout.ETEXT), Prot.READ | Prot.WRITE));
    }

    /**
     * What the loader mapped at {@code VADDR_KERNEL}: the low megabyte (BIOS data, the loader's
     * tables, the syspage) and the image from {@code pkernel} to the page holding {@code _end}, each
     * page at {@code VADDR_KERNEL} above its frame.
     */
    @Override
    public List<KernelImageRange> kernelImage() {
        long image = VADDR_KERNEL + LoaderLayout.PKERNEL;
        return List.of(
                new KernelImageRange("low memory", VirtAddr.of(VADDR_KERNEL), VirtAddr.of(image), PhysAddr.of(0)),
                new KernelImageRange("kernel image", VirtAddr.of(image), VirtAddr.of(Sizes.alignUp(LoaderLayout.END, SIZE_PAGE)),
                        PhysAddr.of(LoaderLayout.PKERNEL)));
    }

    @Override
    public int cpus() {
        return common.cpus();
    }

    @Override
    public Mmu mmu(int i) {
        if (i < 0 || i >= common.cpus()) {
            throw new IndexOutOfBoundsException("CPU " + i + " of " + common.cpus());
        }
        return common.cpu(i);
    }

    /** A PC has no board memory maps to hand to processes. */
    @Override
    public List<MemoryMapInfo> maps() {
        return List.of();
    }

    /** The tables, the frame marks and the TLBs: see {@link PagingVerify}. */
    @Override
    public List<String> verify(Pmap kernelPmap, List<Pmap> spaces) {
        I686Pmap k = own(kernelPmap);
        List<I686Pmap> own = spaces.stream().map(this::own).toList();
        common.lock.lock();
        try {
            return PagingVerify.verifyLocked(common, kernelImage(), k, own);
        } finally {
            common.lock.unlock();
        }
    }

    /** The kernel's address space (the loader's page directory), before and after {@link #init}. */
    I686Pmap kernel() {
        return kernel;
    }

    HalConfig halConfig() {
        return halConfig;
    }

    private I686Pmap own(Pmap pmap) {
        if (!(pmap instanceof I686Pmap p) || p.common() != common) {
            throw new IllegalArgumentException("not an address space of this machine: " + pmap);
        }
        return p;
    }

    @Override
    public String toString() {
        return String.format("I686Hal(%s RAM, %d CPU%s)", Sizes.human(config.ramBytes()), cpus(), cpus() == 1 ? "" : "s");
    }
}
