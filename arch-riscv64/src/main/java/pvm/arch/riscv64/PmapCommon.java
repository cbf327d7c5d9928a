package pvm.arch.riscv64;

import java.util.concurrent.locks.ReentrantLock;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;

/**
 * What every address space of one machine shares: Phoenix's {@code pmap_common} (the lock that
 * serialises page-table updates), the RAM the tables live in, the frame table that turns a
 * {@link Frame} into an address, and the harts whose TLBs an update must shoot down.
 */
final class PmapCommon {

    /** {@code pmap_common.lock}. Also taken by the MMU walk to set A and D atomically. */
    final ReentrantLock lock = new ReentrantLock();
    final PhysicalMemory memory;
    final PageFrames frames;
    private final Riscv64Mmu[] cpus;
    /** Whether leaves carry Svpbmt's memory type ({@link Pbmt}). */
    final boolean svpbmt;
    /** The bits a walk refuses in an entry: every one of 54..63, or all but PBMT with Svpbmt. */
    final long reservedMask;

    PmapCommon(PhysicalMemory memory, PageFrames frames, int cpus, Pbmt pbmt) {
        this.memory = memory;
        this.frames = frames;
        this.svpbmt = pbmt == Pbmt.SVPBMT;
        this.reservedMask = svpbmt ? Sv39.RESERVED_MASK & ~Sv39.PBMT_MASK : Sv39.RESERVED_MASK;
        this.cpus = new Riscv64Mmu[cpus];
        for (int i = 0; i < cpus; i++) {
            this.cpus[i] = new Riscv64Mmu(i, this);
        }
    }

    int cpus() {
        return cpus.length;
    }

    Riscv64Mmu cpu(int i) {
        return cpus[i];
    }

    /** The physical address of a page the caller handed over, checked against the frame table. */
    long frameAddr(Frame frame) {
        int f = frame.index();
        if (f < 0 || f >= frames.count()) {
            throw new IllegalArgumentException("no such frame: " + f + " (the table holds " + frames.count() + ")");
        }
        return frames.addr(f);
    }

    /**
     * {@code hal_cpuRemoteFlushTLB(0, va, SIZE_PAGE)}: an {@code sfence.vma} of {@code va} on every
     * hart (through SBI's remote fence when there is more than one), whichever space it runs.
     */
    void shootdown(long va) {
        long vpn = Tlb.vpn(va);
        for (Riscv64Mmu cpu : cpus) {
            cpu.tlb().invalidate(vpn);
        }
        awaitInFlight();
    }

    /** An {@code sfence.vma} of everything on every hart (cheaper than many {@link #shootdown}s). */
    void shootdownAll() {
        for (Riscv64Mmu cpu : cpus) {
            cpu.tlb().flush();
        }
        awaitInFlight();
    }

    /**
     * Waits until every access that was under way on any hart when the entries were dropped has
     * completed, as SBI's remote {@code sfence.vma} returns only once every hart has fenced:
     * afterwards no access can still use a dropped translation. The caller's
     * own hart, if it is one, has no access open (faults are taken outside the bracket), so it
     * never waits for itself.
     */
    private void awaitInFlight() {
        for (Riscv64Mmu cpu : cpus) {
            cpu.inFlight().awaitRetired();
        }
    }
}
