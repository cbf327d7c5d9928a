package pvm.arch.riscv64;

import static pvm.arch.riscv64.Sv39.PAGE_SHIFT;
import static pvm.arch.riscv64.Sv39.PTE_SIZE;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.KernelImageRange;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.TableChecks;

/**
 * The riscv64 layer's invariant checker ({@link Riscv64Hal#verify}), run with
 * {@code pmap_common.lock} held. It reads the Sv39 tables in RAM as a hart would:
 *
 * <ul>
 *   <li>the kernel's root entries (the gigabyte of {@code VADDR_KERNEL} and every one above it, the
 *       device tree's included) are the same in every root table, up to the A and D bits a walk
 *       may set in whichever copy it went through;
 *   <li>every root, level-1 and level-0 table sits in a frame marked {@code PAGE_KERNEL_PTABLE};
 *   <li>every valid 4 KiB leaf maps a frame that is not free, or memory the page allocator does
 *       not manage (the firmware's, devices); the kernel image's pages may be free frames as long
 *       as each maps its own frame, as the boot tables leave them. Superpages are the boot's only
 *       ({@code _pmap_preinit}'s device-tree gigapage): one in the user part is a problem;
 *   <li>every valid TLB entry of every hart agrees with a fresh walk from its {@code satp}: same
 *       frame, and no R, W, X or D the leaf lacks, U as the leaf has it; and that
 *       root is the kernel's or a live address space's.
 * </ul>
 *
 * User root tables are walked below {@code VADDR_KERNEL}'s entry only, the kernel's from it up: the
 * kernel's tables are shared, so they are checked once.
 */
final class Sv39Verify {

    /** At most this many problems: one corrupt table would otherwise repeat itself 512 times. */
    private static final int MAX_PROBLEMS = 50;
    private static final int KERNEL_ENTRY = Sv39.index(Sv39.VADDR_KERNEL, 2);

    private final PhysicalMemory memory;
    private final PageFrames frames;
    private final List<KernelImageRange> image;
    private final List<String> problems = new ArrayList<>();

    private Sv39Verify(PmapCommon common, List<KernelImageRange> image) {
        this.memory = common.memory;
        this.frames = common.frames;
        this.image = image;
    }

    static List<String> verifyLocked(PmapCommon common, List<KernelImageRange> image, Riscv64Pmap kernel, List<Riscv64Pmap> spaces) {
        assert common.lock.isHeldByCurrentThread() : "verifyLocked without the lock";
        Sv39Verify v = new Sv39Verify(common, image);
        v.checkRoot(kernel, KERNEL_ENTRY, Sv39.ENTRIES - 1);
        for (Riscv64Pmap space : spaces) {
            v.checkSharedEntries(kernel, space);
            v.checkRoot(space, 0, KERNEL_ENTRY - 1);
        }
        for (int i = 0; i < common.cpus(); i++) {
            v.checkRunning(common.cpu(i), kernel, spaces);
            v.checkTlb(common.cpu(i));
        }
        return v.problems.size() > MAX_PROBLEMS ? new ArrayList<>(v.problems.subList(0, MAX_PROBLEMS)) : v.problems;
    }

    private void checkSharedEntries(Riscv64Pmap kernel, Riscv64Pmap space) {
        long walkerBits = Sv39.A | Sv39.D;
        for (int i = KERNEL_ENTRY; i < Sv39.ENTRIES; i++) {
            long own = space.topLocked(i);
            long kernels = kernel.topLocked(i);
            if ((own & ~walkerBits) != (kernels & ~walkerBits)) {
                problems.add(String.format("%s: root entry %d is 0x%016x, the kernel's is 0x%016x", space, i, own, kernels));
            }
        }
    }

    /** The root table of {@code space}, entries {@code [from, to]}, and everything under them. */
    private void checkRoot(Riscv64Pmap space, int from, int to) {
        long root = space.root().value();
        checkTableFrame(space, "root table", root);
        for (int i = from; i <= to && problems.size() <= MAX_PROBLEMS; i++) {
            checkEntry(space, (long) i << (PAGE_SHIFT + 18), memory.read64(root + (long) i * PTE_SIZE), 2, i >= KERNEL_ENTRY);
        }
    }

    /** A valid or invalid entry of {@code level} covering {@code va}: a table to descend, or a leaf. */
    private void checkEntry(Riscv64Pmap space, long va, long entry, int level, boolean kernelPart) {
        if ((entry & Sv39.V) == 0) {
            return;
        }
        if (Sv39.isTable(entry)) {
            if (level == 0) {
                problems.add(String.format("%s: the level-0 entry of 0x%010x points at a further table", space, va));
                return;
            }
            long table = Sv39.addr(entry);
            checkTableFrame(space, String.format("level-%d table of 0x%010x", level - 1, va), table);
            for (int j = 0; j < Sv39.ENTRIES && problems.size() <= MAX_PROBLEMS; j++) {
                long under = va + (long) j * Sv39.span(level - 1);
                checkEntry(space, under, memory.read64(table + (long) j * PTE_SIZE), level - 1, kernelPart);
            }
        } else if (level > 0) {
            if (!kernelPart) {
                problems.add(String.format("%s: a level-%d superpage maps 0x%010x; pmap_enter maps 4 KiB pages only", space, level, va));
            }
        } else {
            long pa = Sv39.addr(entry);
            if (TableChecks.mapsFreeFrame(frames, image, va, pa)) {
                problems.add(String.format("%s: page 0x%010x maps a free frame, 0x%x", space, va, pa));
            }
        }
    }

    private void checkTableFrame(Riscv64Pmap space, String what, long addr) {
        String why = TableChecks.notATable(frames, addr);
        if (why != null) {
            problems.add(String.format("%s: %s at 0x%x is %s", space, what, addr, why));
        }
    }

    /** A hart runs the kernel's address space or a live one: never a root table that may be freed. */
    private void checkRunning(Riscv64Mmu hart, Riscv64Pmap kernel, List<Riscv64Pmap> spaces) {
        long satp = hart.satp();
        if (satp != 0 && satp != kernel.satp() && spaces.stream().noneMatch(s -> s.satp() == satp)) {
            problems.add(String.format("hart %d: satp holds 0x%016x, the root of no live address space", hart.id(), satp));
        }
    }

    /** Every valid entry of {@code hart}'s TLB against a walk from its {@code satp}, setting nothing. */
    private void checkTlb(Riscv64Mmu hart) {
        long satp = hart.satp();
        if (satp == 0) {
            return;
        }
        Tlb tlb = hart.tlb();
        for (int i = 0; i < Tlb.ENTRIES; i++) {
            long e = tlb.slot(i);
            if ((e & Tlb.VALID) == 0) {
                continue;
            }
            long va = Tlb.tag(e) << PAGE_SHIFT;
            String stale = staleness(e, va, Sv39.root(satp));
            if (stale != null) {
                problems.add(String.format("hart %d: the TLB caches 0x%010x -> 0x%x, but %s", hart.id(), va, Tlb.frame(e), stale));
            }
        }
    }

    /** Why TLB entry {@code e} for {@code va} disagrees with a walk from {@code table}, or null. */
    private String staleness(long e, long va, long table) {
        for (int level = Sv39.LEVELS - 1; level >= 0; level--) {
            long entry = memory.read64(table + (long) Sv39.index(va, level) * PTE_SIZE);
            if ((entry & Sv39.V) == 0) {
                return "the tables map nothing there";
            }
            if (!Sv39.isTable(entry)) {
                long frame = Sv39.addr(entry) | (va & (Sv39.span(level) - 1) & ~Sv39.PAGE_OFFSET_MASK);
                if (Tlb.frame(e) != frame) {
                    return String.format("the tables map 0x%x", frame);
                }
                return rightsStaleness(e, entry);
            }
            table = Sv39.addr(entry);
        }
        return "the walk found no leaf";
    }

    private static String rightsStaleness(long e, long leaf) {
        if ((e & Tlb.READ) != 0 && (leaf & Sv39.R) == 0 || (e & Tlb.WRITE) != 0 && (leaf & Sv39.W) == 0
                || (e & Tlb.EXEC) != 0 && (leaf & Sv39.X) == 0) {
            return "the leaf no longer grants every right cached (" + Sv39.describeBits(leaf) + ")";
        }
        if (((e & Tlb.USER) != 0) != ((leaf & Sv39.U) != 0)) {
            return "the leaf's U bit differs";
        }
        if ((e & Tlb.DIRTY) != 0 && (leaf & Sv39.D) == 0) {
            return "the leaf's D bit is clear";
        }
        return null;
    }
}
