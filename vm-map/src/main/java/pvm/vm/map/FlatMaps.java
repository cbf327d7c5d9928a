package pvm.vm.map;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.VmError;

/**
 * The flat memory model of {@code vm/map.c} built with {@code NOMMU}: one map per board memory map,
 * shared by the kernel and every process ({@code _map_mapsInit}); an entry remembers the process
 * that made it, so a process's exit drops its own entries only. No page tables: a map's pmap only
 * says which memory maps the MPU lets a process touch.
 */
final class FlatMaps implements MapModel {

    /** {@link NommuIsolation#NONE}: Phoenix's, any process touches any entry. */
    static final FlatMaps UNISOLATED = new FlatMaps(NommuIsolation.NONE);

    private final NommuIsolation isolation;

    FlatMaps(NommuIsolation isolation) {
        this.isolation = isolation;
    }

    /**
     * The board's memory maps.
     *
     * @throws IllegalStateException when the board has none (Phoenix's "Problem with maps initialization")
     */
    @Override
    public List<MemoryMapInfo> sharedMapsOf(Hal hal) {
        List<MemoryMapInfo> boardMaps = hal.maps();
        if (boardMaps.isEmpty()) {
            throw new IllegalStateException("vm: Problem with maps initialization: the board has no memory maps");
        }
        return boardMaps;
    }

    /** {@code vm_mapCreate} without an MMU: no page directory, a pmap of regions only. */
    @Override
    public Either<VmError, VmMap> create(VmMaps maps, long start, long stop) {
        return Either.right(new VmMap(maps, maps.hal().create(maps.kernelMap().pmap, Frame.NONE), start, stop));
    }

    /**
     * {@code vm_mapDestroy} without an MMU: drops only the entries {@code owner} mapped in the
     * (shared) map, anons included (Phoenix drops their amaps only).
     *
     * @throws IllegalArgumentException for the kernel's own entries ({@code owner == null})
     */
    @Override
    public boolean destroy(VmMaps maps, MapOwner owner, VmMap map) {
        if (owner == null) {
            throw new IllegalArgumentException("the kernel's own entries are never destroyed");
        }
        map.lock.lock();
        try {
            List<MapEntry> owned = new ArrayList<>();
            for (MapEntry e = map.tree.first(); e != null; e = MapEntryTree.next(e)) {
                if (e.owner == owner) {
                    owned.add(e);
                }
            }
            Pager p = maps.pager();
            for (MapEntry e : owned) {
                p.amapPutAnons(e.amap, e.aoffs, e.size);
                map.entryPut(e);
            }
        } finally {
            map.lock.unlock();
        }
        return false;
    }

    /** Every address is the memory itself: nothing to look up. */
    @Override
    public boolean covers(VmMap map, long ptr, long size) {
        return true;
    }

    @Override
    public boolean entersPhysmem() {
        return false;
    }

    @Override
    public boolean mayMerge(MapOwner a, MapOwner b) {
        return a == b;
    }

    /**
     * Only its own entries, unless the policy is Phoenix's: {@code _vm_munmap} and
     * {@code vm_mprotect} look at no owner, so one process could unmap another's memory.
     */
    @Override
    public boolean mayTouch(MapOwner caller, MapOwner owner) {
        return isolation == NommuIsolation.NONE || caller == null || caller == owner;
    }

    /** No page tables to agree with. */
    @Override
    public void checkPages(VmMap map, List<String> errors) {
    }

    @Override
    public String toString() {
        return "flat";
    }
}
