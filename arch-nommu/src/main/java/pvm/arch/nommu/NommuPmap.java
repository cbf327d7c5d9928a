package pvm.arch.nommu;

import java.util.concurrent.locks.ReentrantLock;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * One address space on the no-MMU target: armv7m's {@code pmap_t}, which is nothing but the set of
 * MPU regions the owner may use ({@code regions}) and a range. There are no page tables, so mapping
 * calls have nothing to do and an address resolves to itself.
 *
 * <p>Simplification: Phoenix keeps a bitmask of MPU region numbers, which the loader assigns to
 * memory maps (a map may have several regions, or none). Here each map has exactly one region whose
 * number is the map's id, so the mask is a set of map ids.
 *
 * <p>Range: the kernel's pmap covers the kernel's memory map (DTCM). A process pmap spans the whole
 * 32-bit space: Phoenix's process pmap never has its range set ({@code pmap_create} only fills
 * {@code regions}, and {@code pmap_belongs} does not exist on no-MMU), and a process's entries may
 * lie in any map it is given, so no narrower range would be true.
 *
 * <p>The region set changes under the machine's pmap lock ({@code pmap_common.lock}); readers see it
 * through a volatile field, so checks take no lock.
 */
final class NommuPmap implements Pmap {

    /** What an enabled map allows: everything. The MPU enforces no per-page protection here. */
    private static final int ALLOWED = Attr.PRESENT | Attr.WRITE | Attr.USER | Attr.EXEC;

    private final NommuBoard board;
    private final ReentrantLock lock;
    private final long start;
    private final long end;
    private volatile int regions;

    NommuPmap(NommuBoard board, ReentrantLock lock, long start, long end, int regions) {
        this.board = board;
        this.lock = lock;
        this.start = start;
        this.end = end;
        this.regions = regions;
    }

    /** The enabled MPU regions (= map ids here), one bit each. */
    int regions() {
        return regions;
    }

    /** Whether map {@code id} is enabled for this address space. */
    boolean enabled(int id) {
        return (regions & board.regionMask(id)) != 0;
    }

    /** {@code pmap_enter}: nothing to map without an MMU; always succeeds, as Phoenix's. */
    @Override
    public EnterResult enter(PhysAddr pa, VirtAddr va, int attr, Frame ptable) {
        return EnterResult.OK;
    }

    /** {@code pmap_remove}: nothing to unmap. */
    @Override
    public void remove(VirtAddr from, VirtAddr to) {
        // No page tables: the memory stays where it is, reachable through the regions.
    }

    /** {@code pmap_resolve}: virtual equals physical. */
    @Override
    public PhysAddr resolve(VirtAddr va) {
        return PhysAddr.of(va.value());
    }

    /**
     * Full rights where an enabled map covers {@code va}, nothing elsewhere. Protection bits are not
     * kept: Phoenix accepts {@code mprotect} on no-MMU and enforces nothing.
     */
    @Override
    public int attributes(VirtAddr va) {
        int id = board.mapOf(va.value());
        return id >= 0 && enabled(id) ? ALLOWED : 0;
    }

    /** No page tables: nothing is mapped, everything is reached through the regions. */
    @Override
    public VirtAddr nextMapped(VirtAddr from, VirtAddr to) {
        return to;
    }

    /** {@code pmap_destroy}: no page-table pages to hand back. */
    @Override
    public PhysAddr destroy(DestroyCursor cursor) {
        return PhysAddr.NONE;
    }

    /** {@code pmap_switch}: loads this address space's region set into {@code cpu}'s MPU. */
    @Override
    public void switchTo(Mmu cpu) {
        if (!(cpu instanceof NommuMmu mpu)) {
            throw new IllegalArgumentException("not an MPU of this target: " + cpu);
        }
        lock.lock();
        try {
            switchLocked(mpu);
        } finally {
            lock.unlock();
        }
    }

    void switchLocked(NommuMmu mpu) {
        assert lock.isHeldByCurrentThread() : "switchLocked without the lock";
        mpu.load(this, regions);
    }

    @Override
    public boolean belongs(VirtAddr va) {
        return va.value() >= start && va.value() < end;
    }

    /**
     * {@code pmap_isAllowed}: whether one enabled map holds all of {@code [va, va+size)} (for an
     * empty range, whether an enabled map holds {@code va}). Stricter than Phoenix, which only looks
     * at the map holding {@code va} and so lets a range run off that map's end; maps do not overlap,
     * so "one enabled map" is the map holding {@code va}.
     */
    @Override
    public boolean isAllowed(VirtAddr va, Size size) {
        int id = board.mapOf(va.value());
        return id >= 0 && enabled(id) && size.bytes() <= board.mapEnd(id) - va.value();
    }

    /**
     * {@code pmap_addMap}: enables map {@code mapId}. False, with nothing changed, for a map the
     * board does not have. A CPU that has this address space loaded sees the new map only at the
     * next {@link #switchTo}, as the MPU registers change only in {@code pmap_switch}.
     */
    @Override
    public boolean addMap(int mapId) {
        lock.lock();
        try {
            return addMapLocked(mapId);
        } finally {
            lock.unlock();
        }
    }

    boolean addMapLocked(int mapId) {
        assert lock.isHeldByCurrentThread() : "addMapLocked without the lock";
        int mask = board.regionMask(mapId);
        if (mask == 0) {
            return false;
        }
        regions |= mask;
        return true;
    }

    @Override
    public VirtAddr start() {
        return VirtAddr.of(start);
    }

    @Override
    public VirtAddr end() {
        return VirtAddr.of(end);
    }

    /** No top-level table: the MPU has none. */
    @Override
    public PhysAddr root() {
        return PhysAddr.NONE;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("pmap[");
        String sep = "";
        for (int id = 0; id < board.mapCount(); id++) {
            if (enabled(id)) {
                sb.append(sep).append(board.map(id).name());
                sep = ",";
            }
        }
        return sb.append(String.format("] 0x%08x..0x%08x", start, end)).toString();
    }
}
