package pvm.testkit;

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
 * The one fake machine of the tests, with no architecture module behind it: what it is comes from
 * its {@link FakeBoard} (RAM and holes, page size, MMU or not, whether page tables cost pages, the
 * kernel's layout). Pages are handed to {@code _page_init} from the board's memory map, holes
 * skipped; address spaces are {@link FakePmap}s, the kernel's above {@link #VADDR_KERNEL} shared.
 */
public final class FakeHal implements Hal {

    public static final int PAGE = 4096;
    public static final long VADDR_KERNEL = 0xc000_0000L;
    public static final long VADDR_END = 0x1_0000_0000L;
    /** {@link FakeBoard.Kernel#LOADED_AT_1M}: the image's physical address and size. */
    static final long KERNEL_PHYS = 0x10_0000L;
    static final long KERNEL_SIZE = 0x4_0000L;
    /** {@link FakeBoard.Kernel#HEAP_ONLY}: the heap's first page with an MMU, and without. */
    static final long HEAP_MMU = VADDR_KERNEL + 0x10_0000L;
    static final long HEAP_NOMMU = 0x8000;
    /** {@link FakeBoard.Kernel#HEAP_ONLY}: the text's size, {@code _etext - VADDR_KERNEL}, not a whole number of pages. */
    static final long TEXT_SIZE = 0x1_0a40;
    static final long DATA_SIZE = 0xf5c0;

    private final FakeBoard board;
    private final PageFrames frames;
    private final Architecture architecture;
    private final List<MemoryMapInfo> boardMaps;
    private PhysicalMemory memory;
    private PmapInit init;
    /** Makes {@link #segments} hand over two that overlap, as a broken loader would. */
    public boolean overlappingSegments;

    public FakeHal(FakeBoard board) {
        this.board = board;
        this.frames = new PageFrames((int) (board.ram().ramBytes() / board.pageSize()), board.pageSize());
        this.architecture = new FakeArchitecture(board);
        this.boardMaps = board.mmu() ? List.of() : halves(board.ram());
    }

    /** A board without an MMU names two memory maps, the kernel's (the first) and another: the RAM's halves. */
    private static List<MemoryMapInfo> halves(BootMemoryMap ram) {
        long base = ram.banks().getFirst().start();
        long middle = base + (ram.top() - base) / 2;
        return List.of(new MemoryMapInfo(0, "ram0", base, middle), new MemoryMapInfo(1, "ram1", middle, ram.top()));
    }

    public FakeBoard board() {
        return board;
    }

    /**
     * An address space of its own, as the page allocator's tests hand one to {@code _page_init}:
     * {@code [0, 0xfffff000)}, two-level even on a board without an MMU (the allocator's mapping is
     * what those tests look at).
     */
    public FakePmap pmap() {
        return new FakePmap(this, true, null, 0, 0xffff_f000L, -1);
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public MachineConfig config() {
        return new MachineConfig(board.ram().ramBytes(), 1);
    }

    /** Simulated RAM, reserved the first time a test reads or writes it. */
    @Override
    public synchronized PhysicalMemory memory() {
        if (memory == null) {
            memory = new PhysicalMemory(board.ram());
        }
        return memory;
    }

    @Override
    public PageFrames frames() {
        return frames;
    }

    @Override
    public int pageSize() {
        return board.pageSize();
    }

    @Override
    public synchronized PmapInit init() {
        if (init == null) {
            init = board.kernel() == FakeBoard.Kernel.LOADED_AT_1M ? loadedAt1M() : heapOnly();
        }
        return init;
    }

    /** The loader mapped the image and the heap's first page at {@code VADDR_KERNEL + pa}. */
    private PmapInit loadedAt1M() {
        FakePmap kernel = new FakePmap(this, board.mmu(), null, VADDR_KERNEL, VADDR_END, -1).present(VADDR_KERNEL, VADDR_END);
        long heapPhys = KERNEL_PHYS + KERNEL_SIZE;
        for (long pa = KERNEL_PHYS; pa < heapPhys + PAGE; pa += PAGE) {
            kernel.enter(PhysAddr.of(pa), VirtAddr.of(VADDR_KERNEL + pa), Attr.PRESENT | Attr.WRITE, Frame.NONE);
        }
        long heap = VADDR_KERNEL + heapPhys;
        return new PmapInit(kernel, VirtAddr.of(heap), VirtAddr.of(heap + PAGE));
    }

    /** Only the heap's first page is mapped, on the loader's last page; without an MMU nothing is. */
    private PmapInit heapOnly() {
        int ps = board.pageSize();
        if (!board.mmu()) {
            return new PmapInit(new FakePmap(this, board.mmu(), null, 0, 0x10000, -1), VirtAddr.of(HEAP_NOMMU), VirtAddr.of(HEAP_NOMMU + ps));
        }
        FakePmap kernel = new FakePmap(this, board.mmu(), null, VADDR_KERNEL, VADDR_END, -1).present(VADDR_KERNEL, VADDR_KERNEL + 1);
        kernel.enter(PhysAddr.of(FakeBoard.RESERVED - ps), VirtAddr.of(HEAP_MMU), Attr.PRESENT | Attr.WRITE, Frame.NONE);
        return new PmapInit(kernel, VirtAddr.of(HEAP_MMU), VirtAddr.of(HEAP_MMU + ps));
    }

    /** {@code pmap_getPage}: the board's pages in order, each with its taken range's flags; a hole sends the cursor on. */
    @Override
    public int getPage(PageProbe probe) {
        BootMemoryMap map = board.ram();
        long a = probe.cursor & -board.pageSize();
        if (a >= map.top()) {
            return Errno.ENOMEM;
        }
        if (map.bankOf(a) == null) {
            for (BootMemoryMap.Bank b : map.banks()) {
                if (b.start() > a) {
                    probe.cursor = b.start();
                    return Errno.EINVAL;
                }
            }
            return Errno.ENOMEM;
        }
        probe.pageAddr = a;
        probe.pageFlags = PageFlags.FREE;
        for (BootMemoryMap.Taken t : map.taken()) {
            if (a >= t.start() && a < t.end()) {
                probe.pageFlags = t.pageFlags();
            }
        }
        probe.cursor = a + board.pageSize();
        return Errno.EOK;
    }

    @Override
    public boolean showsPageMap() {
        return board.mmu();
    }

    @Override
    public Pmap create(Pmap kernel, Frame pdir) {
        if (!board.mmu()) {
            return new FakePmap(this, board.mmu(), null, 0, VADDR_END, -1);
        }
        if (pdir.isNone()) {
            throw new IllegalArgumentException("an MMU address space needs a page directory");
        }
        return new FakePmap(this, true, (FakePmap) kernel, 0, VADDR_KERNEL, frames.addr(pdir.index()));
    }

    /** {@code _pmap_kernelSpaceExpand} as on ia32: a table per 4 MiB slot, from the one page offered. */
    @Override
    public Pmap.EnterResult kernelSpaceExpand(Pmap kernel, VirtAddr end, Frame dp) {
        if (!board.mmu()) {
            return Pmap.EnterResult.OK;
        }
        FakePmap k = (FakePmap) kernel;
        Frame offered = dp;
        for (long va = VADDR_KERNEL; va < Math.min(end.value(), VADDR_END); va += 1L << FakePmap.SLOT_SHIFT) {
            if (!k.ensure(va, offered)) {
                return Pmap.EnterResult.NEEDS_PTABLE;
            }
            if (!offered.isNone() && k.holdsTable(offered.index())) {
                offered = Frame.NONE;
            }
        }
        return Pmap.EnterResult.OK;
    }

    /** As a linker leaves them, {@code _etext} and {@code _end} are not page-aligned: the data starts inside the text's last page. */
    @Override
    public List<KernelSegment> segments(VirtAddr heapTop) {
        if (board.kernel() == FakeBoard.Kernel.LOADED_AT_1M) {
            long text = VADDR_KERNEL + KERNEL_PHYS;
            long etext = text + KERNEL_SIZE / 2 + 0x5c0;
            return List.of(
                    new KernelSegment("text", VirtAddr.of(text), Size.of(etext - text), Prot.READ | Prot.EXEC),
                    new KernelSegment("data", VirtAddr.of(etext), Size.of(heapTop.value() - etext), Prot.READ | Prot.WRITE));
        }
        long top = Sizes.alignUp(heapTop.value(), board.pageSize());
        if (!board.mmu()) {
            return List.of(new KernelSegment("image+heap", VirtAddr.of(0), Size.of(top), Prot.READ | Prot.EXEC));
        }
        if (overlappingSegments) {
            return List.of(new KernelSegment("text", VirtAddr.of(VADDR_KERNEL), Size.of(TEXT_SIZE), Prot.READ | Prot.EXEC),
                    new KernelSegment("overlap", VirtAddr.of(VADDR_KERNEL + 0x1_0000), Size.of(0x2000), Prot.READ));
        }
        return List.of(
                new KernelSegment("text", VirtAddr.of(VADDR_KERNEL), Size.of(TEXT_SIZE), Prot.READ | Prot.EXEC),
                new KernelSegment("data", VirtAddr.of(VADDR_KERNEL + TEXT_SIZE), Size.of(DATA_SIZE), Prot.READ | Prot.WRITE),
                new KernelSegment("heap", VirtAddr.of(HEAP_MMU), Size.of(top - HEAP_MMU), Prot.READ | Prot.WRITE));
    }

    /** The image the loader mapped at {@link #init} (1 MiB up to the heap's first page), or none. */
    @Override
    public List<KernelImageRange> kernelImage() {
        if (board.kernel() != FakeBoard.Kernel.LOADED_AT_1M) {
            return List.of();
        }
        return List.of(new KernelImageRange("kernel image", VirtAddr.of(VADDR_KERNEL + KERNEL_PHYS),
                VirtAddr.of(VADDR_KERNEL + KERNEL_PHYS + KERNEL_SIZE), PhysAddr.of(KERNEL_PHYS)));
    }

    @Override
    public int cpus() {
        return 1;
    }

    @Override
    public Mmu mmu(int i) {
        throw new UnsupportedOperationException("the fake machine has no CPUs");
    }

    @Override
    public List<MemoryMapInfo> maps() {
        return boardMaps;
    }

    /** The fake keeps its entries in Java maps, not in tables in RAM: it has no TLB and no table pages to check. */
    @Override
    public List<String> verify(Pmap kernel, List<Pmap> spaces) {
        return List.of();
    }

    @Override
    public String toString() {
        return "FakeHal(" + (board.mmu() ? "mmu" : "nommu") + ", " + Sizes.human(board.ram().ramBytes()) + ")";
    }
}
