package pvm.arch.i686;

import static pvm.arch.i686.Paging.FRAME_MASK;
import static pvm.arch.i686.Paging.KERNEL_SLOT;
import static pvm.arch.i686.Paging.PAGE_SHIFT;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.KernelImageRange;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.TableChecks;

/**
 * The i686 layer's invariant checker ({@link I686Hal#verify}), run with {@code pmap_common.lock}
 * held. It reads the tables in RAM as the CPU would:
 *
 * <ul>
 *   <li>the kernel's PDEs ({@code VADDR_KERNEL} up, but for the last slot, which
 *       {@code pmap_create} does not copy) are the same in every page directory, up to the A bit,
 *       which the walk sets in whichever copy it went through;
 *   <li>every page directory and page table sits in a frame marked {@code PAGE_KERNEL_PTABLE};
 *   <li>every present PTE maps a frame that is not free, or memory the page allocator does not
 *       manage (the video hole, BIOS areas); the loader's mapping of low memory and the kernel image
 *       at {@code VADDR_KERNEL} may cover free frames, as long as each page maps its own frame;
 *   <li>every valid TLB entry of every CPU agrees with a fresh walk of the directory its CR3 holds:
 *       same frame, no right (U/S, R/W, D known set) the tables no longer grant; and that
 *       directory is the kernel's or a live address space's.
 * </ul>
 *
 * User directories are walked below {@code VADDR_KERNEL} only, the kernel's above it: the kernel's
 * tables are shared, so they are checked once.
 */
final class PagingVerify {

    /** At most this many problems: one corrupt table would otherwise repeat itself 1024 times. */
    private static final int MAX_PROBLEMS = 50;
    /** The last slot: {@code pmap_create} copies the kernel's PDEs up to the one before it. */
    private static final int LAST_SHARED_SLOT = Paging.ENTRIES - 2;

    private final PhysicalMemory memory;
    private final PageFrames frames;
    private final List<KernelImageRange> image;
    private final List<String> problems = new ArrayList<>();

    private PagingVerify(PmapCommon common, List<KernelImageRange> image) {
        this.memory = common.memory;
        this.frames = common.frames;
        this.image = image;
    }

    static List<String> verifyLocked(PmapCommon common, List<KernelImageRange> image, I686Pmap kernel, List<I686Pmap> spaces) {
        assert common.lock.isHeldByCurrentThread() : "verifyLocked without the lock";
        PagingVerify v = new PagingVerify(common, image);
        v.checkDirectory(kernel, KERNEL_SLOT, Paging.ENTRIES - 1);
        for (I686Pmap space : spaces) {
            v.checkSharedSlots(kernel, space);
            v.checkDirectory(space, 0, KERNEL_SLOT - 1);
        }
        for (int i = 0; i < common.cpus(); i++) {
            v.checkRunning(common.cpu(i), kernel, spaces);
            v.checkTlb(common.cpu(i));
        }
        return v.problems.size() > MAX_PROBLEMS ? new ArrayList<>(v.problems.subList(0, MAX_PROBLEMS)) : v.problems;
    }

    private void checkSharedSlots(I686Pmap kernel, I686Pmap space) {
        for (int pdi = KERNEL_SLOT; pdi <= LAST_SHARED_SLOT; pdi++) {
            long own = space.pdeLocked(pdi);
            long kernels = kernel.pdeLocked(pdi);
            if ((own & ~Paging.A) != (kernels & ~Paging.A)) {
                problems.add(String.format("%s: PDE %d (0x%08x) is 0x%08x, the kernel's is 0x%08x", space, pdi, (long) pdi << 22, own, kernels));
            }
        }
    }

    /** The directory of {@code space}, its tables for slots {@code [from, to]} and their present PTEs. */
    private void checkDirectory(I686Pmap space, int from, int to) {
        checkTableFrame(space, "page directory", space.cr3());
        for (int pdi = from; pdi <= to && problems.size() <= MAX_PROBLEMS; pdi++) {
            long pde = space.pdeLocked(pdi);
            if ((pde & Paging.P) == 0) {
                continue;
            }
            long slot = (long) pdi << 22;
            if ((pde & Paging.PS) != 0) {
                problems.add(String.format("%s: PDE %d (0x%08x) maps a 4 MiB page; pmap_enter maps 4 KiB pages only", space, pdi, slot));
                continue;
            }
            long table = pde & FRAME_MASK;
            checkTableFrame(space, String.format("page table of 0x%08x", slot), table);
            for (int pti = 0; pti < Paging.ENTRIES; pti++) {
                long pte = memory.read32(table + (long) pti * 4);
                if ((pte & Paging.P) != 0) {
                    checkMapped(space, slot + ((long) pti << PAGE_SHIFT), pte & FRAME_MASK);
                }
            }
        }
    }

    private void checkTableFrame(I686Pmap space, String what, long addr) {
        String why = TableChecks.notATable(frames, addr);
        if (why != null) {
            problems.add(String.format("%s: %s at 0x%08x is %s", space, what, addr, why));
        }
    }

    private void checkMapped(I686Pmap space, long va, long pa) {
        if (TableChecks.mapsFreeFrame(frames, image, va, pa)) {
            problems.add(String.format("%s: page 0x%08x maps a free frame, 0x%08x", space, va, pa));
        }
    }

    /** A CPU runs the kernel's address space or a live one: never a directory that may be freed. */
    private void checkRunning(I686Mmu cpu, I686Pmap kernel, List<I686Pmap> spaces) {
        long cr3 = cpu.cr3();
        if (cr3 >= 0 && cr3 != kernel.cr3() && spaces.stream().noneMatch(s -> s.cr3() == cr3)) {
            problems.add(String.format("CPU %d: CR3 holds 0x%08x, the directory of no live address space", cpu.id(), cr3));
        }
    }

    /** Every valid entry of {@code cpu}'s TLB against a walk of the directory in its CR3, setting nothing. */
    private void checkTlb(I686Mmu cpu) {
        long cr3 = cpu.cr3();
        if (cr3 < 0) {
            return;
        }
        Tlb tlb = cpu.tlb();
        for (int i = 0; i < Tlb.ENTRIES; i++) {
            long e = tlb.slot(i);
            if ((e & Tlb.VALID) == 0) {
                continue;
            }
            long va = (e >>> 32) << PAGE_SHIFT;
            long pde = memory.read32(cr3 + (long) Paging.pdi(va) * 4);
            long pte = (pde & Paging.P) == 0 ? 0
                    : (pde & Paging.PS) != 0 ? pde : memory.read32((pde & FRAME_MASK) + (long) Paging.pti(va) * 4);
            String stale = staleness(e, va, pde, pte);
            if (stale != null) {
                problems.add(String.format("CPU %d: the TLB caches 0x%08x -> 0x%08x, but %s", cpu.id(), va, e & FRAME_MASK, stale));
            }
        }
    }

    /** Why TLB entry {@code e} for {@code va} disagrees with the walk's {@code pde} and {@code pte}, or null. */
    private static String staleness(long e, long va, long pde, long pte) {
        if ((pte & Paging.P) == 0) {
            return "the tables map nothing there";
        }
        long frame = (pde & Paging.PS) != 0
                ? (pte & Paging.LARGE_FRAME_MASK) | (va & (Paging.SLOT_SIZE - 1) & FRAME_MASK)
                : pte & FRAME_MASK;
        if ((e & FRAME_MASK) != frame) {
            return String.format("the tables map 0x%08x", frame);
        }
        long rights = pde & pte;
        if ((e & Tlb.USER) != 0 && (rights & Paging.US) == 0) {
            return "the tables no longer allow user access";
        }
        if ((e & Tlb.WRITE) != 0 && (rights & Paging.RW) == 0) {
            return "the tables no longer allow writes";
        }
        if ((e & Tlb.DIRTY) != 0 && (pte & Paging.D) == 0) {
            return "the PTE's D bit is clear";
        }
        return null;
    }
}
