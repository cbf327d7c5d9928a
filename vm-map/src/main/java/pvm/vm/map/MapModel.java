package pvm.vm.map;

import io.vavr.control.Either;
import java.util.List;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.VmError;

/**
 * How address spaces behave on one kind of hardware: the part of {@code vm/map.c} that Phoenix
 * selects with {@code #ifdef NOMMU}. The composition root picks one for a machine
 * ({@link #PAGED} with an MMU, {@link #FLAT} without) and hands it to {@link VmMaps#init}; nothing
 * in this layer asks the architecture whether it translates.
 *
 * <ul>
 *   <li>{@link PagedMaps}: every process has its own map with its own page directory; pages come in
 *       by faults; entries merge whoever made them.</li>
 *   <li>{@link FlatMaps}: one map per board memory map, shared by the kernel and every process, each
 *       entry remembering the process that made it ({@code _map_mapsInit}); no page tables, so a
 *       {@code PHYSMEM} mapping is the address itself.</li>
 * </ul>
 */
public sealed interface MapModel permits PagedMaps, FlatMaps {

    /** With an MMU: per-process maps, demand paging, page tables. */
    MapModel PAGED = new PagedMaps();

    /** Without an MMU: maps shared per board memory map, virtual = physical; a process touches only its own entries. */
    MapModel FLAT = new FlatMaps(NommuIsolation.OWNER);

    /** The model without an MMU whose processes may touch each other's entries as {@code isolation} says. */
    static MapModel flat(NommuIsolation isolation) {
        return isolation == NommuIsolation.OWNER ? FLAT : FlatMaps.UNISOLATED;
    }

    /** The board memory maps {@code _map_mapsInit} makes a shared map of (none on a paged machine). */
    List<MemoryMapInfo> sharedMapsOf(Hal hal);

    /** {@code vm_mapCreate} of a process's map for {@code [start, stop)} (checked: page-aligned, not empty). */
    Either<VmError, VmMap> create(VmMaps maps, long start, long stop);

    /**
     * {@code vm_mapDestroy} of {@code map} for {@code owner} (see {@link VmMaps#destroy}).
     *
     * @return whether the map itself is gone (a paged map), not only {@code owner}'s entries in it
     */
    boolean destroy(VmMaps maps, MapOwner owner, VmMap map);

    /**
     * {@code vm_mapBelongs}, called with the map's lock held: whether {@code [ptr, ptr+size)} is mapped. Without
     * translation every address is the memory itself, so the flat model says yes to all.
     */
    boolean covers(VmMap map, long ptr, long size);

    /**
     * Whether a {@code PHYSMEM} mapping needs an entry: with translation it does (its pages are
     * entered into the pmap); without, the physical address is the mapping.
     */
    boolean entersPhysmem();

    /**
     * Whether two neighbouring entries made by {@code a} and {@code b} may merge: in a shared map
     * only when one process made both ({@code _map_map}'s and {@code vm_mprotect}'s owner test).
     */
    boolean mayMerge(MapOwner a, MapOwner b);

    /**
     * Whether {@code caller} may unmap, reprotect or map over an entry {@code owner} made: always
     * with an MMU (a map is one process's); without one, as {@link NommuIsolation} says. The kernel
     * ({@code null}) may touch any.
     */
    boolean mayTouch(MapOwner caller, MapOwner owner);

    /** Adds what the pmap must agree with about {@code map}'s entries (page-table checks) to {@code errors}. */
    void checkPages(VmMap map, List<String> errors);
}
