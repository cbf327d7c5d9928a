package pvm.arch.riscv64;

import static pvm.arch.riscv64.Sv39.PAGE_OFFSET_MASK;
import static pvm.arch.riscv64.Sv39.SIZE_PAGE;
import static pvm.arch.riscv64.Sv39.VADDR_KERNEL;

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
 * One booted QEMU {@code virt} machine with riscv64 harts: its DRAM, with the firmware, the kernel
 * image and the device tree in place; the page-frame table; the harts; and Phoenix's machine-wide
 * {@code pmap_*} calls from {@code hal/riscv64/pmap.c}.
 *
 * <p>At construction the machine is as {@code _start} leaves it just before {@code main}: the boot
 * tables in {@code pmap_common} map the kernel image's 2 MiB at {@code VADDR_KERNEL} and the device
 * tree's gigabyte at {@code VADDR_DTB}, and every hart runs on them. {@link #init} then does what
 * {@code _pmap_init} does.
 */
public final class Riscv64Hal implements Hal {

    private final Riscv64Architecture architecture;
    private final MachineConfig config;
    private final PhysicalMemory memory;
    private final PageFrames frames;
    private final PmapCommon common;
    private final HalConfig halConfig;
    private final Riscv64Pmap kernel;
    private PmapInit initialised;

    public Riscv64Hal(Riscv64Architecture architecture, MachineConfig config) {
        architecture.validate(config).getOrElseThrow(e -> new IllegalArgumentException(e.message()));
        this.architecture = architecture;
        this.config = config;
        BootMemoryMap boot = architecture.bootMemoryMap(config.ramBytes());
        this.memory = new PhysicalMemory(boot);
        // Every page of DRAM but the firmware's has a page_t.
        long pages = (config.ramBytes() - (VirtBoard.SBI_AREA_END - VirtBoard.SBI_AREA_START)) / SIZE_PAGE;
        this.frames = new PageFrames(Math.toIntExact(pages), SIZE_PAGE);
        this.common = new PmapCommon(memory, frames, config.cpus(), config.policies().get(Pbmt.POLICY));
        this.halConfig = new HalConfig(boot);
        BootPaging.setUp(memory, VirtBoard.phys(VirtBoard.PDIR2), VirtBoard.phys(VirtBoard.PDIR1), VirtBoard.phys(VirtBoard.PDIR0),
                VirtBoard.KERNEL_START, VirtBoard.dtbAddress(config.ramBytes()));
        // _init.S loads satp with pmap_common's first page, pdir2, on every hart.
        this.kernel = new Riscv64Pmap(common, VirtBoard.phys(VirtBoard.PDIR2), VADDR_KERNEL, Sv39.LOWER_HALF_END);
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
     * {@code _pmap_init}: the boot tables become the kernel's address space; the kernel heap starts
     * at the page-rounded end of the image ({@code vkernelEnd}) with one page, the image's own
     * {@code pmap_common.heap}, mapped there; the rest of the boot mapping up to
     * {@code VADDR_KERNEL + 2 MiB} goes; the text is re-entered read/execute and everything else up
     * to {@code _end} read/write (both through {@code pmap_resolve} of the boot mapping, so each
     * page keeps its frame).
     *
     * <p>Phoenix's HAL maps its devices (the PLIC's 2 MiB and more) at {@code vkernelEnd} before
     * this runs, which moves the heap above them; pvm's board has no devices, so the heap follows
     * the image directly.
     */
    @Override
    public synchronized PmapInit init() {
        if (initialised != null) {
            throw new IllegalStateException("_pmap_init runs once per boot");
        }
        long vstart = VirtBoard.ceilPage(VirtBoard.END);
        long vend = vstart + SIZE_PAGE;
        common.lock.lock();
        try {
            kernel.setRangeLocked(VADDR_KERNEL, Sv39.LOWER_HALF_END);
            enterBoot(VirtBoard.phys(VirtBoard.HEAP), vstart, Attr.WRITE | Attr.PRESENT);
            kernel.removeLocked(vend, VADDR_KERNEL + Sv39.MEGA);
            long textEnd = VirtBoard.ceilPage(VirtBoard.ETEXT);
            for (long v = VADDR_KERNEL; v < textEnd; v += SIZE_PAGE) {
                enterBoot(Sv39.addr(kernel.leafLocked(v)), v, Attr.EXEC | Attr.PRESENT);
            }
            for (long v = textEnd; v < VirtBoard.ceilPage(VirtBoard.END); v += SIZE_PAGE) {
                enterBoot(Sv39.addr(kernel.leafLocked(v)), v, Attr.WRITE | Attr.PRESENT);
            }
            common.shootdownAll(); // hal_cpuLocalFlushTLB(0, NULL)
        } finally {
            common.lock.unlock();
        }
        initialised = new PmapInit(kernel, VirtAddr.of(vstart), VirtAddr.of(vend));
        return initialised;
    }

    private void enterBoot(long pa, long va, int attr) {
        if (kernel.enterLocked(pa, va, attr, -1, false) != Pmap.EnterResult.OK) {
            throw new IllegalStateException(String.format("the boot tables must cover 0x%016x", va));
        }
    }

    /**
     * {@code pmap_getPage}: the page at or after {@code probe.cursor}. Below DRAM or inside the
     * firmware's area the cursor jumps to the end of that area; at or past the top of DRAM it is
     * {@code -ENOMEM}; a page inside a range taken at boot takes its flags, any other is free.
     * {@code virt} has one bank, so there is no hole to skip. Allocation-free.
     */
    @Override
    public int getPage(PageProbe probe) {
        HalConfig c = halConfig;
        long a = probe.cursor & ~PAGE_OFFSET_MASK;
        if ((a >= VirtBoard.SBI_AREA_START && a < VirtBoard.SBI_AREA_END) || a < c.minAddr) {
            a = VirtBoard.SBI_AREA_END;
        }
        if (a >= c.maxAddr) {
            return Errno.ENOMEM;
        }
        probe.pageAddr = a;
        probe.cursor = a + SIZE_PAGE;
        long[] s = c.entryStart;
        long[] e = c.entryEnd;
        for (int i = 0; i < s.length; i++) {
            if (a >= s[i] && a < e[i]) {
                probe.pageFlags = c.entryFlags[i];
                return Errno.EOK;
            }
        }
        probe.pageFlags = pvm.hal.pmap.PageFlags.FREE;
        return Errno.EOK;
    }

    @Override
    public boolean showsPageMap() {
        return true;
    }

    /**
     * {@code pmap_create}: zeroes the new root table and copies the kernel's root entries into it,
     * so every address space shares the kernel's level-1 tables: those from {@code kpmap->start}
     * rounded down to a gigabyte up to {@code kpmap->end} rounded up to one (Phoenix rounds the
     * kernel's own {@code end} up in place, and so does this), then entry 511, the device tree's
     * gigapage.
     */
    @Override
    public Pmap create(Pmap kernelPmap, Frame pdir) {
        Riscv64Pmap k = own(kernelPmap);
        if (pdir.isNone()) {
            throw new IllegalArgumentException("riscv64 needs a page for the root table");
        }
        long root = common.frameAddr(pdir);
        common.lock.lock();
        try {
            memory.fill(root, SIZE_PAGE, 0);
            long kend = Math.min((k.end().value() + Sv39.GIGA - 1) & -Sv39.GIGA, Sv39.LOWER_HALF_END);
            k.setRangeLocked(k.start().value(), kend);
            for (long va = k.start().value() & -Sv39.GIGA; va < kend; va += Sv39.GIGA) {
                int i = Sv39.index(va, 2);
                memory.write64(root + (long) i * Sv39.PTE_SIZE, k.topLocked(i));
            }
            int last = Sv39.ENTRIES - 1;
            memory.write64(root + (long) last * Sv39.PTE_SIZE, k.topLocked(last));
        } finally {
            common.lock.unlock();
        }
        return new Riscv64Pmap(common, root, 0, Sv39.VADDR_USR_MAX);
    }

    /**
     * {@code _pmap_kernelSpaceExpand}: makes sure every gigabyte of kernel space up to {@code end}
     * has a level-1 table, using {@code dp} for the first missing one and asking for another while
     * any is still missing; then the kernel's range becomes {@code [VADDR_KERNEL, end)}.
     *
     * <p>Phoenix does this with {@code _pmap_enter(pmap, 0, vaddr, ~PGHD_PRESENT, ...)} at each
     * gigabyte step, which also creates a level-0 table there and, since {@code _pmap_map} ORs V into
     * every leaf, maps physical page 0 read/write/execute/user at the probed address. Only the
     * level-1 tables matter for sharing (a level-0 table added later under a shared level-1 table is
     * seen by every address space), so only they are installed here. Kernel space is one gigabyte,
     * whose level-1 table the boot code made, so in practice no page is ever needed.
     */
    @Override
    public Pmap.EnterResult kernelSpaceExpand(Pmap kernelPmap, VirtAddr end, Frame dp) {
        Riscv64Pmap k = own(kernelPmap);
        long to = Math.min(end.value(), Sv39.LOWER_HALF_END);
        if (to <= VADDR_KERNEL) {
            throw new IllegalArgumentException(String.format("kernel space starts at 0x%x; cannot expand it to %s", VADDR_KERNEL, end));
        }
        long table = dp.isNone() ? -1 : common.frameAddr(dp);
        common.lock.lock();
        try {
            for (long va = VADDR_KERNEL; va < to; va += Sv39.GIGA) {
                int i = Sv39.index(va, 2);
                if ((k.topLocked(i) & Sv39.V) == 0) {
                    if (table < 0) {
                        return Pmap.EnterResult.NEEDS_PTABLE;
                    }
                    k.installTableLocked(k.root().value() + (long) i * Sv39.PTE_SIZE, table);
                    table = -1;
                }
            }
            // Invalid entries are never cached, so adding tables needs no fence.
            k.setRangeLocked(VADDR_KERNEL, to);
            return Pmap.EnterResult.OK;
        } finally {
            common.lock.unlock();
        }
    }

    /**
     * {@code pmap_segment}: the kernel's text from {@code VADDR_KERNEL} (read/execute), then its
     * data, bss and heap from {@code _etext} up to {@code heapTop} (read/write). Unlike ia32 there is
     * no low-memory segment: the image starts at {@code VADDR_KERNEL} itself.
     */
    @Override
    public List<KernelSegment> segments(VirtAddr heapTop) {
        long top = heapTop.value();
        if (top < VirtBoard.ETEXT || top > Sv39.LOWER_HALF_END) {
            throw new IllegalArgumentException(String.format("the heap top must lie above _etext (0x%x): %s", VirtBoard.ETEXT, heapTop));
        }
        return List.of(
                new KernelSegment("text", VirtAddr.of(VADDR_KERNEL), Size.of(VirtBoard.ETEXT - VADDR_KERNEL), Prot.READ | Prot.EXEC),
                new KernelSegment("data", VirtAddr.of(VirtBoard.ETEXT), Size.of(top - VirtBoard.ETEXT), Prot.READ | Prot.WRITE));
    }

    /**
     * What the boot code mapped at {@code VADDR_KERNEL}: the image from {@code _start} to the page
     * holding {@code _end}, each page at {@code VADDR_KERNEL} above its frame ({@code _pmap_init}
     * re-enters text and data with their own frames, so this holds for the machine's whole life).
     */
    @Override
    public List<KernelImageRange> kernelImage() {
        return List.of(new KernelImageRange("kernel image", VirtAddr.of(VADDR_KERNEL), VirtAddr.of(VirtBoard.ceilPage(VirtBoard.END)),
                PhysAddr.of(VirtBoard.KERNEL_START)));
    }

    /** The tables, the frame marks and the TLBs: see {@link Sv39Verify}. */
    @Override
    public List<String> verify(Pmap kernelPmap, List<Pmap> spaces) {
        Riscv64Pmap k = own(kernelPmap);
        List<Riscv64Pmap> own = spaces.stream().map(this::own).toList();
        common.lock.lock();
        try {
            return Sv39Verify.verifyLocked(common, kernelImage(), k, own);
        } finally {
            common.lock.unlock();
        }
    }

    @Override
    public int cpus() {
        return common.cpus();
    }

    @Override
    public Mmu mmu(int i) {
        if (i < 0 || i >= common.cpus()) {
            throw new IndexOutOfBoundsException("hart " + i + " of " + common.cpus());
        }
        return common.cpu(i);
    }

    /** {@code virt} has no board memory maps to hand to processes. */
    @Override
    public List<MemoryMapInfo> maps() {
        return List.of();
    }

    /** The kernel's address space (the boot tables), before and after {@link #init}. */
    Riscv64Pmap kernel() {
        return kernel;
    }

    private Riscv64Pmap own(Pmap pmap) {
        if (!(pmap instanceof Riscv64Pmap p) || p.common() != common) {
            throw new IllegalArgumentException("not an address space of this machine: " + pmap);
        }
        return p;
    }

    @Override
    public String toString() {
        return String.format("Riscv64Hal(%s RAM, %d hart%s)", Sizes.human(config.ramBytes()), cpus(), cpus() == 1 ? "" : "s");
    }
}
