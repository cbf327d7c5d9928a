package pvm.arch.riscv64;

import static pvm.arch.riscv64.Sv39.PAGE_OFFSET_MASK;

import pvm.hal.pmap.Access;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.InFlightAccess;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Pmap;

/**
 * One hart's address translation: {@code satp}, a {@link Tlb}, and the Sv39 walk of the privileged
 * specification ("Virtual Address Translation Process") over tables in simulated RAM, which sets A
 * and D and raises page faults with {@code scause} 12, 13 or 15 and the address in {@code stval}.
 *
 * <p>{@code sstatus} as Phoenix's {@code _init.S} leaves it: SUM set (supervisor code may load and
 * store to user pages; it may never execute them), MXR clear (an execute-only page is not readable).
 * A and D: when the walk finds A clear, or D clear on a store, the hart sets them in the leaf in
 * RAM, as QEMU does ({@code Svadu}); {@link #setAccessedDirtyFaults} selects the other behaviour the
 * specification allows ({@code Svade}): a page fault, leaving the update to software. Phoenix sets A
 * and D in every leaf it writes, so on Phoenix's own tables the two never differ.
 *
 * <p>{@link #translate} allocates nothing unless it faults. It runs on the hart's own thread; TLB
 * invalidations may come from any thread (see {@link Tlb}).
 */
public final class Riscv64Mmu implements Mmu {

    private final int id;
    private final PmapCommon common;
    private final Tlb tlb = new Tlb();
    private final InFlightAccess inFlight = new InFlightAccess();

    private volatile Riscv64Pmap current;
    /** 0 (Bare: translation off) until an address space is loaded. */
    private volatile long satp;
    private volatile boolean sum = true;
    private volatile boolean adFaults;

    // Written by this hart's thread only; others may read a slightly old value.
    private long hits;
    private long misses;
    private Fault lastFault;
    private long scause;
    private long stval;

    Riscv64Mmu(int id, PmapCommon common) {
        this.id = id;
        this.common = common;
    }

    @Override
    public long translate(long va, int access) {
        if (!Sv39.isCanonical(va)) {
            return fault(va, access, "not canonical (bits 63..39 differ from bit 38)", false);
        }
        long vpn = Tlb.vpn(va);
        long e = tlb.lookup(vpn);
        if (e != 0 && allowedByEntry(e, access)) {
            hits++;
            return Tlb.frame(e) | (va & PAGE_OFFSET_MASK);
        }
        // A miss, or an entry that does not grant this access (or a store before D is known set):
        // walk. Hardware would fault on the stale entry and the handler's retry would walk; the
        // walk here gives the same answer without the spurious trap.
        misses++;
        return walk(va, vpn, access);
    }

    private boolean allowedByEntry(long e, int access) {
        if (!privilegeAllows((e & Tlb.USER) != 0, access)) {
            return false;
        }
        if ((access & Access.WRITE) != 0) {
            return (e & Tlb.WRITE) != 0 && (e & Tlb.DIRTY) != 0;
        }
        if ((access & Access.EXEC) != 0) {
            return (e & Tlb.EXEC) != 0;
        }
        return (e & Tlb.READ) != 0;
    }

    /** U-mode needs U; S-mode may touch a U page only with SUM, and never execute one. */
    private boolean privilegeAllows(boolean userPage, int access) {
        if ((access & Access.USER) != 0) {
            return userPage;
        }
        return !userPage || (sum && (access & Access.EXEC) == 0);
    }

    /** The walk: levels 2, 1, 0 from {@code satp}'s root, a leaf at any level, then rights, then A/D. */
    private long walk(long va, long vpn, int access) {
        long root = satp;
        if (root == 0) {
            throw new IllegalStateException("hart " + id + " has no address space loaded (satp is Bare)");
        }
        boolean write = (access & Access.WRITE) != 0;
        PhysicalMemory mem = common.memory;
        for (;;) {
            long since = tlb.generation();
            long table = Sv39.root(root);
            long pteAddr = 0;
            long pte = 0;
            int level = Sv39.LEVELS - 1;
            for (;; level--) {
                pteAddr = table + (long) Sv39.index(va, level) * Sv39.PTE_SIZE;
                pte = mem.read64(pteAddr);
                if ((pte & Sv39.V) == 0) {
                    return fault(va, access, "level-" + level + " entry invalid", false);
                }
                if ((pte & common.reservedMask) != 0 || (pte & Sv39.PBMT_MASK) == Sv39.PBMT_MASK
                        || ((pte & Sv39.R) == 0 && (pte & Sv39.W) != 0)) {
                    return fault(va, access, "level-" + level + " entry malformed (reserved bits, or W without R)", false);
                }
                if ((pte & (Sv39.R | Sv39.X)) != 0) {
                    break; // a leaf
                }
                if (level == 0) {
                    return fault(va, access, "level-0 entry points at a further table", false);
                }
                table = Sv39.addr(pte);
            }
            long span = Sv39.span(level);
            if (level > 0 && (Sv39.addr(pte) & (span - 1)) != 0) {
                return fault(va, access, "misaligned superpage at level " + level, false);
            }
            if (!leafAllows(pte, access)) {
                return fault(va, access, rightsVerdict(pte, access), true);
            }
            boolean needA = (pte & Sv39.A) == 0;
            boolean needD = write && (pte & Sv39.D) == 0;
            if (needA || needD) {
                if (adFaults) {
                    return fault(va, access, needA ? "A clear (Svade)" : "D clear on a store (Svade)", true);
                }
                if (!setAccessedDirty(pteAddr, pte, write)) {
                    continue; // the tables changed under the walk: walk again
                }
                pte |= Sv39.A | (write ? Sv39.D : 0);
            }
            long pa = Sv39.addr(pte) | (va & (span - 1));
            long cached = ((pte & Sv39.R) != 0 ? Tlb.READ : 0) | ((pte & Sv39.W) != 0 ? Tlb.WRITE : 0)
                    | ((pte & Sv39.X) != 0 ? Tlb.EXEC : 0) | ((pte & Sv39.U) != 0 ? Tlb.USER : 0)
                    | ((pte & Sv39.D) != 0 ? Tlb.DIRTY : 0);
            tlb.fill(vpn, pa & ~PAGE_OFFSET_MASK, cached, since);
            return pa;
        }
    }

    private boolean leafAllows(long pte, int access) {
        if (!privilegeAllows((pte & Sv39.U) != 0, access)) {
            return false;
        }
        if ((access & Access.WRITE) != 0) {
            return (pte & Sv39.W) != 0;
        }
        if ((access & Access.EXEC) != 0) {
            return (pte & Sv39.X) != 0;
        }
        return (pte & Sv39.R) != 0;
    }

    private String rightsVerdict(long pte, int access) {
        if (!privilegeAllows((pte & Sv39.U) != 0, access)) {
            return (access & Access.USER) != 0 ? "supervisor page (U clear)" : "user page (U set) from supervisor mode";
        }
        if ((access & Access.WRITE) != 0) {
            return "read-only page (W clear)";
        }
        return (access & Access.EXEC) != 0 ? "not executable (X clear)" : "not readable (R clear)";
    }

    /**
     * Sets A in the leaf, and D on a store, written back to RAM. The hart does this atomically with
     * the walk; here the machine's pmap lock (which every table update holds) makes it atomic, and
     * the leaf is read again under it: if it changed since the walk read it, nothing is written and
     * the walk starts over.
     */
    private boolean setAccessedDirty(long pteAddr, long pte, boolean write) {
        PhysicalMemory mem = common.memory;
        inFlight.lockWithin(common.lock); // may be held by a shootdown waiting for this access
        try {
            if (mem.read64(pteAddr) != pte) {
                return false;
            }
            mem.write64(pteAddr, pte | Sv39.A | (write ? Sv39.D : 0));
            return true;
        } finally {
            common.lock.unlock();
        }
    }

    /**
     * Raises the page fault an access of this kind takes: {@code scause} by the access, {@code stval}
     * the address; {@code validLeaf} when the walk found a mapping whose rights the access broke.
     */
    private long fault(long va, int access, String cause, boolean validLeaf) {
        scause = Scause.of(access);
        stval = va;
        lastFault = new Fault(va, access, new ScauseSyndrome(scause, stval, (access & Access.USER) != 0, validLeaf, cause));
        return FAULT;
    }

    @Override
    public Fault lastFault() {
        return lastFault;
    }

    /** {@code scause} after the last fault: 12, 13 or 15 (0 before any). */
    public long scause() {
        return scause;
    }

    /** {@code stval} after the last fault: the faulting virtual address. */
    public long stval() {
        return stval;
    }

    @Override
    public Pmap current() {
        return current;
    }

    /** {@code hal_cpuSwitchSpace}: {@code csrw satp} then {@code sfence.vma}, which drops every cached translation. */
    void switchSpace(Riscv64Pmap pmap) {
        current = pmap;
        satp = pmap.satp();
        tlb.flush();
    }

    /** {@code satp}: MODE 8 (Sv39), ASID 0, and the root table's page number; 0 before any space was loaded. */
    public long satp() {
        return satp;
    }

    /** Sets {@code sstatus.SUM}. Phoenix sets it; clear, supervisor accesses to user pages fault. */
    public void setSum(boolean on) {
        sum = on;
    }

    /**
     * Chooses what a walk does on a leaf with A clear, or D clear on a store: set them (false, the
     * default, as QEMU does) or raise a page fault ({@code Svade}). Checked on every walk, so no flush
     * is needed.
     */
    public void setAccessedDirtyFaults(boolean on) {
        adFaults = on;
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
        tlb.invalidate(Tlb.vpn(va));
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
        if (!(pmap instanceof Riscv64Pmap p) || p.common() != common) {
            throw new IllegalArgumentException("not an address space of this machine: " + pmap);
        }
        return WalkDescription.describe(common.memory, p.satp(), va);
    }

    Tlb tlb() {
        return tlb;
    }

    PmapCommon common() {
        return common;
    }

    @Override
    public String toString() {
        return String.format("Riscv64Mmu(hart %d, satp=0x%016x)", id, satp);
    }
}
