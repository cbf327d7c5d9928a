package pvm.arch.nommu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.KernelImageRange;
import pvm.hal.pmap.KernelSegment;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MemoryMapInfo;
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
 * One booted no-MMU machine: armv7m's machine-wide pmap functions over the simulated board.
 *
 * <p>Physical memory is one segment from 0 to the top of SDRAM; the holes between the maps are
 * reserved host address space that is never committed (2 GiB of it below SDRAM), and touching them
 * is a bus error.
 */
final class NommuHal implements Hal {

    private final NommuArchitecture architecture;
    private final MachineConfig config;
    private final NommuBoard board;
    private final PhysicalMemory memory;
    private final PageFrames frames;
    private final NommuMmu[] mpus;
    /** {@code pmap_common.lock}: guards region sets and MPU loads. */
    private final ReentrantLock lock = new ReentrantLock();
    /** {@code pmap_common.kernelCodeRegion}: what every new address space starts with. */
    private final int kernelCodeRegion;
    private final NommuPmap kernel;
    private PmapInit init;

    NommuHal(NommuArchitecture architecture, MachineConfig config) {
        this.architecture = architecture;
        this.config = config;
        this.board = new NommuBoard(config.ramBytes());
        this.memory = new PhysicalMemory(board.bootMemoryMap());
        this.frames = new PageFrames(board.poolPages(), NommuBoard.PAGE_SIZE);
        this.mpus = new NommuMmu[config.cpus()];
        for (int i = 0; i < mpus.length; i++) {
            mpus[i] = new NommuMmu(board, i);
        }
        this.kernelCodeRegion = board.regionMask(board.kernelCodeMap());
        // The kernel's pmap allows every map. Phoenix leaves its region set empty and relies on the
        // kernel running privileged (PRIVDEFENA); saying "all" gives the same verdicts and lets
        // pmap_isAllowed answer sensibly for kernel buffers.
        int kmap = board.kernelMap();
        this.kernel = new NommuPmap(board, lock, board.mapStart(kmap), board.mapEnd(kmap), board.allRegions());
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
        return NommuBoard.PAGE_SIZE;
    }

    /**
     * {@code _pmap_init}: the kernel heap starts at the boot stack's top (the vector table's initial
     * SP, rounded up to 8) and first spans one page; every MPU region is disabled, then each CPU
     * loads the kernel's address space.
     *
     * <p>Phoenix first sets the kernel pmap to {@code [__bss_start, __bss_start + 32 KiB)} and
     * {@code _map_mapsInit} widens it to the memory map holding it before anything else reads it
     * ({@code pmap_belongs} does not exist on no-MMU). The HAL contract cannot widen a pmap later, so
     * the kernel pmap covers the kernel's map (DTCM) from the start; the 32 KiB window contains
     * nothing the wide range does not.
     *
     * <p>Called a second time it hands back the same answer.
     */
    @Override
    public PmapInit init() {
        lock.lock();
        try {
            if (init == null) {
                for (NommuMmu mpu : mpus) {
                    kernel.switchLocked(mpu);
                }
                init = new PmapInit(kernel, VirtAddr.of(NommuBoard.HEAP_START), VirtAddr.of(NommuBoard.HEAP_END),
                        VirtAddr.of(NommuBoard.BSS_START));
            }
            return init;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code pmap_getPage}: the pages of the kernel's memory map from the heap's start up, all free,
     * in address order; then {@link #Errno.ENOMEM}. Phoenix's page-nommu.c works these out itself from
     * the map holding {@code __bss_start} (armv7m's {@code pmap_getPage} is empty); here the page
     * allocator discovers them through this call, as on every target. Allocation-free.
     */
    @Override
    public int getPage(PageProbe probe) {
        long a = Sizes.alignDown(probe.cursor, NommuBoard.PAGE_SIZE);
        if (a < board.poolStart()) {
            a = board.poolStart();
        }
        if (a >= board.poolEnd()) {
            return Errno.ENOMEM;
        }
        probe.pageAddr = a;
        probe.pageFlags = PageFlags.FREE;
        probe.cursor = a + NommuBoard.PAGE_SIZE;
        return Errno.EOK;
    }

    @Override
    public boolean showsPageMap() {
        return false;
    }

    /**
     * {@code pmap_create}: a process address space with only the kernel-code map enabled (Phoenix's
     * hack so a process can run the kernel's return-to-user code); its other maps come from
     * {@code pmap_addMap}. {@code pdir} is not used: there are no page tables.
     */
    @Override
    public Pmap create(Pmap kernelPmap, Frame pdir) {
        return new NommuPmap(board, lock, 0, 1L << 32, kernelCodeRegion);
    }

    /** {@code _pmap_kernelSpaceExpand}: no page tables to grow. */
    @Override
    public Pmap.EnterResult kernelSpaceExpand(Pmap kernelPmap, VirtAddr end, Frame dp) {
        return Pmap.EnterResult.OK;
    }

    /**
     * {@code pmap_segment}: one segment, from the image's end ({@code _end}) up to the heap top
     * rounded up to a page: the boot stack and the kernel heap. Its protection is read and execute:
     * armv7m's {@code pmap_segment} leaves the caller's default untouched.
     */
    @Override
    public List<KernelSegment> segments(VirtAddr heapTop) {
        long top = Sizes.alignUp(heapTop.value(), NommuBoard.PAGE_SIZE);
        long size = Math.max(0, top - NommuBoard.IMAGE_END);
        return List.of(new KernelSegment("heap", VirtAddr.of(NommuBoard.IMAGE_END), Size.of(size), Prot.READ | Prot.EXEC));
    }

    /**
     * The image as the loader placed it: the text in ITCM and data, bss and syspage in DTCM, up to the
     * page holding {@code _end}. Without translation every address is its own frame; what the checker
     * proves here is that each page stays inside the loader's entries.
     */
    @Override
    public List<KernelImageRange> kernelImage() {
        return List.of(
                new KernelImageRange("kernel text", VirtAddr.of(NommuBoard.TEXT_START), VirtAddr.of(NommuBoard.TEXT_END),
                        PhysAddr.of(NommuBoard.TEXT_START)),
                new KernelImageRange("kernel data", VirtAddr.of(NommuBoard.DATA_START),
                        VirtAddr.of(Sizes.alignUp(NommuBoard.IMAGE_END, NommuBoard.PAGE_SIZE)), PhysAddr.of(NommuBoard.DATA_START)));
    }

    @Override
    public int cpus() {
        return mpus.length;
    }

    @Override
    public NommuMmu mmu(int i) {
        if (i < 0 || i >= mpus.length) {
            throw new IndexOutOfBoundsException("no CPU " + i + "; this machine has " + mpus.length);
        }
        return mpus[i];
    }

    /** The board's memory maps with their ids (Phoenix's syspage maps). */
    @Override
    public List<MemoryMapInfo> maps() {
        return board.maps();
    }

    /**
     * No tables and no TLB here: what can go wrong is the region sets. Every address space's set
     * names maps the board has, the kernel's names them all, and no MPU has a region enabled that
     * the address space it runs has not (a set only grows, so what {@code pmap_switch} loaded
     * is always a subset of it). That each process's entries lie in its enabled maps is the
     * kernel's check: the HAL does not know the entries.
     */
    @Override
    public List<String> verify(Pmap kernelPmap, List<Pmap> spaces) {
        List<String> problems = new ArrayList<>();
        lock.lock();
        try {
            if (own(kernelPmap).regions() != board.allRegions()) {
                problems.add(String.format("the kernel's region set is 0x%x, not every map (0x%x)", own(kernelPmap).regions(), board.allRegions()));
            }
            for (Pmap space : spaces) {
                int unknown = own(space).regions() & ~board.allRegions();
                if (unknown != 0) {
                    problems.add(String.format("%s: regions 0x%x name no memory map of the board", space, unknown));
                }
            }
            for (NommuMmu mpu : mpus) {
                if (mpu.current() instanceof NommuPmap running) {
                    int extra = mpu.loadedRegions() & ~running.regions();
                    if (extra != 0) {
                        problems.add(String.format("CPU %d: the MPU enables regions 0x%x that %s does not have", mpu.id(), extra, running));
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return problems;
    }

    private NommuPmap own(Pmap pmap) {
        if (!(pmap instanceof NommuPmap p)) {
            throw new IllegalArgumentException("not an address space of this target: " + pmap);
        }
        return p;
    }

    /** The board this machine runs on (tests and diagnostics). */
    NommuBoard board() {
        return board;
    }
}
