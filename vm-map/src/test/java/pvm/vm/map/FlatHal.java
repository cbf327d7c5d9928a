package pvm.vm.map;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
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
 * A flat test machine: one bank of RAM from address 0 whose first {@link #RESERVED} bytes the
 * "loader" took, real simulated memory, and {@link FlatPmap} address spaces. With an MMU the
 * kernel lives at {@link #VADDR_KERNEL} as on ia32; without one, the board has two memory maps,
 * the kernel's being the first.
 */
final class FlatHal implements Hal {

    static final long VADDR_KERNEL = 0xc000_0000L;
    static final long VADDR_END = 0x1_0000_0000L;
    static final long RESERVED = 256 << 10;
    static final long HEAP_MMU = VADDR_KERNEL + 0x10_0000L;
    static final long HEAP_NOMMU = 0x8000;
    /** The text's size, {@code _etext - VADDR_KERNEL}: not a whole number of pages. */
    static final long TEXT_SIZE = 0x1_0a40;
    static final long DATA_SIZE = 0xf5c0;

    final boolean mmu;
    /** Makes {@link #segments} hand over two that overlap, as a broken loader would. */
    boolean overlappingSegments;
    private final int pageSize;
    private final BootMemoryMap map;
    private final PhysicalMemory memory;
    private final PageFrames frames;
    private final FlatArchitecture architecture;
    private final List<MemoryMapInfo> boardMaps = new ArrayList<>();
    private PmapInit init;

    FlatHal(long ramBytes, int pageSize, boolean mmu) {
        this.mmu = mmu;
        this.pageSize = pageSize;
        this.map = bootMap(ramBytes, pageSize);
        this.memory = new PhysicalMemory(map);
        this.frames = new PageFrames((int) (ramBytes / pageSize), pageSize);
        this.architecture = new FlatArchitecture(pageSize, mmu);
        if (!mmu) {
            boardMaps.add(new MemoryMapInfo(0, "ram0", 0, ramBytes / 2));
            boardMaps.add(new MemoryMapInfo(1, "ram1", ramBytes / 2, ramBytes));
        }
    }

    /** The memory model a machine of this HAL boots with: paged with an MMU, flat without. */
    static MapModel modelOf(FlatHal hal) {
        return hal.mmu ? MapModel.PAGED : MapModel.FLAT;
    }

    static BootMemoryMap bootMap(long ramBytes, int pageSize) {
        return new BootMemoryMap(List.of(new BootMemoryMap.Bank("ram", 0, ramBytes)),
                List.of(new BootMemoryMap.Taken("kernel", 0, RESERVED, PageFlags.OWNER_KERNEL)));
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public MachineConfig config() {
        return new MachineConfig(map.ramBytes(), 1);
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
        return pageSize;
    }

    @Override
    public synchronized PmapInit init() {
        if (init == null) {
            if (mmu) {
                FlatPmap kernel = new FlatPmap(this, null, VADDR_KERNEL, VADDR_END, 0x1000);
                kernel.tables.put(VADDR_KERNEL >>> FlatPmap.SLOT_SHIFT, -1);
                kernel.ptes.put(HEAP_MMU, new FlatPmap.Pte(RESERVED - pageSize, pvm.hal.pmap.Attr.PRESENT | pvm.hal.pmap.Attr.WRITE));
                init = new PmapInit(kernel, VirtAddr.of(HEAP_MMU), VirtAddr.of(HEAP_MMU + pageSize));
            } else {
                FlatPmap kernel = new FlatPmap(this, null, 0, 0x10000, -1);
                init = new PmapInit(kernel, VirtAddr.of(HEAP_NOMMU), VirtAddr.of(HEAP_NOMMU + pageSize));
            }
        }
        return init;
    }

    @Override
    public int getPage(PageProbe probe) {
        long a = probe.cursor & -pageSize;
        if (a >= map.top()) {
            return Errno.ENOMEM;
        }
        probe.pageAddr = a;
        probe.pageFlags = a < RESERVED ? PageFlags.OWNER_KERNEL : PageFlags.FREE;
        probe.cursor = a + pageSize;
        return Errno.EOK;
    }

    @Override
    public boolean showsPageMap() {
        return mmu;
    }

    @Override
    public Pmap create(Pmap kernel, Frame pdir) {
        if (!mmu) {
            return new FlatPmap(this, null, 0, VADDR_END, -1);
        }
        if (pdir.isNone()) {
            throw new IllegalArgumentException("an MMU address space needs a page directory");
        }
        return new FlatPmap(this, (FlatPmap) kernel, 0, VADDR_KERNEL, frames.addr(pdir.index()));
    }

    @Override
    public Pmap.EnterResult kernelSpaceExpand(Pmap kernel, VirtAddr end, Frame dp) {
        if (!mmu) {
            return Pmap.EnterResult.OK;
        }
        FlatPmap k = (FlatPmap) kernel;
        Frame offered = dp;
        for (long va = VADDR_KERNEL; va < Math.min(end.value(), VADDR_END); va += 1L << FlatPmap.SLOT_SHIFT) {
            if (!k.ensure(va, offered)) {
                return Pmap.EnterResult.NEEDS_PTABLE;
            }
            if (!offered.isNone() && k.tables.containsValue(offered.index())) {
                offered = Frame.NONE;
            }
        }
        return Pmap.EnterResult.OK;
    }

    @Override
    public List<KernelSegment> segments(VirtAddr heapTop) {
        long top = Sizes.alignUp(heapTop.value(), pageSize);
        if (!mmu) {
            return List.of(new KernelSegment("image+heap", VirtAddr.of(0), Size.of(top), Prot.READ | Prot.EXEC));
        }
        // As a linker leaves them, _etext and _end are not page-aligned: the data starts inside the
        // text's last page and the kernel map must begin it on the next one.
        if (overlappingSegments) {
            return List.of(new KernelSegment("text", VirtAddr.of(VADDR_KERNEL), Size.of(TEXT_SIZE), Prot.READ | Prot.EXEC),
                    new KernelSegment("overlap", VirtAddr.of(VADDR_KERNEL + 0x1_0000), Size.of(0x2000), Prot.READ));
        }
        return List.of(
                new KernelSegment("text", VirtAddr.of(VADDR_KERNEL), Size.of(TEXT_SIZE), Prot.READ | Prot.EXEC),
                new KernelSegment("data", VirtAddr.of(VADDR_KERNEL + TEXT_SIZE), Size.of(DATA_SIZE), Prot.READ | Prot.WRITE),
                new KernelSegment("heap", VirtAddr.of(HEAP_MMU), Size.of(top - HEAP_MMU), Prot.READ | Prot.WRITE));
    }

    /** No loader mapped an image here: the kernel pmap starts with the heap's first page only. */
    @Override
    public List<pvm.hal.pmap.KernelImageRange> kernelImage() {
        return List.of();
    }

    @Override
    public int cpus() {
        return 1;
    }

    @Override
    public Mmu mmu(int i) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<MemoryMapInfo> maps() {
        return boardMaps;
    }

    @Override
    public String toString() {
        return "FlatHal(" + (mmu ? "mmu" : "nommu") + ", " + Sizes.human(map.ramBytes()) + ")";
    }

    static PhysAddr pa(long v) {
        return PhysAddr.of(v);
    }
}
