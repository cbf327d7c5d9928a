package pvm.arch.riscv64;

import static pvm.arch.riscv64.Sv39.PTE_SIZE;
import static pvm.arch.riscv64.Sv39.SIZE_PAGE;

import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * One riscv64 address space: Phoenix's {@code pmap_t} ({@code pdir2}, {@code satp}, {@code start},
 * {@code end}). It holds the physical address of its root table; the three levels of tables live
 * in simulated RAM and every read and write of them goes through {@link PhysicalMemory} as 64-bit
 * little-endian words.
 *
 * <p>Phoenix edits a level-1 or level-0 table through a scratch window ({@code pmap_common.ptable})
 * it remaps to that table first; the simulation addresses tables physically and needs no window.
 * Updates hold the machine's {@code pmap_common.lock} and shoot the changed pages down in every
 * hart's TLB before they return.
 */
public final class Riscv64Pmap implements Pmap {

    private final PmapCommon common;
    private final long pdir2;
    private volatile long start;
    private volatile long end;

    Riscv64Pmap(PmapCommon common, long pdir2, long start, long end) {
        this.common = common;
        this.pdir2 = pdir2;
        this.start = start;
        this.end = end;
    }

    // pmap_enter
    @Override
    public EnterResult enter(PhysAddr pa, VirtAddr va, int attr, Frame ptable) {
        if (pa.isNone() || pa.value() < 0 || (Sv39.pte(pa.value(), 0) & ~Sv39.PPN_MASK) != 0) {
            throw new IllegalArgumentException("riscv64 physical addresses are 56-bit: " + pa);
        }
        checkVirt(va);
        if ((attr & ~Sv39.KNOWN_ATTRS) != 0) {
            throw new IllegalArgumentException(String.format("unknown attribute bits 0x%x", attr & ~Sv39.KNOWN_ATTRS));
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
     * {@code _pmap_enter} / {@code _pmap_map}: writes the leaf for {@code va}
     * ({@code PTE(pa, 0xc1 | attr)}), first installing {@code table} (a physical page address, or -1
     * for none) as the level-1 or the level-0 table if one is missing. One page fills one missing
     * level: when both are missing Phoenix uses the page for the level-1 table and returns
     * {@code -EFAULT} for the next, and so does this ({@link EnterResult#NEEDS_PTABLE}).
     *
     * @param shootdown whether to invalidate {@code va} in every hart's TLB ({@code tlbInval})
     */
    EnterResult enterLocked(long pa, long va, int attr, long table, boolean shootdown) {
        assert common.lock.isHeldByCurrentThread() : "enterLocked without the lock";
        PhysicalMemory mem = common.memory;
        long next = pdir2;
        for (int level = Sv39.LEVELS - 1; level > 0; level--) {
            long entryAddr = next + (long) Sv39.index(va, level) * PTE_SIZE;
            long entry = mem.read64(entryAddr);
            if ((entry & Sv39.V) == 0) {
                if (table < 0) {
                    return EnterResult.NEEDS_PTABLE;
                }
                entry = installTableLocked(entryAddr, table);
                table = -1;
            } else if (!Sv39.isTable(entry)) {
                throw new IllegalStateException(String.format("a level-%d superpage covers 0x%016x; pmap_enter maps 4 KiB pages only", level, va));
            }
            next = Sv39.addr(entry);
        }
        mem.write64(next + (long) Sv39.index(va, 0) * PTE_SIZE, Sv39.pte(pa & ~Sv39.PAGE_OFFSET_MASK,
                Sv39.leafBits(attr) | (common.svpbmt ? Sv39.pbmtBits(attr) : 0)));
        // Always invalidate, whether or not a translation was cached: it covers changed rights as
        // well as changed pages (Phoenix's hal_cpuRemoteFlushTLB after every pmap_enter).
        if (shootdown) {
            common.shootdown(va);
        }
        return EnterResult.OK;
    }

    /** Zeroes the page at {@code table} and points the entry at {@code entryAddr} at it; returns the entry. */
    long installTableLocked(long entryAddr, long table) {
        assert common.lock.isHeldByCurrentThread() : "installTableLocked without the lock";
        common.memory.fill(table, SIZE_PAGE, 0);
        long entry = Sv39.pte(table, Sv39.V);
        common.memory.write64(entryAddr, entry);
        return entry;
    }

    // pmap_remove
    @Override
    public void remove(VirtAddr from, VirtAddr to) {
        common.lock.lock();
        try {
            removeLocked(from.value(), Math.min(to.value(), Sv39.LOWER_HALF_END));
        } finally {
            common.lock.unlock();
        }
    }

    /**
     * {@code _pmap_remove}: clears the leaf of every page overlapping {@code [from, to)}, then
     * flushes the range from every hart's TLB. Phoenix steps page by page even through missing
     * tables (re-reading them at each page); here a missing level-1 or level-0 table skips the
     * gigabyte or the 2 MiB it would cover, with the same result.
     */
    void removeLocked(long from, long to) {
        assert common.lock.isHeldByCurrentThread() : "removeLocked without the lock";
        PhysicalMemory mem = common.memory;
        int removed = 0;
        long va = from & ~Sv39.PAGE_OFFSET_MASK;
        while (va < to) {
            long l2 = mem.read64(pdir2 + (long) Sv39.index(va, 2) * PTE_SIZE);
            if (!Sv39.isTable(l2)) {
                va = (va | (Sv39.GIGA - 1)) + 1;
                continue;
            }
            long l1 = mem.read64(Sv39.addr(l2) + (long) Sv39.index(va, 1) * PTE_SIZE);
            if (!Sv39.isTable(l1)) {
                va = (va | (Sv39.MEGA - 1)) + 1;
                continue;
            }
            long pteAddr = Sv39.addr(l1) + (long) Sv39.index(va, 0) * PTE_SIZE;
            if (mem.read64(pteAddr) != 0) {
                mem.write64(pteAddr, 0);
                // Past a TLB's worth of pages one flush is cheaper than a fence per page.
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
            long pte = leafLocked(va.value());
            if ((pte & Sv39.V) == 0) {
                return PhysAddr.NONE;
            }
            return PhysAddr.of(Sv39.addr(pte) | (va.value() & (Sv39.span(leafLevel(va.value())) - 1)));
        } finally {
            common.lock.unlock();
        }
    }

    @Override
    public int attributes(VirtAddr va) {
        checkVirt(va);
        common.lock.lock();
        try {
            return Sv39.attrOf(leafLocked(va.value()));
        } finally {
            common.lock.unlock();
        }
    }

    /**
     * The leaf mapping {@code va} (at whichever level), or 0 where a table on the way is missing.
     * Phoenix's {@code pmap_resolve} reads on through an invalid level-1 entry (as a table at
     * physical 0) and returns whatever address bits the level-0 entry holds, valid or not; here an
     * invalid entry anywhere means "not mapped".
     */
    long leafLocked(long va) {
        assert common.lock.isHeldByCurrentThread() : "leafLocked without the lock";
        PhysicalMemory mem = common.memory;
        long table = pdir2;
        for (int level = Sv39.LEVELS - 1; level >= 0; level--) {
            long entry = mem.read64(table + (long) Sv39.index(va, level) * PTE_SIZE);
            if (!Sv39.isTable(entry)) {
                return (entry & Sv39.V) == 0 ? 0 : entry;
            }
            table = Sv39.addr(entry);
        }
        return 0;
    }

    /** Skips every gigabyte and every 2 MiB whose table is missing; a superpage maps its first page. */
    @Override
    public VirtAddr nextMapped(VirtAddr from, VirtAddr to) {
        long end = Math.min(to.value(), Sv39.LOWER_HALF_END);
        common.lock.lock();
        try {
            long va = from.value() & ~Sv39.PAGE_OFFSET_MASK;
            while (va < end) {
                long skip = unmappedSpanLocked(va);
                if (skip == 0) {
                    return VirtAddr.of(va);
                }
                va = (va | (skip - 1)) + 1;
            }
            return to;
        } finally {
            common.lock.unlock();
        }
    }

    /** 0 when {@code va} is mapped, else the span (1 GiB, 2 MiB or a page) of the invalid entry the walk stopped at. */
    private long unmappedSpanLocked(long va) {
        assert common.lock.isHeldByCurrentThread() : "unmappedSpanLocked without the lock";
        long table = pdir2;
        for (int level = Sv39.LEVELS - 1; level >= 0; level--) {
            long entry = common.memory.read64(table + (long) Sv39.index(va, level) * PTE_SIZE);
            if ((entry & Sv39.V) == 0) {
                return Sv39.span(level);
            }
            if (!Sv39.isTable(entry)) {
                return 0;
            }
            table = Sv39.addr(entry);
        }
        return SIZE_PAGE;
    }

    /** The level of the leaf mapping {@code va}, which must be mapped. */
    private int leafLevel(long va) {
        long table = pdir2;
        for (int level = Sv39.LEVELS - 1; level > 0; level--) {
            long entry = common.memory.read64(table + (long) Sv39.index(va, level) * PTE_SIZE);
            if (!Sv39.isTable(entry)) {
                return level;
            }
            table = Sv39.addr(entry);
        }
        return 0;
    }

    /** The raw root-table entry at index {@code i}. */
    long topLocked(int i) {
        assert common.lock.isHeldByCurrentThread() : "topLocked without the lock";
        return common.memory.read64(pdir2 + (long) i * PTE_SIZE);
    }

    /**
     * {@code pmap_destroy}: hands back the tables of the user part, one per call: for each valid
     * root entry below {@code VADDR_KERNEL}'s, first each level-0 table its level-1 table points at
     * (clearing that entry), then the level-1 table itself (clearing the root entry). The kernel's
     * entries are shared and stay.
     */
    @Override
    public PhysAddr destroy(DestroyCursor cursor) {
        final int kernel = Sv39.index(Sv39.VADDR_KERNEL, 2);
        PhysicalMemory mem = common.memory;
        common.lock.lock();
        try {
            while (cursor.position < kernel) {
                long rootAddr = pdir2 + (long) cursor.position * PTE_SIZE;
                long entry = mem.read64(rootAddr);
                if ((entry & Sv39.V) != 0) {
                    long pdir1 = Sv39.addr(entry);
                    for (int j = 0; j < Sv39.ENTRIES; j++) {
                        long l1Addr = pdir1 + (long) j * PTE_SIZE;
                        long l1 = mem.read64(l1Addr);
                        if ((l1 & Sv39.V) != 0) {
                            mem.write64(l1Addr, 0);
                            return PhysAddr.of(Sv39.addr(l1));
                        }
                    }
                    mem.write64(rootAddr, 0);
                    cursor.position++;
                    return PhysAddr.of(pdir1);
                }
                cursor.position++;
            }
            return PhysAddr.NONE;
        } finally {
            common.lock.unlock();
        }
    }

    /**
     * Hands back one table of the user part that meets {@code [from, to)} and maps nothing: first
     * a level-0 table with 512 zero entries (clearing its level-1 entry), then a level-1 table left
     * with none (clearing its root entry). Phoenix keeps user tables until {@code pmap_destroy};
     * this is the heap's {@code brk} giving back the tables a shrink empties.
     */
    @Override
    public PhysAddr reclaim(VirtAddr from, VirtAddr to) {
        long end = Math.min(to.value(), Sv39.VADDR_KERNEL);
        PhysicalMemory mem = common.memory;
        common.lock.lock();
        try {
            for (long giga = from.value() & ~(Sv39.GIGA - 1); giga < end; giga += Sv39.GIGA) {
                long rootAddr = pdir2 + (long) Sv39.index(giga, 2) * PTE_SIZE;
                long root = mem.read64(rootAddr);
                if (!Sv39.isTable(root)) {
                    continue;
                }
                long first = Math.max(giga, from.value() & ~(Sv39.MEGA - 1));
                long last = Math.min(giga + Sv39.GIGA, end);
                for (long mega = first; mega < last; mega += Sv39.MEGA) {
                    long l1Addr = Sv39.addr(root) + (long) Sv39.index(mega, 1) * PTE_SIZE;
                    long l1 = mem.read64(l1Addr);
                    if (Sv39.isTable(l1) && isEmptyTable(Sv39.addr(l1))) {
                        mem.write64(l1Addr, 0);
                        common.shootdownAll();
                        return PhysAddr.of(Sv39.addr(l1));
                    }
                }
                if (isEmptyTable(Sv39.addr(root))) {
                    mem.write64(rootAddr, 0);
                    common.shootdownAll();
                    return PhysAddr.of(Sv39.addr(root));
                }
            }
            return PhysAddr.NONE;
        } finally {
            common.lock.unlock();
        }
    }

    private boolean isEmptyTable(long table) {
        return common.memory.firstNonZero(table, (long) Sv39.ENTRIES * PTE_SIZE) < 0;
    }

    // pmap_switch
    @Override
    public void switchTo(Mmu cpu) {
        if (!(cpu instanceof Riscv64Mmu mmu) || mmu.common() != common) {
            throw new IllegalArgumentException("not a hart of this machine: " + cpu);
        }
        mmu.switchSpace(this);
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

    /** There are no board memory maps to give an address space on {@code virt}. */
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

    /** The root table's physical address: {@code satp}'s PPN times the page size. */
    @Override
    public PhysAddr root() {
        return PhysAddr.of(pdir2);
    }

    /** {@code pmap->satp}: {@code (pdir2 >> 12) | SATP_MODE_SV39}, no ASID. */
    long satp() {
        return Sv39.satp(pdir2);
    }

    PmapCommon common() {
        return common;
    }

    /** Sets the range, as {@code _pmap_init}, {@code _pmap_kernelSpaceExpand} and {@code pmap_create} do for the kernel. */
    void setRangeLocked(long newStart, long newEnd) {
        assert common.lock.isHeldByCurrentThread() : "setRangeLocked without the lock";
        this.start = newStart;
        this.end = newEnd;
    }

    /** The addresses a {@link VirtAddr} can hold here: the lower canonical half. */
    private static void checkVirt(VirtAddr va) {
        if (va.value() >= Sv39.LOWER_HALF_END) {
            throw new IllegalArgumentException("riscv64 user and kernel addresses lie below 2^38 (Sv39): " + va);
        }
    }

    @Override
    public String toString() {
        return String.format("Riscv64Pmap(satp=0x%016x, [0x%010x, 0x%010x))", satp(), start, end);
    }
}
