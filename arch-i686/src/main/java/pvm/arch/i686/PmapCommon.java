package pvm.arch.i686;

import java.util.concurrent.locks.ReentrantLock;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;

/**
 * What every address space of one machine shares: Phoenix's {@code pmap_common} (the lock that
 * serialises page-table updates), the RAM the tables live in, the frame table that turns a
 * {@link Frame} into an address, and the CPUs whose TLBs an update must shoot down.
 */
final class PmapCommon {

    /** {@code pmap_common.lock}. Also taken by the MMU walk to set A and D atomically. */
    final ReentrantLock lock = new ReentrantLock();
    final PhysicalMemory memory;
    final PageFrames frames;
    /** PTE bits every entry gets whatever its attributes: P under Phoenix's {@link NonePages} policy. */
    final int forcedPteBits;
    private final I686Mmu[] cpus;

    PmapCommon(PhysicalMemory memory, PageFrames frames, int cpus, NonePages nonePages) {
        this.forcedPteBits = nonePages == NonePages.PRESENT ? Paging.P : 0;
        this.memory = memory;
        this.frames = frames;
        this.cpus = new I686Mmu[cpus];
        for (int i = 0; i < cpus; i++) {
            this.cpus[i] = new I686Mmu(i, this);
        }
    }

    int cpus() {
        return cpus.length;
    }

    I686Mmu cpu(int i) {
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
     * {@code hal_tlbInvalidateEntry(NULL, va, 1)}: drops the page at {@code va} from every CPU's
     * TLB. Every CPU, not only those running the changed space: it is always correct, and the TLB
     * is not tagged by address space, so a stray invalidation only costs a miss.
     */
    void shootdown(long va) {
        long vpn = va >>> Paging.PAGE_SHIFT;
        for (I686Mmu cpu : cpus) {
            cpu.tlb().invalidate(vpn);
        }
        awaitInFlight();
    }

    /** Drops every CPU's whole TLB (cheaper than many {@link #shootdown}s). */
    void shootdownAll() {
        for (I686Mmu cpu : cpus) {
            cpu.tlb().flush();
        }
        awaitInFlight();
    }

    /**
     * Waits until every access that was under way on any CPU when the entries were dropped has
     * completed, as the initiator of a shootdown waits for every CPU's acknowledgement
     * ({@code hal_tlbCommit}): afterwards no access can still use a dropped translation. The caller's
     * own CPU, if it is one, has no access open (faults are taken outside the bracket), so it
     * never waits for itself.
     */
    private void awaitInFlight() {
        for (I686Mmu cpu : cpus) {
            cpu.inFlight().awaitRetired();
        }
    }
}
