package pvm.arch.i686;

import static pvm.arch.i686.Paging.FRAME_MASK;
import static pvm.arch.i686.Paging.PAGE_OFFSET_MASK;
import static pvm.arch.i686.Paging.PAGE_SHIFT;

import pvm.hal.pmap.Access;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.InFlightAccess;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Pmap;

/**
 * One i686 CPU's paging unit: CR3, a {@link Tlb}, and the two-level walk of the Intel SDM
 * (vol. 3A, 4.3) over page tables in simulated RAM, which sets the Accessed and Dirty bits and
 * raises #PF with the architectural error code.
 *
 * <p>Control registers as Phoenix's ia32 boot code leaves them: CR0.PG set, CR0.WP clear (neither
 * plo nor the kernel's {@code _init.S} sets it, so the kernel may write to read-only pages);
 * CR4.PSE set ({@code _init.S} enables big pages), so a PDE with PS maps a 4 MiB page.
 *
 * <p>{@link #translate} allocates nothing unless it faults. It runs on the CPU's own thread; TLB
 * invalidations may come from any thread (see {@link Tlb}).
 */
public final class I686Mmu implements Mmu {

    // #PF error-code bits (SDM vol. 3A, 4.7).
    static final int PF_P = 1 << 0;
    static final int PF_W = 1 << 1;
    static final int PF_U = 1 << 2;

    private final int id;
    private final PmapCommon common;
    private final Tlb tlb = new Tlb();
    private final InFlightAccess inFlight = new InFlightAccess();

    private volatile I686Pmap current;
    private volatile long cr3 = -1;
    private volatile boolean writeProtect;

    // Written by this CPU's thread only; others may read a slightly old value.
    private long hits;
    private long misses;
    private Fault lastFault;

    I686Mmu(int id, PmapCommon common) {
        this.id = id;
        this.common = common;
    }

    @Override
    public long translate(long va, int access) {
        if (!Paging.is32Bit(va)) {
            return fault(va, access, errorCode(access, false), "beyond the 32-bit linear address space");
        }
        long vpn = va >>> PAGE_SHIFT;
        long e = tlb.lookup(vpn);
        if (e != 0 && allowedByEntry(e, access)) {
            hits++;
            return (e & FRAME_MASK) | (va & PAGE_OFFSET_MASK);
        }
        // A miss, or an entry that does not grant this access (or a write before D is known set):
        // walk the tables. On hardware a #PF from a stale entry drops it and the retry walks; the
        // walk here gives the same answer without the spurious fault.
        misses++;
        return walk(va, vpn, access);
    }

    private boolean allowedByEntry(long e, int access) {
        boolean user = (access & Access.USER) != 0;
        if (user && (e & Tlb.USER) == 0) {
            return false;
        }
        if ((access & Access.WRITE) != 0) {
            if ((e & Tlb.DIRTY) == 0) {
                return false; // the processor re-walks to set D
            }
            return (e & Tlb.WRITE) != 0 || !(user || writeProtect);
        }
        return true;
    }

    /** The table walk: PDE at CR3 + pdi * 4, then PTE (or a 4 MiB page), then rights, then A/D. */
    private long walk(long va, long vpn, int access) {
        long root = cr3;
        if (root < 0) {
            throw new IllegalStateException("CPU " + id + " has no address space loaded (paging is off)");
        }
        boolean user = (access & Access.USER) != 0;
        boolean write = (access & Access.WRITE) != 0;
        PhysicalMemory mem = common.memory;
        for (;;) {
            long since = tlb.generation();
            long pdeAddr = root + (long) Paging.pdi(va) * 4;
            long pde = mem.read32(pdeAddr);
            if ((pde & Paging.P) == 0) {
                return fault(va, access, errorCode(access, false), "page directory entry not present");
            }
            boolean large = (pde & Paging.PS) != 0;
            long pteAddr = large ? -1 : (pde & FRAME_MASK) + (long) Paging.pti(va) * 4;
            long pte = large ? pde : mem.read32(pteAddr);
            if ((pte & Paging.P) == 0) {
                return fault(va, access, errorCode(access, false), "page table entry not present");
            }
            long rights = pde & pte;
            boolean userOk = (rights & Paging.US) != 0;
            boolean writeOk = (rights & Paging.RW) != 0;
            if (user && !userOk) {
                return fault(va, access, errorCode(access, true), "supervisor page");
            }
            if (write && !writeOk && (user || writeProtect)) {
                return fault(va, access, errorCode(access, true), "read-only page");
            }
            boolean needA = (pde & Paging.A) == 0 || (pte & Paging.A) == 0;
            boolean needD = write && (pte & Paging.D) == 0;
            if (needA || needD) {
                if (!setAccessedDirty(pdeAddr, pde, pteAddr, pte, write)) {
                    continue; // the tables changed under the walk: walk again
                }
                pte |= Paging.A | (write ? Paging.D : 0);
            }
            long frame = large ? (pte & Paging.LARGE_FRAME_MASK) | (va & (Paging.SLOT_SIZE - 1) & FRAME_MASK) : pte & FRAME_MASK;
            long cached = (userOk ? Tlb.USER : 0) | (writeOk ? Tlb.WRITE : 0) | ((pte & Paging.D) != 0 ? Tlb.DIRTY : 0);
            tlb.fill(vpn, frame, cached, since);
            return frame | (va & PAGE_OFFSET_MASK);
        }
    }

    /**
     * Sets A in the PDE and PTE, and D in the PTE on a write, written back to RAM. The processor
     * does this with locked read-modify-writes; here the machine's pmap lock (which every table
     * update holds) makes it atomic, and the entries are read again under it: if either changed
     * since the walk read it, nothing is written and the walk starts over.
     */
    private boolean setAccessedDirty(long pdeAddr, long pde, long pteAddr, long pte, boolean write) {
        PhysicalMemory mem = common.memory;
        inFlight.lockWithin(common.lock); // may be held by a shootdown waiting for this access
        try {
            if (mem.read32(pdeAddr) != pde || (pteAddr >= 0 && mem.read32(pteAddr) != pte)) {
                return false;
            }
            long dirty = write ? Paging.D : 0;
            if (pteAddr < 0) {
                mem.write32(pdeAddr, pde | Paging.A | dirty); // a 4 MiB page: the PDE is the leaf
                return true;
            }
            if ((pde & Paging.A) == 0) {
                mem.write32(pdeAddr, pde | Paging.A);
            }
            if ((pte & (Paging.A | dirty)) != (Paging.A | dirty)) {
                mem.write32(pteAddr, pte | Paging.A | dirty);
            }
            return true;
        } finally {
            common.lock.unlock();
        }
    }

    /** The #PF error code: P (protection violation on a present page), W/R, U/S. EXEC reads as a read. */
    static int errorCode(int access, boolean present) {
        return (present ? PF_P : 0) | ((access & Access.WRITE) != 0 ? PF_W : 0) | ((access & Access.USER) != 0 ? PF_U : 0);
    }

    private long fault(long va, int access, int errorCode, String cause) {
        lastFault = new Fault(va, access, new PageFaultSyndrome(errorCode, va, cause));
        return FAULT;
    }

    @Override
    public Fault lastFault() {
        return lastFault;
    }

    @Override
    public Pmap current() {
        return current;
    }

    /** A {@code mov cr3}: loads {@code pmap}'s page directory and drops every cached translation. */
    void loadCr3(I686Pmap pmap) {
        current = pmap;
        cr3 = pmap.cr3();
        tlb.flush();
    }

    /** CR3: the physical address of the loaded page directory, or -1 before any was loaded. */
    public long cr3() {
        return cr3;
    }

    /**
     * Sets CR0.WP. Phoenix leaves it clear; with it set, supervisor writes to read-only pages
     * fault too. Rights are checked on every access, so no TLB flush is needed.
     */
    public void setWriteProtect(boolean on) {
        writeProtect = on;
    }

    public boolean writeProtect() {
        return writeProtect;
    }

    @Override
    public void beginAccess() {
        inFlight.begin();
    }

    @Override
    public void endAccess() {
        inFlight.end();
    }

    /** This CPU's in-flight access counter, which a shootdown waits on. */
    InFlightAccess inFlight() {
        return inFlight;
    }

    @Override
    public void invalidate(long va) {
        tlb.invalidate(va >>> PAGE_SHIFT);
    }

    @Override
    public void flush() {
        tlb.flush();
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public long tlbHits() {
        return hits;
    }

    @Override
    public long tlbMisses() {
        return misses;
    }

    /** Translations the TLB holds now. */
    public int tlbValidEntries() {
        return tlb.valid();
    }

    @Override
    public String describeWalk(Pmap pmap, long va) {
        if (!(pmap instanceof I686Pmap p) || p.common() != common) {
            throw new IllegalArgumentException("not an address space of this machine: " + pmap);
        }
        return WalkDescription.describe(common.memory, p.cr3(), va);
    }

    Tlb tlb() {
        return tlb;
    }

    PmapCommon common() {
        return common;
    }

    @Override
    public String toString() {
        return String.format("I686Mmu(cpu %d, cr3=0x%08x)", id, cr3);
    }
}
