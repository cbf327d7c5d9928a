package pvm.arch.i686;

import static pvm.arch.i686.Paging.FRAME_MASK;
import static pvm.arch.i686.Paging.SIZE_PAGE;
import static pvm.arch.i686.Paging.SLOT_SIZE;

import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * One i686 address space: Phoenix's {@code pmap_t}. It holds only the physical address of its page
 * directory (CR3); the directory and its page tables live in simulated RAM and every read and
 * write of them goes through {@link PhysicalMemory} as 32-bit little-endian words.
 *
 * <p>Phoenix edits a page table through a virtual window ({@code hal_config.ptable}) it remaps to
 * that table first; the simulation addresses tables physically and needs no window (see
 * {@link I686Hal#init}). Updates hold the machine's {@code pmap_common.lock} and shoot the changed
 * pages down in every CPU's TLB before they return.
 */
public final class I686Pmap implements Pmap {

    private final PmapCommon common;
    private final long cr3;
    private volatile long start;
    private volatile long end;

    I686Pmap(PmapCommon common, long cr3, long start, long end) {
        this.common = common;
        this.cr3 = cr3;
        this.start = start;
        this.end = end;
    }

    // pmap_enter
    @Override
    public EnterResult enter(PhysAddr pa, VirtAddr va, int attr, Frame ptable) {
        if (pa.isNone() || !Paging.is32Bit(pa.value())) {
            throw new IllegalArgumentException("i686 physical addresses are 32-bit: " + pa);
        }
        checkVirt(va);
        if ((attr & ~Paging.KNOWN_ATTRS) != 0) {
            throw new IllegalArgumentException(String.format("unknown attribute bits 0x%x", attr & ~Paging.KNOWN_ATTRS));
        }
        long table = ptable.isNone() ? -1 : common.frameAddr(ptable);
        common.lock.lock();
        try {
            return enterLocked(pa.value(), va.value(), attr, table, true);
        } finally {
            common.lock.unlock();
        }
    }

    /**
     * {@code _pmap_enter}: writes the PTE for {@code va}, first installing {@code table} (a physical
     * page address, or -1 for none) as its page table if the PDE is empty.
     *
     * @param shootdown whether to invalidate {@code va} in every CPU's TLB
     */
    EnterResult enterLocked(long pa, long va, int attr, long table, boolean shootdown) {
        assert common.lock.isHeldByCurrentThread() : "enterLocked without the lock";
        PhysicalMemory mem = common.memory;
        long pdeAddr = cr3 + (long) Paging.pdi(va) * 4;
        long pde = mem.read32(pdeAddr);
        // Phoenix tests the whole PDE against 0, not its P bit; nothing here writes a non-zero,
        // not-present PDE, so the two agree.
        if (pde == 0) {
            if (table < 0) {
                return EnterResult.NEEDS_PTABLE;
            }
            pde = installTableLocked(Paging.pdi(va), table);
        }
        long pteAddr = (pde & FRAME_MASK) + (long) Paging.pti(va) * 4;
        mem.write32(pteAddr, (pa & FRAME_MASK) | Paging.pteBits(attr) | common.forcedPteBits);
        // Always invalidate, whether or not a translation was cached: simpler than reading the old
        // entry and as cheap, and it covers changed attributes as well as changed frames.
        if (shootdown) {
            common.shootdown(va);
        }
        return EnterResult.OK;
    }

    /** Zeroes the page at {@code table} and enters it as the page table of slot {@code pdi}; returns the PDE. */
    long installTableLocked(int pdi, long table) {
        assert common.lock.isHeldByCurrentThread() : "installTableLocked without the lock";
        common.memory.fill(table, SIZE_PAGE, 0);
        long pde = table | Paging.PTHD;
        common.memory.write32(cr3 + (long) pdi * 4, pde);
        return pde;
    }

    // pmap_remove
    @Override
    public void remove(VirtAddr from, VirtAddr to) {
        common.lock.lock();
        try {
            removeLocked(from.value(), Math.min(to.value(), Paging.ADDRESS_SPACE_END));
        } finally {
            common.lock.unlock();
        }
    }

    /**
     * {@code _pmap_remove}: clears the PTE of every page overlapping {@code [from, to)}.
     *
     * <p>Differs from Phoenix on purpose: its loop {@code continue}s past a missing page table
     * without advancing the address, so a range that starts in a slot with no page table removes
     * nothing after it (pages left mapped whose frames the caller then frees). Here a slot without
     * a page table is skipped whole and the walk goes on.
     */
    void removeLocked(long from, long to) {
        assert common.lock.isHeldByCurrentThread() : "removeLocked without the lock";
        PhysicalMemory mem = common.memory;
        int removed = 0;
        long va = from & ~Paging.PAGE_OFFSET_MASK;
        while (va < to) {
            long pde = mem.read32(cr3 + (long) Paging.pdi(va) * 4);
            if (pde == 0) {
                va = (va | (SLOT_SIZE - 1)) + 1;
                continue;
            }
            long pteAddr = (pde & FRAME_MASK) + (long) Paging.pti(va) * 4;
            if (mem.read32(pteAddr) != 0) {
                mem.write32(pteAddr, 0);
                // Past a TLB's worth of pages one flush is cheaper than a shootdown per page.
                if (++removed <= Tlb.ENTRIES) {
                    common.shootdown(va);
                }
            }
            va += SIZE_PAGE;
        }
        if (removed > Tlb.ENTRIES) {
            common.shootdownAll();
        }
    }

    // pmap_resolve
    @Override
    public PhysAddr resolve(VirtAddr va) {
        checkVirt(va);
        common.lock.lock();
        try {
            long pte = pteLocked(va.value());
            return (pte & Paging.P) == 0 ? PhysAddr.NONE : PhysAddr.of((pte & FRAME_MASK) | (va.value() & Paging.PAGE_OFFSET_MASK));
        } finally {
            common.lock.unlock();
        }
    }

    @Override
    public int attributes(VirtAddr va) {
        checkVirt(va);
        common.lock.lock();
        try {
            return Paging.attrOf(pteLocked(va.value()));
        } finally {
            common.lock.unlock();
        }
    }

    /** Slot by slot, skipping every 4 MiB without a page table. */
    @Override
    public VirtAddr nextMapped(VirtAddr from, VirtAddr to) {
        long end = Math.min(to.value(), Paging.ADDRESS_SPACE_END);
        common.lock.lock();
        try {
            long va = from.value() & ~Paging.PAGE_OFFSET_MASK;
            while (va < end) {
                long pde = pdeLocked(Paging.pdi(va));
                if ((pde & Paging.P) == 0) {
                    va = (va | (SLOT_SIZE - 1)) + 1;
                } else if ((common.memory.read32((pde & FRAME_MASK) + (long) Paging.pti(va) * 4) & Paging.P) != 0) {
                    return VirtAddr.of(va);
                } else {
                    va += SIZE_PAGE;
                }
            }
            return to;
        } finally {
            common.lock.unlock();
        }
    }

    /** The raw PTE for {@code va}, 0 where there is no page table. */
    long pteLocked(long va) {
        assert common.lock.isHeldByCurrentThread() : "pteLocked without the lock";
        PhysicalMemory mem = common.memory;
        long pde = mem.read32(cr3 + (long) Paging.pdi(va) * 4);
        if ((pde & Paging.P) == 0) {
            return 0;
        }
        return mem.read32((pde & FRAME_MASK) + (long) Paging.pti(va) * 4);
    }

    /** The raw PDE at index {@code pdi}. */
    long pdeLocked(int pdi) {
        assert common.lock.isHeldByCurrentThread() : "pdeLocked without the lock";
        return common.memory.read32(cr3 + (long) pdi * 4);
    }

    /**
     * {@code pmap_destroy}: hands back the page tables of the user half, one per call, in
     * directory order. The kernel's tables (from the slot of {@code VADDR_KERNEL + SIZE_PAGE} up)
     * are shared and stay.
     */
    @Override
    public PhysAddr destroy(DestroyCursor cursor) {
        int kernel = (int) (((Paging.VADDR_KERNEL + SIZE_PAGE) & ~Paging.PAGE_OFFSET_MASK) >>> 22);
        common.lock.lock();
        try {
            while (cursor.position < kernel) {
                long pde = pdeLocked(cursor.position++);
                if (pde != 0) {
                    return PhysAddr.of(pde & FRAME_MASK);
                }
            }
            return PhysAddr.NONE;
        } finally {
            common.lock.unlock();
        }
    }

    /**
     * Hands back the first page table of the user half whose 4 MiB slot meets {@code [from, to)}
     * and whose 1024 entries are all zero, clearing its directory entry. Phoenix keeps a user page
     * table until {@code pmap_destroy}; this is the heap's {@code brk} giving back the tables a
     * shrink empties. An entry written not-present (policy {@code protnone}) is not zero, so its
     * table stays.
     */
    @Override
    public PhysAddr reclaim(VirtAddr from, VirtAddr to) {
        long end = Math.min(to.value(), Paging.VADDR_KERNEL);
        common.lock.lock();
        try {
            for (long va = from.value() & ~(SLOT_SIZE - 1); va < end; va += SLOT_SIZE) {
                int pdi = Paging.pdi(va);
                long pde = pdeLocked(pdi);
                if (pde != 0 && isEmptyTable(pde & FRAME_MASK)) {
                    common.memory.write32(cr3 + (long) pdi * 4, 0);
                    common.shootdownAll();
                    return PhysAddr.of(pde & FRAME_MASK);
                }
            }
            return PhysAddr.NONE;
        } finally {
            common.lock.unlock();
        }
    }

    private boolean isEmptyTable(long table) {
        return common.memory.firstNonZero(table, SIZE_PAGE) < 0;
    }

    // pmap_switch
    @Override
    public void switchTo(Mmu cpu) {
        if (!(cpu instanceof I686Mmu mmu) || mmu.common() != common) {
            throw new IllegalArgumentException("not a CPU of this machine: " + cpu);
        }
        mmu.loadCr3(this);
    }

    // pmap_belongs
    @Override
    public boolean belongs(VirtAddr va) {
        return va.value() >= start && va.value() < end;
    }

    /** Always true: with an MMU, translation itself protects memory. */
    @Override
    public boolean isAllowed(VirtAddr va, Size size) {
        return true;
    }

    /** There are no board memory maps to give an address space on a PC. */
    @Override
    public boolean addMap(int mapId) {
        return false;
    }

    @Override
    public VirtAddr start() {
        return VirtAddr.of(start);
    }

    @Override
    public VirtAddr end() {
        return VirtAddr.of(end);
    }

    /** The page directory's physical address: what CR3 holds while this space runs. */
    @Override
    public PhysAddr root() {
        return PhysAddr.of(cr3);
    }

    long cr3() {
        return cr3;
    }

    PmapCommon common() {
        return common;
    }

    /** Sets the range, as {@code _pmap_init} and {@code _pmap_kernelSpaceExpand} do for the kernel. */
    void setRangeLocked(long newStart, long newEnd) {
        assert common.lock.isHeldByCurrentThread() : "setRangeLocked without the lock";
        this.start = newStart;
        this.end = newEnd;
    }

    private static void checkVirt(VirtAddr va) {
        if (!Paging.is32Bit(va.value())) {
            throw new IllegalArgumentException("i686 virtual addresses are 32-bit: " + va);
        }
    }

    @Override
    public String toString() {
        return String.format("I686Pmap(cr3=0x%08x, [0x%08x, 0x%x))", cr3, start, end);
    }
}
