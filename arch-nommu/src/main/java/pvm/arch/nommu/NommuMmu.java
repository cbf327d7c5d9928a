package pvm.arch.nommu;

import pvm.hal.pmap.Access;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * One CPU's MPU (ARMv7-M PMSAv7). It translates nothing: it checks each access against the memory
 * maps and the regions the current address space enabled, as the hardware does on every load,
 * store and fetch.
 *
 * <ul>
 *   <li>Privileged accesses (no {@link Access#USER}) may go anywhere there is memory: Phoenix sets
 *       {@code PRIVDEFENA}, so the kernel runs on the default memory map. Outside every map the
 *       access hits no memory: a bus fault.</li>
 *   <li>Unprivileged accesses need an enabled region: inside a map this CPU's loaded address space
 *       enabled they pass; anywhere else they raise a MemManage fault.</li>
 *   <li>Protection is the region's, set by the loader: every map is read-write for unprivileged
 *       code except the kernel's code map, which is read-execute ({@link NommuBoard#userWritable});
 *       Phoenix does not change the regions on {@code mprotect}, which no-MMU accepts and does not
 *       enforce.</li>
 * </ul>
 *
 * <p>The region set is a snapshot taken by {@link Pmap#switchTo}, like the MPU's RASR enable bits:
 * enabling a map in an address space does not reach a CPU until it switches again.
 */
final class NommuMmu implements Mmu {

    private final NommuBoard board;
    private final int id;
    // Written by pmap_switch (under the pmap lock), read on every access by this CPU.
    private volatile NommuPmap current;
    private volatile int regions;
    private Fault lastFault;

    NommuMmu(NommuBoard board, int id) {
        this.board = board;
        this.id = id;
    }

    /** {@code pmap_switch}'s register writes: enable exactly the regions in {@code mask}. */
    void load(NommuPmap pmap, int mask) {
        this.regions = mask;
        this.current = pmap;
    }

    /** The region bits the MPU has enabled now. */
    int loadedRegions() {
        return regions;
    }

    /**
     * Nothing to bracket: no translation is cached, and virtual is physical, so no access can reach
     * a frame its address no longer names (no-MMU has no copy-on-write and never moves a page). The
     * only cached state, the enabled regions, is reprogrammed by this CPU's own {@code pmap_switch},
     * never by another CPU: Phoenix's armv7m HAL has no shootdown.
     */
    @Override
    public void beginAccess() {
        // see above
    }

    @Override
    public void endAccess() {
        // see beginAccess
    }

    /**
     * Checks an access; returns {@code va} itself (virtual = physical) or {@link #FAULT}. Allocates
     * nothing unless it faults.
     */
    @Override
    public long translate(long va, int access) {
        int map = board.mapOf(va);
        if ((access & Access.USER) == 0) {
            if (map >= 0) {
                return va;
            }
            return fault(va, access, MpuFaultSyndrome.busFault(va, access,
                    String.format("BusFault: no memory at 0x%08x (outside every memory map)", va)));
        }
        if (map >= 0 && (regions & board.regionMask(map)) != 0) {
            if ((access & Access.WRITE) != 0 && !board.userWritable(map)) {
                return fault(va, access, MpuFaultSyndrome.memManage(va, access, String.format(
                        "MemManage: MPU region %d (map %s) is read-execute for unprivileged code", map, board.map(map).name())));
            }
            return va;
        }
        return fault(va, access, MpuFaultSyndrome.memManage(va, access, map >= 0
                ? String.format("MemManage: no enabled MPU region covers 0x%08x (map %s is not enabled for this process)", va, board.map(map).name())
                : String.format("MemManage: no enabled MPU region covers 0x%08x (outside every memory map)", va)));
    }

    private long fault(long va, int access, MpuFaultSyndrome syndrome) {
        lastFault = new Fault(va, access, syndrome);
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

    /** No TLB: nothing cached to drop. */
    @Override
    public void invalidate(long va) {
        // The MPU reads its regions on every access.
    }

    /** No TLB: nothing cached to drop. */
    @Override
    public void flush() {
        // The MPU reads its regions on every access.
    }

    @Override
    public int id() {
        return id;
    }

    /**
     * Always 0: there is no TLB. Region checks are not counted as hits or misses, so the figure
     * never suggests caching that the MPU does not do.
     */
    @Override
    public long tlbHits() {
        return 0;
    }

    /** Always 0: there is no TLB and no table walk (see {@link #tlbHits}). */
    @Override
    public long tlbMisses() {
        return 0;
    }

    /**
     * The map holding {@code va}, whether {@code pmap} enabled it, and what a privileged and an
     * unprivileged access there would meet (with {@code pmap} loaded).
     */
    @Override
    public String describeWalk(Pmap pmap, long va) {
        int map = board.mapOf(va);
        if (map < 0) {
            return String.format("0x%08x: in no memory map; kernel access: bus fault; user access: MemManage fault", va);
        }
        var m = board.map(map);
        boolean enabled = pmap != null && va >= 0 && pmap.isAllowed(VirtAddr.of(va), Size.ZERO);
        return String.format("0x%08x: map %s [0x%08x..0x%08x), MPU region %d %s for this address space; "
                        + "physical 0x%08x; kernel access: allowed; user access: %s",
                va, m.name(), m.start(), m.end(), map, enabled ? "enabled" : "disabled", va,
                !enabled ? "MemManage fault" : board.userWritable(map) ? "allowed" : "read and execute, a write is a MemManage fault");
    }

    @Override
    public String toString() {
        return "mpu" + id;
    }
}
